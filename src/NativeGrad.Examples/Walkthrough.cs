namespace NativeGrad.Examples;

/// <summary>The notebook's main ideas in a few lines: the full notebook is <c>-- notebook</c>.</summary>
public static class Walkthrough
{
    /// <summary>Prints each step and its result.</summary>
    public static void Run(TextWriter output)
    {
        var x = Tensor.Arange(4.0).RequiresGrad_();
        var y = 2 * x.Dot(x);
        y.Backward();
        output.WriteLine($"x = {x}");
        output.WriteLine($"y = 2 * x.Dot(x) = {y}");
        output.WriteLine($"after y.Backward(): x.Grad = {x.Grad}   (dy/dx = 4x)");

        x.Grad!.Zero_();
        var squares = x * x;
        squares.Backward(gradient: Tensor.Ones(x.Size(0)));
        output.WriteLine($"(x * x).Backward(gradient: ones): x.Grad = {x.Grad}");

        x.Grad!.Zero_();
        var u = (x * x).Detach();
        (u * x).Sum().Backward();
        output.WriteLine($"u = (x * x).Detach(); (u * x).Sum().Backward(): x.Grad = {x.Grad}   (u is a constant)");

        Tensor.ManualSeed(0);
        var a = Tensor.Randn([], requiresGrad: true);
        var b = a * 2;
        while (b.Norm() < 1000) b = b * 2;
        var d = b.Sum() > 0 ? b : 100 * b;
        d.Backward();
        output.WriteLine($"control flow: d = f(a) with a = {a.Item<float>():G6}; a.Grad == d / a: {a.Grad! == d / a}");
        output.WriteLine();
    }
}
