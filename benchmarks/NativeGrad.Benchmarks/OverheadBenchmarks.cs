using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using NativeGrad.Backends;
using NativeGrad.Nn;
using NativeGrad.Optim;

namespace NativeGrad.Benchmarks;

/// <summary>
/// Where the per-op cost of the C# layer shows, not the kernels: a no-grad add of 16 elements, a
/// backward pass through (w*w + w).Sum() with 16 elements, and one SGD training step of an MLP
/// 784-256-10 on a batch of 64 with cross-entropy (zero_grad, forward, loss, backward, step).
/// Intermediates are left to the collector, as user code leaves them.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class OverheadBenchmarks
{
    private Tensor small = null!, other = null!, w = null!;
    private Sequential model = null!;
    private SGD optimizer = null!;
    private Tensor images = null!, labels = null!;

    [GlobalSetup]
    public void Setup()
    {
        small = Tensor.Rand(16);
        other = Tensor.Rand(16);
        w = Tensor.Rand([16], requiresGrad: true);
        model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
        optimizer = new SGD(model.Parameters(), lr: 0.01);
        images = Tensor.Rand(64, 784);
        labels = Tensor.Randint(10, [64]);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("no-grad add 16")]
    public void AddManaged() => Add(BackendKind.Managed);

    [Benchmark, BenchmarkCategory("no-grad add 16")]
    public void AddNative() => Add(BackendKind.Native);

    [Benchmark(Baseline = true), BenchmarkCategory("backward 16")]
    public void BackwardManaged() => Backward(BackendKind.Managed);

    [Benchmark, BenchmarkCategory("backward 16")]
    public void BackwardNative() => Backward(BackendKind.Native);

    [Benchmark(Baseline = true), BenchmarkCategory("MLP SGD step")]
    public void MlpStepManaged() => MlpStep(BackendKind.Managed);

    [Benchmark, BenchmarkCategory("MLP SGD step")]
    public void MlpStepNative() => MlpStep(BackendKind.Native);

    /// <summary>The same step inside a <see cref="TensorScope"/>: its temporaries freed at once, so no collection is induced for them.</summary>
    [Benchmark, BenchmarkCategory("MLP SGD step")]
    public void MlpStepNativeScoped()
    {
        using var scope = Tensor.Scope();
        MlpStep(BackendKind.Native);
    }

    private void Add(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        using (Autograd.NoGrad())
        {
            using var result = small + other;
        }
    }

    private void Backward(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        (w * w + w).Sum().Backward();
    }

    private void MlpStep(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        optimizer.ZeroGrad();
        var loss = Functional.CrossEntropy(model.Forward(images), labels);
        loss.Backward();
        optimizer.Step();
    }
}
