using BenchmarkDotNet.Attributes;
using NativeGrad.Backends;

namespace NativeGrad.Benchmarks;

/// <summary>
/// What memory safety costs per operation: a storage lease of a 16-element tensor (a small block:
/// a reference into its GC array; a large one adds and releases a SafeHandle reference) against
/// GC.KeepAlive, which is free but cannot stop a Dispose on another thread; and reading
/// the flow-scoped grad mode and backend (AsyncLocal) that every op does. The last two rows put
/// them beside a whole small op.
/// </summary>
public unsafe class SafetyOverheadBenchmarks
{
    private Tensor small = null!, other = null!;

    [GlobalSetup]
    public void Setup()
    {
        small = Tensor.Ones(16);
        other = Tensor.Ones(16);
    }

    [Benchmark(Baseline = true)]
    public void KeepAlive() => GC.KeepAlive(small);

    [Benchmark]
    public void Lease()
    {
        using var data = small.Lease();
    }

    [Benchmark]
    public bool ReadGradMode() => Autograd.IsGradEnabled;

    [Benchmark]
    public BackendKind ReadBackend() => Backend.Current;

    [Benchmark]
    public void NoGradAdd16Native()
    {
        using var scope = Backend.Use(BackendKind.Native);
        using (Autograd.NoGrad())
            _ = small + other;
    }

    /// <summary>On the default backend (set NATIVEGRAD_BACKEND to choose), with no scope to enter.</summary>
    [Benchmark]
    public void Add16() => _ = small + other;
}
