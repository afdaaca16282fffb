using BenchmarkDotNet.Attributes;
using NativeGrad.Backends;

namespace NativeGrad.Benchmarks;

/// <summary>
/// Square float32 GEMM, C = A @ B, at the kernel seam (no tensor allocation), native against the
/// managed core. The GFLOP/s and peak-share columns put it against this machine's measured FMA peak.
/// </summary>
public unsafe class GemmBenchmarks
{
    private Tensor a = null!, b = null!, c = null!;

    [Params(64, 256, 512, 1024)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup() => (a, b, c) = SquareMatrices.Create(N);

    [GlobalCleanup]
    public void Cleanup() => SquareMatrices.Dispose(a, b, c);

    [Benchmark(Baseline = true)]
    public void Managed() => Gemm(BackendKind.Managed);

    [Benchmark]
    public void Native() => Gemm(BackendKind.Native);

    private void Gemm(BackendKind kind) => SquareMatrices.Gemm(kind, N, a, b, c);
}

/// <summary>The same GEMM through OpenBLAS's cblas_sgemm, in one job per OpenBLAS core type.</summary>
public unsafe class OpenBlasGemmBenchmarks
{
    private Tensor a = null!, b = null!, c = null!;

    [Params(64, 256, 512, 1024)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup() => (a, b, c) = SquareMatrices.Create(N);

    [GlobalCleanup]
    public void Cleanup() => SquareMatrices.Dispose(a, b, c);

    [Benchmark]
    public void OpenBlas() => SquareMatrices.OpenBlasGemm(N, a, b, c);
}

/// <summary>
/// GEMM at n = 1024 with two threads for the native thread pool and OpenBLAS; the managed GEMM runs
/// on one thread, so it is the one-thread baseline here too.
/// </summary>
public unsafe class TwoThreadGemmBenchmarks
{
    private Tensor a = null!, b = null!, c = null!;

    [Params(1024)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup() => (a, b, c) = SquareMatrices.Create(N);

    [GlobalCleanup]
    public void Cleanup() => SquareMatrices.Dispose(a, b, c);

    [Benchmark(Baseline = true)]
    public void Managed() => Gemm(BackendKind.Managed);

    [Benchmark]
    public void Native() => Gemm(BackendKind.Native);

    [Benchmark]
    public void OpenBlas() => SquareMatrices.OpenBlasGemm(N, a, b, c);

    private void Gemm(BackendKind kind) => SquareMatrices.Gemm(kind, N, a, b, c);
}

internal static unsafe class SquareMatrices
{
    public static (Tensor A, Tensor B, Tensor C) Create(int n) => (Tensor.Rand(n, n), Tensor.Rand(n, n), Tensor.Zeros(n, n));

    public static void Dispose(params Tensor[] tensors)
    {
        foreach (var tensor in tensors) tensor.Dispose();
    }

    /// <summary>C = A @ B through one backend's kernel seam (no tensor allocation).</summary>
    public static void Gemm(BackendKind kind, int n, Tensor a, Tensor b, Tensor c)
    {
        using var pa = a.Lease();
        using var pb = b.Lease();
        using var pc = c.Lease();
        fixed (byte* paPtr = pa, pbPtr = pb, pcPtr = pc)
            Backend.KernelsFor(kind).Gemm(DType.Float32, false, false, n, n, n, 1, paPtr, n, pbPtr, n, 0, pcPtr, n);
    }

    public static void OpenBlasGemm(int n, Tensor a, Tensor b, Tensor c)
    {
        using var pa = a.Lease();
        using var pb = b.Lease();
        using var pc = c.Lease();
        fixed (byte* paPtr = pa, pbPtr = pb, pcPtr = pc)
            Benchmarks.OpenBlas.SquareSgemm(n, (float*)paPtr, (float*)pbPtr, (float*)pcPtr);
    }
}
