using NativeGrad;
using NativeGrad.Distributed;

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
