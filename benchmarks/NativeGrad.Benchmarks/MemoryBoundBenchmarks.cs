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

    /// <summary>
    /// What reading 64 MiB costs on this machine: eight independent vector accumulators over the
    /// same data, no tensor API. The sum target is stated against it where memory, not the kernel,
    /// is the limit.
    /// </summary>
    [Benchmark, BenchmarkCategory("sum 16M"), BytesPerCall(TensorBytes)]
    public float PlainVectorReadLoop()
    {
        var data = x.AsSpan<float>();
        int width = System.Numerics.Vector<float>.Count, i = 0;
        System.Numerics.Vector<float> s0 = default, s1 = default, s2 = default, s3 = default,
                                      s4 = default, s5 = default, s6 = default, s7 = default;
        for (; i + 8 * width <= data.Length; i += 8 * width)
        {
            s0 += new System.Numerics.Vector<float>(data[i..]);
            s1 += new System.Numerics.Vector<float>(data[(i + width)..]);
            s2 += new System.Numerics.Vector<float>(data[(i + 2 * width)..]);
            s3 += new System.Numerics.Vector<float>(data[(i + 3 * width)..]);
            s4 += new System.Numerics.Vector<float>(data[(i + 4 * width)..]);
            s5 += new System.Numerics.Vector<float>(data[(i + 5 * width)..]);
            s6 += new System.Numerics.Vector<float>(data[(i + 6 * width)..]);
            s7 += new System.Numerics.Vector<float>(data[(i + 7 * width)..]);
        }
        float total = System.Numerics.Vector.Sum(((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)));
        for (; i < data.Length; i++) total += data[i];
        return total;
    }

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
