using NativeGrad.Backends;

namespace NativeGrad.Examples;

/// <summary>The <c>report</c> command: what NativeGrad runs on, and one small computation on each backend.</summary>
public static class Report
{
    /// <summary>Prints the versions, CPU features, kernel tier and default backend.</summary>
    public static void Run(TextWriter output)
    {
        output.WriteLine($"NativeGrad bindings {NativeGrad.Native.NativeLibraryLoader.BindingsVersion}");
        if (Backend.IsNativeAvailable)
        {
            var cpu = NativeRuntime.Cpu;
            output.WriteLine($"native library     {NativeRuntime.Version}");
            output.WriteLine($"CPU features       {string.Join(" ", cpu.Features)}");
            output.WriteLine($"kernel tier        {cpu.ActiveTier} (best {cpu.BestTier}" +
                              (cpu.RequestedTier is { } requested ? $", NATIVEGRAD_CPU asked for {requested})" : ")"));
            output.WriteLine($"native threads     {NativeRuntime.NumThreads}");
        }
        else
        {
            output.WriteLine($"native library     unavailable: {NativeGrad.Native.NativeLibraryLoader.UnavailableReason}");
        }
        output.WriteLine($"default backend    {Backend.Default}");
        output.WriteLine();

        foreach (var kind in Enum.GetValues<BackendKind>())
        {
            if (kind == BackendKind.Native && !Backend.IsNativeAvailable) continue;
            using var scope = Backend.Use(kind);
            using var x = Tensor.FromArray([0f, 1f, 2f, 3f]);
            using var y = Tensor.FromArray([10f, 20f, 30f, 40f]);
            using var sum = x + y;
            using var product = x * y;
            output.WriteLine($"{kind,-8} x + y = {sum}   x * y = {product}");
        }    }
}
