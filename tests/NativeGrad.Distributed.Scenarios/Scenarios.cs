using NativeGrad;
using NativeGrad.Distributed;
using NativeGrad.Nn;
using NativeGrad.Optim;

internal static class Scenarios
{
    private static void Expect(bool condition, string what)
    {
        if (!condition) throw new InvalidOperationException(what);
    }

    private static void ExpectEqual<T>(T[] expected, Tensor actual, string what) where T : unmanaged
    {
        var values = actual.ToArray<T>();
        Expect(values.SequenceEqual(expected), $"{what}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", values)}]");
    }

    /// <summary>Every collective on every dtype, on empty and non-contiguous tensors, against values worked out by hand.</summary>
    public static void Collectives(ProcessGroup group)
    {
        Expect(group.WorldSize == 2, $"run with 2 ranks, not {group.WorldSize}");
        int r = group.Rank;
        var f32 = Tensor.From([1f + r, 10f * r, -3f]);
        group.AllReduce(f32);
        ExpectEqual([3f, 10f, -6f], f32, "float32 sum");
        var f64 = Tensor.From([1.0 + r, 4.0 * r]);
        group.AllReduce(f64, ReduceOp.Avg);
        ExpectEqual([1.5, 2.0], f64, "float64 avg");
        var i64 = Tensor.From([long.MaxValue - r, 5L * r]);
        group.AllReduce(i64, ReduceOp.Min);
        ExpectEqual([long.MaxValue - 1, 0L], i64, "int64 min");
        var flags = Tensor.From([r == 0, false, true]);
        group.AllReduce(flags, ReduceOp.Max);
        ExpectEqual([true, false, true], flags, "bool max (or)");
        var all = Tensor.From([r == 0, true]);
        group.AllReduce(all, ReduceOp.Min);
        ExpectEqual([false, true], all, "bool min (and)");
        var empty = Tensor.Zeros(0);
        group.AllReduce(empty);
        Expect(empty.NumElements == 0, "empty all-reduce");

        // A transposed view is reduced in place, through its layout.
        var matrix = Tensor.Arange(6.0).Reshape(2, 3) * (r + 1);
        var transposed = matrix.T;
        group.AllReduce(transposed);
        ExpectEqual([0.0, 3, 6, 9, 12, 15], matrix, "non-contiguous sum");

        var broadcast = Tensor.Full([2, 2], r == 1 ? 7 : 0);
        group.Broadcast(broadcast, root: 1);
        ExpectEqual([7f, 7, 7, 7], broadcast, "broadcast from rank 1");
        var big = r == 0 ? Tensor.Arange(1 << 20) : Tensor.Zeros([1 << 20], DType.Int64);
        group.Broadcast(big);
        Expect(big.Sum().Item<long>() == (1L << 20) * ((1 << 20) - 1) / 2, "broadcast of 8 MiB");

        var gathered = group.AllGather(Tensor.From([(long)r, 100L + r]));
        Expect(gathered.Length == 2, "all-gather gives one tensor per rank");
        ExpectEqual([0L, 100L], gathered[0], "all-gather rank 0");
        ExpectEqual([1L, 101L], gathered[1], "all-gather rank 1");
        var gatheredEmpty = group.AllGather(Tensor.Zeros([0], DType.Bool));
        Expect(gatheredEmpty.All(t => t.NumElements == 0), "all-gather of empty tensors");
        group.Barrier();

        Expect(Throws<ArgumentException>(() => group.AllReduce(Tensor.From([1L]), ReduceOp.Avg)), "Avg of int64 is refused");
        Expect(Throws<ArgumentOutOfRangeException>(() => group.Broadcast(f32, root: 2)), "a root that is not a rank is refused");
    }

    /// <summary>Rank 1 skips the all-reduce (as if it had thrown): rank 0 must time out with a clear error, not hang.</summary>
    public static void RankThatNeverJoinsTimesOut(ProcessGroup group)
    {
        if (group.Rank == 1)
        {
            Thread.Sleep(TimeSpan.FromSeconds(6));
            return;
        }
        var started = DateTime.UtcNow;
        try
        {
            group.AllReduce(Tensor.Ones(4));
        }
        catch (TimeoutException e)
        {
            var waited = DateTime.UtcNow - started;
            Expect(waited < TimeSpan.FromSeconds(5), $"timed out after {waited.TotalSeconds:F1} s, not about 3");
            Expect(e.Message.Contains("all-reduce did not complete within 3 s", StringComparison.Ordinal), $"message: {e.Message}");
            Console.WriteLine($"rank 0: {e.Message}");
            // The job cannot continue after a failed collective: end it, as a training script would.
            Console.Out.Flush();
            group.Abort(3);
        }
        throw new InvalidOperationException("the all-reduce returned although rank 1 never joined");
    }

    /// <summary>
    /// DDP on two halves of a batch against one process on the whole batch: the same parameters
    /// after every step (float32; the two sum the batch's gradient in different orders), and
    /// bit-identical parameters on both ranks. Small buckets, so that several are in flight.
    /// </summary>
    public static void DataParallelMatchesOneProcess(ProcessGroup group)
    {
        const int Steps = 20, Batch = 16;
        static Sequential MakeModel(ulong seed)
        {
            Tensor.ManualSeed(seed);
            return new Sequential(new Linear(20, 32), new Tanh(), new Linear(32, 16), new ReLU(), new Linear(16, 5));
        }
        var reference = MakeModel(0);
        var replica = MakeModel(group.Rank == 0 ? 0UL : 100UL);  // rank 1 starts elsewhere: the broadcast must fix it
        var ddp = new DistributedDataParallel(replica, group, bucketCapBytes: 1024);
        Expect(ddp.BucketCount >= 3, $"expected several buckets, got {ddp.BucketCount}");
        Tensor.ManualSeed(42);
        var x = Tensor.Randn(Batch, 20);
        var y = Tensor.Randint(5, [Batch]);
        var shard = (X: x[(group.Rank * Batch / 2)..((group.Rank + 1) * Batch / 2)], Y: y[(group.Rank * Batch / 2)..((group.Rank + 1) * Batch / 2)]);
        var referenceOptimizer = new SGD(reference.Parameters(), lr: 0.1, momentum: 0.9);
        var optimizer = new SGD(ddp.Parameters(), lr: 0.1, momentum: 0.9);
        double worst = 0;
        for (int step = 0; step < Steps; step++)
        {
            referenceOptimizer.ZeroGrad();
            Functional.CrossEntropy(reference.Forward(x), y).Backward();
            referenceOptimizer.Step();
            using (Tensor.Scope())
            {
                optimizer.ZeroGrad();
                Functional.CrossEntropy(ddp.Forward(shard.X), shard.Y).Backward();
                optimizer.Step();
            }
            foreach (var (mine, theirs) in ddp.Module.Parameters().Zip(reference.Parameters()))
                worst = Math.Max(worst, (mine - theirs).Abs().Max().Item<float>());
        }
        Console.WriteLine($"rank {group.Rank}: largest difference from one process over {Steps} steps: {worst:E2}");
        Expect(worst <= 1e-5, $"DDP drifted {worst} from one process on the whole batch");
        foreach (var parameter in ddp.Module.Parameters())
        {
            var both = group.AllGather(parameter);
            Expect(both[0].Equal(both[1]), "the ranks' parameters differ");
        }
    }

    /// <summary>The figures README quotes: an 8-byte all-reduce's latency and a 16 MiB one's bandwidth.</summary>
    public static void Measure(ProcessGroup group)
    {
        var small = Tensor.Zeros([1], DType.Float64);
        for (int i = 0; i < 200; i++) group.AllReduce(small);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        const int SmallRounds = 2000, LargeRounds = 10;
        for (int i = 0; i < SmallRounds; i++) group.AllReduce(small);
        double latency = clock.Elapsed.TotalMicroseconds / SmallRounds;
        var large = Tensor.Zeros(4 << 20);
        group.AllReduce(large);
        clock.Restart();
        for (int i = 0; i < LargeRounds; i++) group.AllReduce(large);
        double bandwidth = 16.0 * LargeRounds / 1024 / clock.Elapsed.TotalSeconds;
        if (group.Rank == 0)
            Console.WriteLine($"8-byte all-reduce {latency:F1} us, 16 MiB all-reduce {bandwidth:F2} GiB/s ({group.WorldSize} ranks)");
    }

    private static bool Throws<T>(Action action) where T : Exception
    {
        try
        {
            action();
            return false;
        }
        catch (T)
        {
            return true;
        }
    }
}
