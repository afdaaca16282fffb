using System.Diagnostics;
using NativeGrad.Backends;
using NativeGrad.Nn;
using NativeGrad.Optim;
using NativeGrad.Tests.Support;
using Xunit.Abstractions;

namespace NativeGrad.Tests.Reliability;

/// <summary>
/// Memory over a long training loop: without Dispose the live storage stays bounded (collections
/// find what the loop drops), and with a <see cref="TensorScope"/> per step it returns exactly to
/// where it was, with nothing left for finalizers. Serial: the counters are process-wide.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class TrainingMemoryTests(ITestOutputHelper output)
{
    private const int Steps = 10_000;

    private sealed class Loop
    {
        private readonly Sequential model = new(new Linear(64, 128), new ReLU(), new Linear(128, 10));
        private readonly Adam optimizer;
        private readonly Tensor x = Tensor.Randn(32, 64), y = Tensor.Randint(10, [32]);

        public Loop() => optimizer = new Adam(model.Parameters(), lr: 1e-3);

        public void Step()
        {
            optimizer.ZeroGrad();
            Functional.CrossEntropy(model.Forward(x), y).Backward();
            optimizer.Step();
        }
    }

    private static void SettleFinalizers()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    [Theory]
    [InlineData(BackendKind.Native)]
    [InlineData(BackendKind.Managed)]
    public void Ten_thousand_steps_without_Dispose_keep_live_storage_and_RSS_bounded(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        Tensor.ManualSeed(0);
        var loop = new Loop();
        long finalizedBefore = MemoryDiagnostics.FreedByFinalizer;
        long liveAt1000 = 0, rssAt1000 = 0, liveMax = 0;
        for (int step = 1; step <= Steps; step++)
        {
            loop.Step();
            liveMax = Math.Max(liveMax, MemoryDiagnostics.LiveBytes);
            if (step == 1000)
            {
                liveAt1000 = MemoryDiagnostics.LiveBytes;
                rssAt1000 = Process.GetCurrentProcess().WorkingSet64;
            }
        }
        long liveAtEnd = MemoryDiagnostics.LiveBytes, rssAtEnd = Process.GetCurrentProcess().WorkingSet64;
        long finalized = MemoryDiagnostics.FreedByFinalizer - finalizedBefore;
        output.WriteLine($"{kind}: live storage {liveAt1000 / 1024} KiB at step 1000, {liveAtEnd / 1024} KiB at step {Steps} " +
                         $"(max {liveMax / 1024} KiB); RSS {rssAt1000 >> 20} -> {rssAtEnd >> 20} MiB; {finalized} storages freed by finalizers");
        // The collection budget is 4 MiB of new storage (or half the live bytes): the loop's garbage never piles up past it.
        Assert.True(liveMax < 64L << 20, $"live storage reached {liveMax} bytes");
        Assert.True(rssAtEnd - rssAt1000 < 64L << 20, $"RSS grew from {rssAt1000} to {rssAtEnd} bytes");
        Assert.True(finalized > 0, "the loop drops its temporaries, so finalizers must have freed some");
    }

    [Theory]
    [InlineData(BackendKind.Native)]
    [InlineData(BackendKind.Managed)]
    public void With_a_scope_per_step_live_storage_returns_exactly_to_its_baseline(BackendKind kind)
    {
        using var backend = Backend.Use(kind);
        Tensor.ManualSeed(0);
        var loop = new Loop();
        using (Tensor.Scope()) loop.Step();  // creates the gradients and Adam's state, which stay
        SettleFinalizers();
        long baseline = MemoryDiagnostics.LiveBytes, finalizedBefore = MemoryDiagnostics.FreedByFinalizer;
        int collectionsBefore = GC.CollectionCount(0);
        for (int step = 0; step < Steps; step++)
        {
            using (Tensor.Scope()) loop.Step();
            Assert.Equal(baseline, MemoryDiagnostics.LiveBytes);
        }
        long finalized = MemoryDiagnostics.FreedByFinalizer - finalizedBefore;
        output.WriteLine($"{kind}: live storage {baseline / 1024} KiB after every step; {finalized} storages freed by finalizers; " +
                         $"{GC.CollectionCount(0) - collectionsBefore} gen0 collections in {Steps} steps");
        Assert.Equal(0, finalized);
    }
}
