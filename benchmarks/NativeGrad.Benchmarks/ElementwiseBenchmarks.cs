using BenchmarkDotNet.Attributes;
using NativeGrad.Backends;

namespace NativeGrad.Benchmarks;

/// <summary>out = a + b over contiguous float32, native kernels against the managed core.</summary>
[MemoryDiagnoser]
public unsafe class ElementwiseBenchmarks
{
    private Tensor a = null!, b = null!, result = null!;

    [Params(1_000, 1_000_000, 16_000_000)]
    public int Count { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var data = Enumerable.Range(0, Count).Select(i => (float)i).ToArray();
        a = Tensor.FromArray(data);
        b = Tensor.FromArray(data);
        result = Tensor.FromArray(data);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        a.Dispose();
        b.Dispose();
        result.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void AddManaged() => Add(BackendKind.Managed);

    [Benchmark]
    public void AddNative() => Add(BackendKind.Native);

    private void Add(BackendKind kind)
    {
        using var pa = a.Lease();
        using var pb = b.Lease();
        using var pResult = result.Lease();
        Backend.KernelsFor(kind).Binary(BinaryOp.Add, DType.Float32, [Count], pa.Pointer, [1], pb.Pointer, [1], pResult.Pointer);
    }
}
