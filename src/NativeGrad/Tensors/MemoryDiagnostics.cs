using NativeGrad.Native;

namespace NativeGrad;

/// <summary>
/// Counters of tensor storage, both backends together: how much is alive, and whether dead
/// storage was freed deterministically (Dispose, a <see cref="TensorScope"/>) or left to the
/// finalizer. Small blocks (tensors of a few elements, in the GC heap) are not counted.
/// </summary>
public static class MemoryDiagnostics
{
    /// <summary>Bytes in storage blocks allocated and not yet freed.</summary>
    public static long LiveBytes => NativeMemoryBudget.LiveBytes;

    /// <summary>Blocks freed by their finalizer, because nothing disposed them, since the process started.</summary>
    public static long FreedByFinalizer => NativeMemoryBudget.FreedByFinalizer;

    /// <summary>Blocks freed by Dispose or by a <see cref="TensorScope"/> since the process started.</summary>
    public static long FreedByDispose => NativeMemoryBudget.FreedByDispose;
}
