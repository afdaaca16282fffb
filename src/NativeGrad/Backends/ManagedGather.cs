namespace NativeGrad.Backends;

/// <summary>
/// <see cref="IKernels.Gather"/> and <see cref="IKernels.Scatter"/> for the managed backend: one
/// indexed load or store per position, as in the native library. Selection copies bits, so only
/// the element size matters.
/// </summary>
internal sealed unsafe partial class ManagedKernels
{
    public void Gather(DType dtype, long outer, long length, long inner, void* x, ReadOnlySpan<long> xStrides, long* index, void* result)
    {
        switch (dtype.SizeOf())
        {
            case 4: GatherElements((uint*)x, outer, inner, xStrides, index, (uint*)result); break;
            case 8: GatherElements((ulong*)x, outer, inner, xStrides, index, (ulong*)result); break;
            default: throw Unsupported("gather", "gather", dtype);
        }
    }

    public void Scatter(DType dtype, long outer, long length, long inner, void* values, long* index, void* result)
    {
        switch (dtype.SizeOf())
        {
            case 4: ScatterElements((uint*)values, outer, length, inner, index, (uint*)result); break;
            case 8: ScatterElements((ulong*)values, outer, length, inner, index, (ulong*)result); break;
            default: throw Unsupported("scatter", "scatter", dtype);
        }
    }

    private static void GatherElements<T>(T* x, long outer, long inner, ReadOnlySpan<long> xStrides, long* index, T* result)
        where T : unmanaged
    {
        for (long o = 0; o < outer; o++)
            for (long j = 0; j < inner; j++)
            {
                long k = index[o * inner + j];
                result[o * inner + j] = k < 0 ? default : x[o * xStrides[0] + k * xStrides[1] + j * xStrides[2]];
            }
    }

    private static void ScatterElements<T>(T* values, long outer, long length, long inner, long* index, T* result)
        where T : unmanaged
    {
        new Span<T>(result, checked((int)(outer * length * inner))).Clear();
        for (long o = 0; o < outer; o++)
            for (long j = 0; j < inner; j++)
            {
                long k = index[o * inner + j];
                if (k >= 0) result[(o * length + k) * inner + j] = values[o * inner + j];
            }
    }
}
