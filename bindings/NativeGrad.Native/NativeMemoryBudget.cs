namespace NativeGrad.Native;

/// <summary>
/// Starts garbage collections for native tensor storage, which the GC cannot see. Tensors that
/// nobody disposes free their blocks in finalizers, so it is collections that return memory to
/// the allocator's cache; without them every step of a training loop would take fresh pages.
/// </summary>
/// <remarks>
/// <see cref="GC.AddMemoryPressure"/> per block did this before, at a price: it answers pressure
/// with a full (gen 2) collection, about once per MLP training step. Nearly every tensor dies
/// young, so a nursery collection finds it; only tensors that were alive at an earlier
/// collection have been promoted, so every eighth collection here also looks at gen 1 and every
/// 64th at the whole heap. The budget grows with the live native bytes, as the GC's own heap
/// budget grows with the heap, so a program that keeps gigabytes of tensors is not collected
/// after every few megabytes.
/// </remarks>
internal static class NativeMemoryBudget
{
    private const long MinimumBudgetBytes = 4 << 20;

    private static long liveBytes;
    private static long allocatedSinceCollection;
    private static int collections;

    public static void Allocated(long bytes)
    {
        long live = Interlocked.Add(ref liveBytes, bytes);
        if (Interlocked.Add(ref allocatedSinceCollection, bytes) > Math.Max(MinimumBudgetBytes, live / 2))
            Collect();
    }

    public static void Freed(long bytes) => Interlocked.Add(ref liveBytes, -bytes);

    /// <summary>Bytes in storage blocks allocated and not yet freed, native and managed backends together.</summary>
    public static long LiveBytes => Volatile.Read(ref liveBytes);

    /// <summary>Blocks freed by their finalizer (dropped without Dispose) since the process started.</summary>
    public static long FreedByFinalizer => Volatile.Read(ref freedByFinalizer);

    /// <summary>Blocks freed by Dispose (directly, or by a tensor scope) since the process started.</summary>
    public static long FreedByDispose => Volatile.Read(ref freedByDispose);

    private static long freedByFinalizer, freedByDispose;

    /// <summary>
    /// A block's handle is being closed, by Dispose or by its finalizer. A disposed block is no
    /// garbage for a collection to find, so it stops counting towards the next one.
    /// </summary>
    public static void Closing(long bytes, bool disposing)
    {
        if (!disposing)
        {
            Interlocked.Increment(ref freedByFinalizer);
            return;
        }
        Interlocked.Increment(ref freedByDispose);
        long pending = Volatile.Read(ref allocatedSinceCollection);
        // Never below zero: the block may have been allocated before the last collection.
        while (pending > 0 && Interlocked.CompareExchange(ref allocatedSinceCollection, Math.Max(0, pending - bytes), pending) != pending)
            pending = Volatile.Read(ref allocatedSinceCollection);
    }

    private static void Collect()
    {
        // Of threads racing past the budget, one collects.
        if (Interlocked.Exchange(ref allocatedSinceCollection, 0) == 0) return;
        int count = Interlocked.Increment(ref collections);
        int generation = count % 64 == 0 ? 2 : count % 8 == 0 ? 1 : 0;
        GC.Collect(generation, GCCollectionMode.Forced, blocking: generation < 2);
    }
}
