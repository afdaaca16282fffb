using System.Text.Json;
using System.Text.Json.Serialization;
using NativeGrad.Backends;
using NativeGrad.Conformance;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// ForwardAD's API and Functional.Jvp against PyTorch 1.13 (tests/data/forward-ad/forward_ad.py):
/// its error messages, where tangents go (no_grad, inference mode, detach, views and in-place
/// ops, custom functions), how a dual tensor prints, and jvp's results; on both backends.
/// </summary>
public class ForwardADTests
{
    private sealed record Case(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("error")] string? Error,
        [property: JsonPropertyName("inputs")] TensorData[]? Inputs,
        [property: JsonPropertyName("tangent")] TensorData? Tangent);

    private sealed record ReprCase(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("primal")] TensorData Primal,
        [property: JsonPropertyName("tangent")] TensorData Tangent,
        [property: JsonPropertyName("repr")] string Repr);

    private sealed record File(
        [property: JsonPropertyName("cases")] Case[] Cases,
        [property: JsonPropertyName("reprs")] ReprCase[] Reprs,
        [property: JsonPropertyName("jvp")] JsonElement Jvp);

    private static readonly Lazy<File> Data = new(() => JsonSerializer.Deserialize<File>(System.IO.File.ReadAllText(
        Path.Combine(CaseFiles.DefaultDirectory, "..", "forward-ad", "forward_ad.json")))!);

    private static Case Named(string id) => Data.Value.Cases.Single(c => c.Id == id);

    private static readonly Tensor X = Tensor.Zeros([2, 3], DType.Float64);

    private static void InLevel(Action action)
    {
        using (ForwardAD.DualLevel()) action();
    }

    // PyTorch's RuntimeError is InvalidOperationException here, ValueError ArgumentException and
    // NotImplementedError NotSupportedException; jvp's checks of v are ArgumentExceptions.
    private static readonly Dictionary<string, (Type Type, Action<Tensor, Tensor> Act)> Errors = new()
    {
        ["make_dual outside a level"] = (typeof(InvalidOperationException), (x, t) => ForwardAD.MakeDual(x, t)),
        ["integer primal"] = (typeof(ArgumentException), (x, t) => InLevel(() => ForwardAD.MakeDual(Tensor.Ones([2, 3], DType.Int64), t))),
        ["integer tangent"] = (typeof(ArgumentException), (x, t) => InLevel(() => ForwardAD.MakeDual(x, Tensor.Ones([2, 3], DType.Int64)))),
        ["tangent of another shape"] = (typeof(InvalidOperationException), (x, t) => InLevel(() => ForwardAD.MakeDual(x, Tensor.Ones([3, 2], DType.Float64)))),
        ["tangent of another size"] = (typeof(InvalidOperationException), (x, t) => InLevel(() => ForwardAD.MakeDual(x, Tensor.Ones([5], DType.Float64)))),
        ["make_dual of a dual tensor"] = (typeof(InvalidOperationException), (x, t) => InLevel(() => ForwardAD.MakeDual(ForwardAD.MakeDual(x, t), t))),
        ["nested levels"] = (typeof(InvalidOperationException), (x, t) => InLevel(() => ForwardAD.DualLevel())),
        ["custom function without jvp"] = (typeof(NotSupportedException), (x, t) => InLevel(() => new NoJvp().Apply(ForwardAD.MakeDual(x, t)))),
        ["jvp v None for many elements"] = (typeof(ArgumentException), (x, t) => NativeGrad.Autograd.Functional.Jvp(a => a * 2, x)),
        ["jvp v of another size"] = (typeof(ArgumentException), (x, t) => NativeGrad.Autograd.Functional.Jvp(a => a * 2, x, Tensor.Ones([3], DType.Float64))),
        ["jvp v of another length"] = (typeof(ArgumentException), (x, t) => NativeGrad.Autograd.Functional.Jvp(a => [a[0] * a[1]], [x, x], [t])),
        ["jvp strict, output independent"] = (typeof(InvalidOperationException),
            (x, t) => NativeGrad.Autograd.Functional.Jvp(a => Tensor.Ones([2], DType.Float64), x, t, strict: true)),
        ["jvp strict, input independent"] = (typeof(InvalidOperationException),
            (x, t) => NativeGrad.Autograd.Functional.Jvp(a => [a[0] * 2, a[0].Exp()], [x, x], [t, t], strict: true)),
    };

    private sealed class NoJvp : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs) => inputs[0] * 2;

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput * 2];
    }

    private sealed class TimesThree : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs) => inputs[0] * inputs[1];

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput, gradOutput];

        protected override Tensor Jvp(FunctionContext ctx, Tensor[] tangents) => tangents[0] * 3 + tangents[1];
    }

    public static TheoryData<string, BackendKind> ErrorCases => Conformance.ConformanceTests.Cases(Errors.Keys);

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void ErrorsAreTorchs(string id, BackendKind backend)
    {
        using var scope = Backend.Use(backend);
        var (type, act) = Errors[id];
        var error = Assert.Throws(type, () => act(Tensor.Randn([2, 3], DType.Float64), Tensor.Randn([2, 3], DType.Float64)));
        Assert.Equal(Named(id).Error, error.Message);
    }

    // Each runs inside a dual level on the case's inputs and returns the tensor whose tangent PyTorch recorded.
    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Tangents = new()
    {
        ["no_grad keeps forward AD"] = t =>
        {
            var d = ForwardAD.MakeDual(t[0], t[1]);
            using (NativeGrad.Autograd.NoGrad()) return d.Exp() * d;
        },
        ["inference mode drops tangents"] = t =>
        {
            var d = ForwardAD.MakeDual(t[0], t[1]);
            using (NativeGrad.Autograd.InferenceMode()) return d.Exp();
        },
        ["detach drops the tangent"] = t => ForwardAD.MakeDual(t[0], t[1]).Detach(),
        ["a plain tensor has none"] = t => t[0] * 2,
        ["a float32 tangent stays float32"] = t => ForwardAD.MakeDual(t[0], t[1]),
        ["copy_ into a view of a plain tensor"] = t =>
        {
            var zeros = Tensor.Zeros([3, 3], DType.Float64);
            zeros.Slice(0, 1, 3, 1).Copy_(ForwardAD.MakeDual(t[0], t[1]));
            return zeros;
        },
        ["plain mul_ dual"] = t => (t[0].Clone() + 1).Mul_(ForwardAD.MakeDual(t[0], t[1])),
        ["dual add_ dual"] = t =>
        {
            var d = ForwardAD.MakeDual(t[0], t[1]);
            return (d * 1).Add_(d);
        },
        ["mul_ on a view of a dual changes its base"] = t =>
        {
            var d = ForwardAD.MakeDual(t[0].Clone(), t[1]);
            d.Select(0, 0).Mul_(3);
            return d;
        },
        ["a view sees its base's in-place tangent"] = t =>
        {
            var d = ForwardAD.MakeDual(t[0].Clone(), t[1]);
            var row = d.Select(0, 1);
            d.Mul_(t[0]);
            return row;
        },
        ["fill_ on a view zeroes its tangent there"] = t =>
        {
            var d = ForwardAD.MakeDual(t[0].Clone(), t[1]);
            d.Select(1, 1).Fill_(2.0);
            return d;
        },
        ["normal_ zeroes the tangent"] = t => ForwardAD.MakeDual(t[0].Clone(), t[1].Clone()).Normal_(),
        ["custom function jvp, zeros for an input without tangent"] = t => new TimesThree().Apply(ForwardAD.MakeDual(t[0], t[1]), t[0]),
    };

    public static TheoryData<string, BackendKind> TangentCases => Conformance.ConformanceTests.Cases(Tangents.Keys);

    [Theory]
    [MemberData(nameof(TangentCases))]
    public void TangentsGoWhereTorchPutsThem(string id, BackendKind backend)
    {
        using var scope = Backend.Use(backend);
        var c = Named(id);
        using var level = ForwardAD.DualLevel();
        var tangent = ForwardAD.UnpackDual(Tangents[id](c.Inputs!.Select(i => i.ToTensor()).ToArray())).Tangent;
        if (c.Tangent is null) Assert.Null(tangent);
        else Assert.Null(CaseRunner.Compare(Assert.IsType<Tensor>(tangent), c.Tangent, 1e-12, 1e-12));
    }

    [Fact]
    public void EveryCaseHasATest() =>
        Assert.Equal(Data.Value.Cases.Select(c => c.Id).Order(), Errors.Keys.Concat(Tangents.Keys).Order());

    [Theory]
    [InlineData(BackendKind.Native)]
    [InlineData(BackendKind.Managed)]
    public void DualTensorsPrintTheirTangent(BackendKind backend)
    {
        using var scope = Backend.Use(backend);
        foreach (var c in Data.Value.Reprs)
        {
            using var level = ForwardAD.DualLevel();
            var dual = ForwardAD.MakeDual(c.Primal.ToTensor(), c.Tangent.ToTensor());
            Assert.Equal(c.Repr, (c.Id == "dual times 2" ? dual * 2 : dual).ToString());
        }
    }

    [Fact]
    public void TangentsAreGoneWhenTheLevelCloses()
    {
        Tensor dual;
        using (ForwardAD.DualLevel()) dual = ForwardAD.MakeDual(X, Tensor.OnesLike(X));
        Assert.Null(ForwardAD.UnpackDual(dual).Tangent);
        using (ForwardAD.DualLevel()) Assert.Null(ForwardAD.UnpackDual(dual * 2).Tangent);
    }

    [Fact]
    public void UnpackDualDeconstructsAndThePrimalKeepsTheHistory()
    {
        var x = Tensor.Randn([3], DType.Float64).RequiresGrad_();
        using var level = ForwardAD.DualLevel();
        var (primal, tangent) = ForwardAD.UnpackDual(ForwardAD.MakeDual(x, Tensor.OnesLike(x)).Exp());
        Assert.NotNull(tangent);
        Assert.Equal("torch::autograd::Identity", primal.GradFn?.Name);
        Assert.Null(ForwardAD.UnpackDual(primal).Tangent);
        primal.Sum().Backward();
        Assert.Null(CaseRunner.Compare(x.Grad!, ToData(x.Detach().Exp()), 1e-12, 0));
    }

    [Theory]
    [InlineData(BackendKind.Native)]
    [InlineData(BackendKind.Managed)]
    public void JvpMatchesTorch(BackendKind backend)
    {
        using var scope = Backend.Use(backend);
        var jvp = Data.Value.Jvp;
        TensorData Tensor(JsonElement e) => e.Deserialize<TensorData>()!;
        Tensor[] Tensors(JsonElement e) => e.EnumerateArray().Select(item => Tensor(item).ToTensor()).ToArray();
        void AssertEach(Tensor[] actual, JsonElement expected)
        {
            var want = expected.EnumerateArray().Select(Tensor).ToArray();
            Assert.Equal(want.Length, actual.Length);
            for (int i = 0; i < want.Length; i++) Assert.Null(CaseRunner.Compare(actual[i], want[i], 1e-12, 1e-12));
        }

        var (outputs, products) = NativeGrad.Autograd.Functional.Jvp(a => [a[0].Exp() * a[1], (a[0] / a[1]).Sum()],
                                                                     Tensors(jvp.GetProperty("inputs")), Tensors(jvp.GetProperty("v")));
        AssertEach(outputs, jvp.GetProperty("outputs"));
        AssertEach(products, jvp.GetProperty("jvp"));

        var independent = jvp.GetProperty("independent");
        var (sines, withZeros) = NativeGrad.Autograd.Functional.Jvp(a => [a[0].Sin(), NativeGrad.Tensor.Ones([2], DType.Float64)],
                                                                    [Tensors(jvp.GetProperty("inputs"))[0]], [Tensors(jvp.GetProperty("v"))[0]]);
        AssertEach(sines, independent.GetProperty("outputs"));
        AssertEach(withZeros, independent.GetProperty("jvp"));

        var oneElement = jvp.GetProperty("one_element");
        var (_, square) = NativeGrad.Autograd.Functional.Jvp(a => a * a, Tensor(oneElement.GetProperty("input")).ToTensor());
        Assert.Null(CaseRunner.Compare(square, Tensor(oneElement.GetProperty("jvp")), 0, 0));

        var x = Tensors(jvp.GetProperty("inputs"))[0];
        var v = Tensors(jvp.GetProperty("v"))[0];
        foreach (var flag in jvp.GetProperty("requires_grad").EnumerateObject())
        {
            bool createGraph = flag.Name.Contains("create_graph=True"), requires = flag.Name.Contains("requires_grad=True");
            var (o, j) = NativeGrad.Autograd.Functional.Jvp(a => a.Exp(), x.Clone().RequiresGrad_(requires), v, createGraph: createGraph);
            Assert.Equal(flag.Value.EnumerateArray().Select(b => b.GetBoolean()).ToArray(), new[] { o.RequiresGrad, j.RequiresGrad });
        }
    }

    [Fact]
    public void JvpWithCreateGraphIsDifferentiable()
    {
        // d/dx of sum(J v) for exp is sum(exp(x) * v) differentiated: exp(x) * v.
        var x = Tensor.Randn([3], DType.Float64).RequiresGrad_();
        var v = Tensor.Randn([3], DType.Float64);
        var (_, product) = NativeGrad.Autograd.Functional.Jvp(a => a.Exp(), x, v, createGraph: true);
        var grad = NativeGrad.Autograd.Grad(product.Sum(), x);
        Assert.Null(CaseRunner.Compare(grad, ToData(x.Detach().Exp() * v), 1e-12, 0));
    }

    [Fact]
    public void AnOpWithoutAForwardRuleSaysSo()
    {
        var derivative = new Derivative("MadeUpBackward0", Save.Nothing, (n, g) => g);
        using var level = ForwardAD.DualLevel();
        var d = ForwardAD.MakeDual(X, Tensor.OnesLike(X));
        var error = Assert.Throws<NotSupportedException>(() => Node.Record(X.Clone(), derivative, [d]));
        Assert.Equal("Trying to use forward AD with MadeUp that does not support it because it has not been implemented yet.", error.Message);
    }

    [Fact]
    public void GradGradCheckFindsAWrongSecondDerivative()
    {
        var x = Tensor.Randn([3], DType.Float64).RequiresGrad_();
        Assert.True(NativeGrad.Autograd.GradGradCheck(t => t[0].Pow(3L) * t[0].Sin(), [x]));
        // Right first derivative (3x^2 through a custom function), wrong second: its backward is not differentiable as written.
        Assert.False(NativeGrad.Autograd.GradGradCheck(t => new CubeWithDetachedBackward().Apply(t[0]), [x], raiseException: false));
        Assert.Throws<GradCheckException>(() => NativeGrad.Autograd.GradGradCheck(t => new CubeWithDetachedBackward().Apply(t[0]), [x]));
    }

    [Fact]
    public void GradCheckFindsAWrongForwardRule()
    {
        var x = Tensor.Randn([3], DType.Float64).RequiresGrad_();
        Assert.True(NativeGrad.Autograd.GradCheck(t => new CubeWithJvp(3).Apply(t[0]), [x], checkForwardAD: true));
        var error = Assert.Throws<GradCheckException>(() => NativeGrad.Autograd.GradCheck(t => new CubeWithJvp(2).Apply(t[0]), [x], checkForwardAD: true));
        Assert.StartsWith("Jacobian computed with forward mode mismatch for output 0 with respect to input 0,", error.Message);
    }

    private sealed class CubeWithDetachedBackward : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            ctx["x"] = inputs[0].Detach();
            return inputs[0].Pow(3L);
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput * 3 * ((Tensor)ctx["x"]!).Pow(2L)];
    }

    private sealed class CubeWithJvp(double factor) : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            ctx["x"] = inputs[0].Detach();
            return inputs[0].Pow(3L);
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput) => [gradOutput * 3 * ((Tensor)ctx["x"]!).Pow(2L)];

        protected override Tensor Jvp(FunctionContext ctx, Tensor[] tangents) => tangents[0] * factor * ((Tensor)ctx["x"]!).Pow(2L);
    }

    private static TensorData ToData(Tensor t) =>
        new("float64", [.. t.Shape], t.ToArray<double>().Select(v => JsonSerializer.SerializeToElement(v)).ToArray());
}
