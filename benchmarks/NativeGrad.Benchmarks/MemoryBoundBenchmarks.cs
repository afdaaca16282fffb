using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NativeGrad.Backends;

namespace NativeGrad.Benchmarks;

/// <summary>
/// Whole-tensor ops on 16M float32 elements (64 MiB, far past the caches), through the public
/// tensor API as a user calls them, result allocation included: add two tensors into a new one,
/// exp, and sum to a scalar. The GB/s column counts the bytes each reads and writes.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class MemoryBoundBenchmarks
{
    private const long Count = 16 * 1024 * 1024;
    private const long TensorBytes = Count * sizeof(float);

    private Tensor x = null!, y = null!;

    [GlobalSetup]
    public void Setup()
    {
        x = Tensor.Rand(Count);
        y = Tensor.Rand(Count);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        x.Dispose();
        y.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("add 16M"), BytesPerCall(3 * TensorBytes)]
    public void AddManaged() => Add(BackendKind.Managed);

    [Benchmark, BenchmarkCategory("add 16M"), BytesPerCall(3 * TensorBytes)]
    public void AddNative() => Add(BackendKind.Native);

    [Benchmark(Baseline = true), BenchmarkCategory("exp 16M"), BytesPerCall(2 * TensorBytes)]
    public void ExpManaged() => Exp(BackendKind.Managed);

    [Benchmark, BenchmarkCategory("exp 16M"), BytesPerCall(2 * TensorBytes)]
    public void ExpNative() => Exp(BackendKind.Native);

    [Benchmark(Baseline = true), BenchmarkCategory("sum 16M"), BytesPerCall(TensorBytes)]
    public void SumManaged() => Sum(BackendKind.Managed);

    [Benchmark, BenchmarkCategory("sum 16M"), BytesPerCall(TensorBytes)]
    public void SumNative() => Sum(BackendKind.Native);

    private void Add(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        using var result = x + y;
    }

    private void Exp(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        using var result = x.Exp();
    }

    private void Sum(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        using var result = x.Sum();
    }
}
