using NativeGrad.Backends;

namespace NativeGrad.Tests.Safety;

/// <summary>Backward passes on several threads over one graph: no lost update, no double free.</summary>
public sealed class ConcurrentBackwardTests
{
    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Eight_threads_retaining_one_graph_accumulate_the_exact_sum(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        const int Threads = 8, PassesEach = 25;
        // Integer-valued gradients, so every order of the additions gives the same exact sum.
        var w = Tensor.Arange(0.0, 64.0).RequiresGrad_();
        var loss = (w * w + w).Sum();
        for (int round = 0; round < 4; round++)
        {
            w.Grad = null;
            using var start = new Barrier(Threads);
            var workers = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
            {
                using var inner = Backend.Use(kind);
                start.SignalAndWait();
                for (int pass = 0; pass < PassesEach; pass++)
                    loss.Backward(retainGraph: true);
            })).ToList();
            workers.ForEach(t => t.Start());
            workers.ForEach(t => t.Join());
            var expected = Enumerable.Range(0, 64).Select(i => (float)((2 * i + 1) * Threads * PassesEach));
            Assert.Equal(expected, w.Grad!.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Two_racing_backwards_without_retainGraph_give_one_success_and_one_error(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        for (int round = 0; round < 100; round++)
        {
            var w = Tensor.Full([256], 3.0, requiresGrad: true);
            var loss = (w * w).Sum();
            using var start = new Barrier(2);
            var outcomes = new Exception?[2];
            var racers = Enumerable.Range(0, 2).Select(i => new Thread(() =>
            {
                using var inner = Backend.Use(kind);
                start.SignalAndWait();
                try { loss.Backward(); }
                catch (Exception e) { outcomes[i] = e; }
            })).ToList();
            racers.ForEach(t => t.Start());
            racers.ForEach(t => t.Join());

            Assert.Single(outcomes, e => e is null);
            var error = Assert.IsType<InvalidOperationException>(Assert.Single(outcomes, e => e is not null));
            Assert.StartsWith("Trying to backward through the graph a second time", error.Message);
            Assert.All(w.Grad!.ToArray(), g => Assert.Equal(6f, g));
        }
    }

    [Fact]
    public void Threads_racing_to_a_leafs_first_use_share_one_accumulator()
    {
        var w = Tensor.Ones([4], DType.Float32, requiresGrad: true);
        using var start = new Barrier(8);
        var nodes = new Node?[8];
        var threads = Enumerable.Range(0, 8).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            nodes[i] = (w * 2).GradFn!.NextFunctions[0];
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        Assert.All(nodes, node => Assert.Same(nodes[0], node));
    }
}
