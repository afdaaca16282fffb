using BenchmarkDotNet.Attributes;
using NativeGrad.Backends;

namespace NativeGrad.Benchmarks;

/// <summary>
/// Square float32 GEMM, native against the managed core. GFLOP/s = 2 n^3 / time; this machine's
/// single-core peak is about 136 GFLOP/s with 256-bit FMA and 272 with 512-bit.
/// </summary>
[MemoryDiagnoser]
public unsafe class GemmBenchmarks
{
    private Tensor a = null!, b = null!, c = null!;

    [Params(64, 256, 512)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var data = Enumerable.Range(0, N * N).Select(_ => (float)random.NextDouble()).ToArray();
        a = Tensor.FromArray(data, N, N);
        b = Tensor.FromArray(data, N, N);
        c = Tensor.FromArray(data, N, N);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        a.Dispose();
        b.Dispose();
        c.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void GemmManaged() => Gemm(BackendKind.Managed);

    [Benchmark]
    public void GemmNative() => Gemm(BackendKind.Native);

    private void Gemm(BackendKind kind)
    {
        using var pa = a.Lease();
        using var pb = b.Lease();
        using var pc = c.Lease();
        Backend.KernelsFor(kind).Gemm(DType.Float32, false, false, N, N, N, 1, pa.Pointer, N, pb.Pointer, N, 0, pc.Pointer, N);
    }
}
