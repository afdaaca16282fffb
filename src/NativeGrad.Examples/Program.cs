using NativeGrad;
using NativeGrad.Backends;
using NativeGrad.Examples;

// dotnet run --project src/NativeGrad.Examples [-- notebook]
if (args is ["notebook", ..])
{
    Notebook.Run(Console.Out);
    return 0;
}
if (args.Length > 0)
{
    Console.Error.WriteLine($"unknown command '{args[0]}'. Usage: NativeGrad.Examples [notebook]");
    return 2;
}

// Reports what NativeGrad runs on, then does one small computation on each backend.
Console.WriteLine($"NativeGrad bindings {NativeGrad.Native.NativeLibraryLoader.BindingsVersion}");
if (Backend.IsNativeAvailable)
{
    var cpu = NativeRuntime.Cpu;
    Console.WriteLine($"native library     {NativeRuntime.Version}");
    Console.WriteLine($"CPU features       {string.Join(" ", cpu.Features)}");
    Console.WriteLine($"kernel tier        {cpu.ActiveTier} (best {cpu.BestTier}" +
                      (cpu.RequestedTier is { } requested ? $", NATIVEGRAD_CPU asked for {requested})" : ")"));
}
else
{
    Console.WriteLine($"native library     unavailable: {NativeGrad.Native.NativeLibraryLoader.UnavailableReason}");
}
Console.WriteLine($"default backend    {Backend.Default}");
Console.WriteLine();

foreach (var kind in Enum.GetValues<BackendKind>())
{
    if (kind == BackendKind.Native && !Backend.IsNativeAvailable) continue;
    using var scope = Backend.Use(kind);
    using var x = Tensor.FromArray([0f, 1f, 2f, 3f]);
    using var y = Tensor.FromArray([10f, 20f, 30f, 40f]);
    using var sum = x + y;
    using var product = x * y;
    Console.WriteLine($"{kind,-8} x + y = {sum}   x * y = {product}");
}
return 0;
