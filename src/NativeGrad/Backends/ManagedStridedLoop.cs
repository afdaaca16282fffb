namespace NativeGrad.Backends;

/// <summary>
/// The body of a <see cref="StridedLoop"/>: processes one row, i.e. a run of elements along the
/// innermost remaining dimension. A kernel checks the strides it is handed and takes its vector
/// path when every operand is contiguous (stride = element size) or repeated (stride 0).
/// </summary>
internal unsafe interface IRowKernel
{
    /// <summary>
    /// Processes <paramref name="length"/> elements; operand k starts at <c>pointers[k]</c> and
    /// advances <c>strides[k]</c> bytes per element. The kernel must not change either array.
    /// </summary>
    void Row(byte** pointers, long* strides, int length);
}

/// <summary>One operand of a <see cref="StridedLoop"/>: where its data is and how it is laid out.</summary>
internal readonly unsafe ref struct StridedOperand
{
    /// <summary>An operand read or written through <paramref name="strides"/> (in elements).</summary>
    public StridedOperand(void* data, ReadOnlySpan<long> strides, int elementSize)
    {
        Data = (byte*)data;
        Strides = strides;
        ElementSize = elementSize;
        IsContiguous = false;
    }

    private StridedOperand(void* data, int elementSize)
    {
        Data = (byte*)data;
        ElementSize = elementSize;
        IsContiguous = true;
    }

    /// <summary>A row-major contiguous operand (the outputs of Binary and Where).</summary>
    public static StridedOperand Contiguous(void* data, int elementSize) => new(data, elementSize);

    public byte* Data { get; }

    public ReadOnlySpan<long> Strides { get; }

    public int ElementSize { get; }

    public bool IsContiguous { get; }
}

/// <summary>
/// The one N-dimensional iteration that Binary, Where and Copy share. It drops size-1 dimensions,
/// merges neighbouring dimensions that are contiguous for every operand (so a contiguous tensor,
/// or a contiguous tensor plus a broadcast scalar, becomes a single long row), then walks the
/// remaining outer dimensions with an odometer and hands each inner row to the kernel, whose
/// vector code does the work. Rows of a transposed operand are cut into cache-friendly tiles;
/// rows longer than a span can hold are split into chunks.
/// </summary>
internal static unsafe class StridedLoop
{
    private const int MaxOperands = 4;

    // Spans are int-sized; longer rows are handed to the kernel in pieces of this many elements.
    private const int RowChunk = 1 << 30;

    private const int CacheLine = 64;
    private const int TileElements = 64;

    /// <summary>Runs <paramref name="kernel"/> over <paramref name="shape"/> with two operands.</summary>
    public static void Run<TKernel>(ref TKernel kernel, ReadOnlySpan<long> shape, StridedOperand first, StridedOperand second)
        where TKernel : struct, IRowKernel
    {
        int rank = shape.Length, count = 2;
        byte** pointers = stackalloc byte*[MaxOperands];
        long* strides = stackalloc long[Math.Max(rank, 1) * count];
        Load(shape, first, 0, count, pointers, strides);
        Load(shape, second, 1, count, pointers, strides);
        Iterate(ref kernel, shape, count, pointers, strides);
    }

    /// <summary>Runs <paramref name="kernel"/> over <paramref name="shape"/> with three operands.</summary>
    public static void Run<TKernel>(ref TKernel kernel, ReadOnlySpan<long> shape,
                                    StridedOperand first, StridedOperand second, StridedOperand third)
        where TKernel : struct, IRowKernel
    {
        int rank = shape.Length, count = 3;
        byte** pointers = stackalloc byte*[MaxOperands];
        long* strides = stackalloc long[Math.Max(rank, 1) * count];
        Load(shape, first, 0, count, pointers, strides);
        Load(shape, second, 1, count, pointers, strides);
        Load(shape, third, 2, count, pointers, strides);
        Iterate(ref kernel, shape, count, pointers, strides);
    }

    /// <summary>Runs <paramref name="kernel"/> over <paramref name="shape"/> with four operands.</summary>
    public static void Run<TKernel>(ref TKernel kernel, ReadOnlySpan<long> shape,
                                    StridedOperand first, StridedOperand second, StridedOperand third, StridedOperand fourth)
        where TKernel : struct, IRowKernel
    {
        int rank = shape.Length, count = 4;
        byte** pointers = stackalloc byte*[MaxOperands];
        long* strides = stackalloc long[Math.Max(rank, 1) * count];
        Load(shape, first, 0, count, pointers, strides);
        Load(shape, second, 1, count, pointers, strides);
        Load(shape, third, 2, count, pointers, strides);
        Load(shape, fourth, 3, count, pointers, strides);
        Iterate(ref kernel, shape, count, pointers, strides);
    }

    // Writes operand k's base pointer and its byte strides into column k of the [dimension, operand] table.
    private static void Load(ReadOnlySpan<long> shape, StridedOperand operand, int k, int count, byte** pointers, long* strides)
    {
        pointers[k] = operand.Data;
        long contiguous = operand.ElementSize;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            strides[d * count + k] = operand.IsContiguous ? contiguous : operand.Strides[d] * operand.ElementSize;
            contiguous *= shape[d];
        }
    }

    private static void Iterate<TKernel>(ref TKernel kernel, ReadOnlySpan<long> shape, int count, byte** pointers, long* strides)
        where TKernel : struct, IRowKernel
    {
        foreach (long size in shape)
            if (size == 0) return;

        // Compact the table in place: dimension d goes to slot `rank` (never ahead of d), either
        // merged into the previous slot or as a new one. An outer slot merges with inner dimension
        // d when, for every operand, stepping the outer index once equals stepping d size(d) times.
        long* sizes = stackalloc long[Math.Max(shape.Length, 1)];
        int rank = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            long size = shape[d];
            if (size == 1) continue;
            long* current = strides + d * count;
            if (rank > 0 && Mergeable(strides + (rank - 1) * count, current, size, count))
            {
                sizes[rank - 1] *= size;
                CopyStrides(current, strides + (rank - 1) * count, count);
            }
            else
            {
                sizes[rank] = size;
                CopyStrides(current, strides + rank * count, count);
                rank++;
            }
        }
        if (rank == 0)
        {
            // A single element (0-d, or every dimension of size 1): one row of length 1.
            sizes[0] = 1;
            for (int k = 0; k < count; k++) strides[k] = 0;
            rank = 1;
        }

        // Rows run along the last dimension; the one outside it is walked in a tight loop (short
        // rows, as in a [N, 3] + [3] broadcast, are common), and an odometer covers the rest.
        long inner = sizes[rank - 1];
        long* innerStrides = strides + (rank - 1) * count;
        long outer = rank >= 2 ? sizes[rank - 2] : 1;
        long* outerStrides = rank >= 2 ? strides + (rank - 2) * count : innerStrides;
        long tile = TileWidth(inner, innerStrides, outer, outerStrides, count);
        int odometerRank = Math.Max(rank - 2, 0);
        long* counters = stackalloc long[Math.Max(odometerRank, 1)];
        for (int d = 0; d < odometerRank; d++) counters[d] = 0;
        byte** row = stackalloc byte*[MaxOperands];
        while (true)
        {
            for (long start = 0; start < inner; start += tile)
            {
                long width = Math.Min(tile, inner - start);
                for (int k = 0; k < count; k++) row[k] = pointers[k] + start * innerStrides[k];
                for (long r = 0; r < outer; r++)
                {
                    if (width <= RowChunk) kernel.Row(row, innerStrides, (int)width);
                    else RunLongRow(ref kernel, row, innerStrides, width, count);
                    for (int k = 0; k < count; k++) row[k] += outerStrides[k];
                }
            }

            // Odometer over the remaining outer dimensions, moving the base pointers along.
            int dimension = odometerRank - 1;
            for (; dimension >= 0; dimension--)
            {
                long* step = strides + dimension * count;
                if (++counters[dimension] < sizes[dimension])
                {
                    for (int k = 0; k < count; k++) pointers[k] += step[k];
                    break;
                }
                counters[dimension] = 0;
                for (int k = 0; k < count; k++) pointers[k] -= step[k] * (sizes[dimension] - 1);
            }
            if (dimension < 0) return;
        }
    }

    // A transposed operand (as in contiguous() of a transpose) steps a cache line or more per
    // element along the rows but little between rows. Then the rows are cut into tiles of
    // TileElements and the loop runs down the rows tile by tile, so each cache line that such an
    // operand loads serves the following rows too. Otherwise the row is one tile.
    private static long TileWidth(long inner, long* innerStrides, long outer, long* outerStrides, int count)
    {
        if (outer == 1 || inner <= TileElements) return inner;
        for (int k = 0; k < count; k++)
            if (Math.Abs(innerStrides[k]) >= CacheLine && Math.Abs(outerStrides[k]) < Math.Abs(innerStrides[k]))
                return TileElements;
        return inner;
    }

    private static bool Mergeable(long* outer, long* inner, long innerSize, int count)
    {
        for (int k = 0; k < count; k++)
            if (outer[k] != inner[k] * innerSize) return false;
        return true;
    }

    private static void CopyStrides(long* from, long* to, int count)
    {
        for (int k = 0; k < count; k++) to[k] = from[k];
    }

    // A row longer than a span can hold goes to the kernel in chunks, through its own pointer copy.
    private static void RunLongRow<TKernel>(ref TKernel kernel, byte** start, long* strides, long length, int count)
        where TKernel : struct, IRowKernel
    {
        byte** chunkStart = stackalloc byte*[MaxOperands];
        for (int k = 0; k < count; k++) chunkStart[k] = start[k];
        while (length > 0)
        {
            int chunk = (int)Math.Min(length, RowChunk);
            kernel.Row(chunkStart, strides, chunk);
            for (int k = 0; k < count; k++) chunkStart[k] += strides[k] * chunk;
            length -= chunk;
        }
    }
}
