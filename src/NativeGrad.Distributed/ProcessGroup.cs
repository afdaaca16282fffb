namespace NativeGrad.Distributed;

/// <summary>How <see cref="ProcessGroup.AllReduce"/> combines the ranks' values (torch.distributed.ReduceOp).</summary>
public enum ReduceOp
{
    /// <summary>The sum (for bool: logical or).</summary>
    Sum,
    /// <summary>The sum divided by the world size (floating-point dtypes only).</summary>
    Avg,
    /// <summary>The maximum (for bool: logical or).</summary>
    Max,
    /// <summary>The minimum (for bool: logical and).</summary>
    Min,
}

/// <summary>
/// The processes of an MPI job (torch.distributed's default process group): this process's
/// <see cref="Rank"/> among <see cref="WorldSize"/>, and collectives on tensors. Created from the
/// environment <c>mpirun</c> sets up; one per process.
/// </summary>
/// <remarks>
/// Every collective must be called by every rank, in the same order, with tensors of the same
/// shape and dtype. A rank that never joins (it threw, hangs or died) makes the others throw
/// <see cref="TimeoutException"/> after <see cref="Timeout"/> instead of waiting forever; the job
/// cannot go on after that (<see cref="Abort"/> ends it). Collectives work in place: a contiguous
/// tensor's own memory is sent and overwritten, a non-contiguous one (a transposed view) goes
/// through a contiguous copy that is written back; either way its version counter moves, as an
/// in-place op's does.
/// </remarks>
public sealed unsafe class ProcessGroup : IDisposable
{
    private static readonly object Creation = new();
    private static ProcessGroup? current;
    private bool disposed;

    private ProcessGroup(int rank, int worldSize, TimeSpan timeout)
    {
        Rank = rank;
        WorldSize = worldSize;
        Timeout = timeout;
    }

    /// <summary>This process's rank, 0 to <see cref="WorldSize"/> - 1.</summary>
    public int Rank { get; }

    /// <summary>The number of processes in the job.</summary>
    public int WorldSize { get; }

    /// <summary>How long a collective waits for the other ranks before it throws <see cref="TimeoutException"/>.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// Joins the MPI job this process was started in (by <c>mpirun</c>; a process started alone is
    /// rank 0 of 1). <paramref name="timeout"/> defaults to 30 minutes, as PyTorch's.
    /// </summary>
    public static ProcessGroup FromEnvironment(TimeSpan? timeout = null)
    {
        var wait = timeout ?? TimeSpan.FromMinutes(30);
        if (wait <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(timeout), wait, "the timeout must be positive");
        lock (Creation)
        {
            if (current is { disposed: false })
                throw new InvalidOperationException("this process already has a process group; dispose it first (MPI cannot be re-initialised after that)");
            int rank, size;
            MpiNative.Check(MpiNative.Init(&rank, &size));
            return current = new ProcessGroup(rank, size, wait);
        }
    }

    /// <summary>Combines <paramref name="tensor"/> over all ranks with <paramref name="op"/>, in place on every rank.</summary>
    public void AllReduce(Tensor tensor, ReduceOp op = ReduceOp.Sum)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (op == ReduceOp.Avg && !tensor.DType.IsFloatingPoint())
            throw new ArgumentException($"ReduceOp.Avg needs a floating-point tensor, got {tensor.DType.TorchName()}", nameof(op));
        int nativeOp = op switch
        {
            ReduceOp.Sum => 0,
            ReduceOp.Max => 1,
            ReduceOp.Min => 2,
            ReduceOp.Avg => 3,
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown ReduceOp"),
        };
        var work = InPlaceTarget(tensor);
        using (var data = work.Lease())
            fixed (byte* dataPtr = data)
                MpiNative.Check(MpiNative.AllReduce(dataPtr, work.NumElements, (int)work.DType, nativeOp, Timeout.TotalSeconds));
        WrittenInPlace(tensor, work);
    }

    /// <summary>Copies rank <paramref name="root"/>'s <paramref name="tensor"/> into the others', in place.</summary>
    public void Broadcast(Tensor tensor, int root = 0)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (root < 0 || root >= WorldSize)
            throw new ArgumentOutOfRangeException(nameof(root), root, $"the root must be a rank, 0 to {WorldSize - 1}");
        var work = InPlaceTarget(tensor);
        using (var data = work.Lease())
            fixed (byte* dataPtr = data)
                MpiNative.Check(MpiNative.Broadcast(dataPtr, work.NumElements * work.DType.SizeOf(), root, Timeout.TotalSeconds));
        WrittenInPlace(tensor, work);
    }

    /// <summary>Every rank's <paramref name="tensor"/>, indexed by rank (torch.distributed.all_gather).</summary>
    public Tensor[] AllGather(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var work = tensor.ContiguousRaw();
        var shape = tensor.Shape.ToArray();
        var gathered = Tensor.Zeros([WorldSize, .. shape], tensor.DType);
        using (var send = work.Lease())
        using (var receive = gathered.Lease())
            fixed (byte* sendPtr = send, receivePtr = receive)
                MpiNative.Check(MpiNative.AllGather(sendPtr, work.NumElements * work.DType.SizeOf(), receivePtr, Timeout.TotalSeconds));
        return [.. Enumerable.Range(0, WorldSize).Select(r => gathered[r].Clone())];
    }

    /// <summary>Returns when every rank has called it.</summary>
    public void Barrier() => MpiNative.Check(MpiNative.Barrier(Timeout.TotalSeconds));

    /// <summary>Ends every process of the job with exit code <paramref name="code"/> (MPI_Abort): the way out after a failed collective.</summary>
    public void Abort(int code = 1) => MpiNative.Abort(code);

    /// <summary>Leaves the job (MPI_Finalize). Every rank must call it; MPI cannot start again in this process.</summary>
    public void Dispose()
    {
        lock (Creation)
        {
            if (disposed) return;
            disposed = true;
            MpiNative.Check(MpiNative.Finalize());
        }
    }

    // What a collective reads and overwrites: the tensor itself when contiguous (no copy, no
    // allocation: what keeps a small all-reduce at MPI's latency), else a contiguous copy of it.
    private static Tensor InPlaceTarget(Tensor tensor)
    {
        tensor.ThrowIfInferenceOutsideInferenceMode();
        return tensor.ContiguousRaw();
    }

    // After the collective wrote `work`: copy it back when it was a copy, and count the change
    // as an in-place op does (autograd then reports a saved tensor that changed).
    private static void WrittenInPlace(Tensor tensor, Tensor work)
    {
        if (ReferenceEquals(work, tensor)) tensor.storage.BumpVersion();
        else tensor.CopyFromRaw(work);
    }
}
