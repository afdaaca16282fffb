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

        // A contiguous view (a row, at an offset into its base) is reduced in its own memory, and
        // the change counts as an in-place op's.
        var rows = Tensor.Arange(6.0).Reshape(2, 3);
        var row = rows[1];
        int version = row.Version;
        group.AllReduce(row);
        ExpectEqual([0.0, 1, 2, 6, 8, 10], rows, "a contiguous row reduced in place");
        Expect(row.Version == version + 1 && rows.Version == version + 1, $"version {version} -> {row.Version}, expected one more");

        // ... without a managed allocation: no copy, no temporary, no boxing on the way to MPI.
        for (int i = 0; i < 10; i++) group.AllReduce(row, ReduceOp.Avg);
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) group.AllReduce(row, ReduceOp.Avg);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Expect(allocated == 0, $"100 all-reduces of a contiguous tensor allocated {allocated} bytes");

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

    /// <summary>
    /// All-reduces on any number of ranks (run under -np 3 and 4: the small path folds the ranks
    /// beyond a power of two): every op and dtype, at sizes on both sides of the 16 KiB switch
    /// between point-to-point and MPI_Iallreduce, against values worked out by formula; and a sum
    /// of random float32 values that must leave the same bits on every rank.
    /// </summary>
    public static void AllReduceOnAnyWorldSize(ProcessGroup group)
    {
        int r = group.Rank, n = group.WorldSize;
        foreach (int count in new[] { 1, 3, 2048, 2049, 4096, 4097, 100_000 })
        {
            var sum = Tensor.From(Enumerable.Range(0, count).Select(i => (r + 1.0) * (i + 1)).ToArray());
            group.AllReduce(sum);
            ExpectEqual(Enumerable.Range(0, count).Select(i => (i + 1.0) * n * (n + 1) / 2).ToArray(), sum, $"float64 sum of {count}");
            var avg = Tensor.From(Enumerable.Range(0, count).Select(i => 2f * r + i % 7).ToArray());
            group.AllReduce(avg, ReduceOp.Avg);
            ExpectEqual(Enumerable.Range(0, count).Select(i => n - 1f + i % 7).ToArray(), avg, $"float32 avg of {count}");
            var max = Tensor.From(Enumerable.Range(0, count).Select(i => 1000L * r - i).ToArray());
            var min = max.Clone();
            group.AllReduce(max, ReduceOp.Max);
            group.AllReduce(min, ReduceOp.Min);
            ExpectEqual(Enumerable.Range(0, count).Select(i => 1000L * (n - 1) - i).ToArray(), max, $"int64 max of {count}");
            ExpectEqual(Enumerable.Range(0, count).Select(i => (long)-i).ToArray(), min, $"int64 min of {count}");
            var mine = Tensor.From(Enumerable.Range(0, count).Select(i => i % n == r).ToArray());
            var any = mine.Clone();
            group.AllReduce(any, ReduceOp.Max);
            group.AllReduce(mine, ReduceOp.Min);
            ExpectEqual(Enumerable.Repeat(true, count).ToArray(), any, $"bool or of {count}");
            ExpectEqual(Enumerable.Repeat(n == 1, count).ToArray(), mine, $"bool and of {count}");

            Tensor.ManualSeed((ulong)r);
            var noisy = Tensor.Randn(count) * 1e3;
            group.AllReduce(noisy);
            var everyRank = group.AllGather(noisy);
            Expect(everyRank.All(t => t.Equal(everyRank[0])), $"the ranks' float32 sums of {count} differ in their bits");
        }
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

    /// <summary>
    /// The figures README quotes: an 8-byte all-reduce's latency and a 16 MiB one's bandwidth,
    /// each the median of several timed batches (the machine is shared: one batch can be slow).
    /// </summary>
    public static void Measure(ProcessGroup group)
    {
        const int Batches = 15, SmallRounds = 1000, LargeRounds = 3;
        var small = Tensor.Zeros([1], DType.Float64);
        var large = Tensor.Zeros(4 << 20);
        for (int i = 0; i < 200; i++) group.AllReduce(small);
        group.AllReduce(large);
        var latency = new double[Batches];
        var bandwidth = new double[Batches];
        for (int batch = 0; batch < Batches; batch++)
        {
            group.Barrier();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < SmallRounds; i++) group.AllReduce(small);
            latency[batch] = clock.Elapsed.TotalMicroseconds / SmallRounds;
            group.Barrier();
            clock.Restart();
            for (int i = 0; i < LargeRounds; i++) group.AllReduce(large);
            bandwidth[batch] = 16.0 * LargeRounds / 1024 / clock.Elapsed.TotalSeconds;
        }
        Array.Sort(latency);
        Array.Sort(bandwidth);
        if (group.Rank == 0)
            Console.WriteLine($"8-byte all-reduce {latency[Batches / 2]:F2} us (best batch {latency[0]:F2}), " +
                              $"16 MiB all-reduce {bandwidth[Batches / 2]:F2} GiB/s (best batch {bandwidth[^1]:F2}), " +
                              $"median of {Batches} batches, {group.WorldSize} ranks");
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
