using CsCheck;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// GradCheck over the shape operations, views, indexing, cat and stack; see <see cref="GradCheckTestBase"/>.
/// </summary>
public class GradCheckShapeTests : GradCheckTestBase
{
    public static TheoryData<BackendKind, string> ShapeOps => Names(ShapeCases);

    [Theory]
    [MemberData(nameof(ShapeOps))]
    public void ShapeOpGradientsMatchFiniteDifferences(BackendKind backend, string op) => Check(backend, ShapeCases[op]);

    public static readonly Dictionary<string, Gen<Case>> ShapeCases = new()
    {
        ["Reshape"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from target in Rearranged(x.Shape)
            select new Case([x], t => t[0].Reshape(target), Describe("target", target)),
        // A transposed input cannot be viewed: reshape copies (UnsafeViewBackward0).
        ["Reshape of a transposed input"] =
            from x in Leaf(Shape(2, 3), Anywhere)
            from target in Rearranged(x.Shape)
            select new Case([x], t => t[0].Transpose(0, -1).Reshape(target), Describe("target", target)),
        ["View"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from target in Rearranged(x.Shape)
            select new Case([x], t => t[0].View(target), Describe("target", target)),
        // Every other row is not contiguous, but each row is: the last two dimensions merge.
        ["View of every other row"] =
            Leaf(Shape(3, 3), Anywhere).Select(x => new Case([x], t => t[0].Slice(0, step: 2).View(-1, x.Shape[1] * x.Shape[2]))),
        ["Transpose"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from dim0 in Dim(x.Shape.Length)
            from dim1 in Dim(x.Shape.Length)
            select new Case([x], t => t[0].Transpose(dim0, dim1), $"dims {dim0}, {dim1}"),
        ["T"] = Unary(Anywhere, x => x.T),
        ["Permute"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from keys in Gen.Double[0, 1].Array[x.Shape.Length]
            from fromEnd in Gen.Bool.Array[x.Shape.Length]
            let order = RanksOf(keys).Select((d, i) => fromEnd[i] ? d - x.Shape.Length : d).ToArray()
            select new Case([x], t => t[0].Permute(order), $"order [{string.Join(", ", order)}]"),
        // Sizes of 1 are common here so that squeeze has something to remove.
        ["Squeeze()"] = Leaf(Shape(0, 3, maxSize: 2), Anywhere).Select(x => new Case([x], t => t[0].Squeeze())),
        ["Squeeze(dim)"] =
            from x in Leaf(Shape(0, 3, maxSize: 2), Anywhere)
            from dim in Dim(x.Shape.Length)
            select new Case([x], t => t[0].Squeeze(dim), $"dim {dim}"),
        ["Unsqueeze(dim)"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from dim in Gen.Int[-x.Shape.Length - 1, x.Shape.Length]
            select new Case([x], t => t[0].Unsqueeze(dim), $"dim {dim}"),
        ["Expand"] =
            from x in Leaf(Shape(0, 3, maxSize: 2), Anywhere)
            from leading in Shape(0, 2, maxSize: 3)
            from grown in Gen.Int[1, 3].Array[x.Shape.Length]
            from keepWithMinusOne in Gen.Bool.Array[x.Shape.Length]
            let target = leading.Concat(x.Shape.Select((s, d) => keepWithMinusOne[d] ? -1 : s == 1 ? grown[d] : s)).ToArray()
            select new Case([x], t => t[0].Expand(target), Describe("sizes", target)),
        ["Flatten(start, end)"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from start in Gen.Int[0, Math.Max(x.Shape.Length - 1, 0)]
            from end in Gen.Int[start, Math.Max(x.Shape.Length - 1, 0)]
            from startFromEnd in Gen.Bool
            from endFromEnd in Gen.Bool
            let rank = Math.Max(x.Shape.Length, 1)
            let startDim = startFromEnd ? start - rank : start
            let endDim = endFromEnd ? end - rank : end
            select new Case([x], t => t[0].Flatten(startDim, endDim), $"start {startDim} end {endDim}"),
        ["Slice(dim, start, end, step)"] =
            from x in Leaf(Shape(1, 3), Anywhere)
            from dim in Dim(x.Shape.Length)
            let size = (int)x.Shape[dim < 0 ? dim + x.Shape.Length : dim]
            from start in Bound(size)
            from end in Bound(size)
            from step in Gen.Int[1, 3]
            select new Case([x], t => t[0].Slice(dim, start, end, step), $"dim {dim} start {start} end {end} step {step}"),
        ["Select(dim, index)"] =
            from x in Leaf(Shape(1, 3), Anywhere)
            from dim in Dim(x.Shape.Length)
            let size = (int)x.Shape[dim < 0 ? dim + x.Shape.Length : dim]
            from index in Gen.Int[-size, size - 1]
            select new Case([x], t => t[0].Select(dim, index), $"dim {dim} index {index}"),
        ["Narrow(dim, start, length)"] =
            from x in Leaf(Shape(1, 3), Anywhere)
            from dim in Dim(x.Shape.Length)
            let size = (int)x.Shape[dim < 0 ? dim + x.Shape.Length : dim]
            from start in Gen.Int[-size, size - 1]
            from length in Gen.Int[0, size - (start < 0 ? start + size : start)]
            select new Case([x], t => t[0].Narrow(dim, start, length), $"dim {dim} start {start} length {length}"),
        ["Indexer"] =
            from x in Leaf(Shape(1, 3), Anywhere)
            from index in PythonIndex(x.Shape)
            select new Case([x], t => t[0][[.. index.Select(i => i.Value)]], $"[{string.Join(", ", index)}]"),
        ["Contiguous of a transposed input"] =
            Leaf(Shape(2, 3), Anywhere).Select(x => new Case([x], t => t[0].Transpose(0, -1).Contiguous())),
        ["Contiguous of a contiguous input"] = Unary(Anywhere, x => x.Contiguous()),
        ["Clone"] = Unary(Anywhere, x => x.Clone()),
        // Repeated positions must add their gradients up. A scalar counts as one position along dim 0.
        ["IndexSelect(dim, index)"] =
            from x in Leaf(Shape(0, 3), Anywhere)
            from dim in Dim(x.Shape.Length)
            let size = x.Shape.Length == 0 ? 1 : (int)x.Shape[dim < 0 ? dim + x.Shape.Length : dim]
            from positions in Gen.Int[0, size - 1].Array[1, x.Shape.Length == 0 ? 1 : 5]
            let index = positions.Select(p => (long)p).ToArray()
            select new Case([x], t => t[0].IndexSelect(dim, Tensor.From(index)), Describe("dim " + dim + " index", index)),
        ["Cat"] =
            from shape in Shape(1, 3)
            from dim in Dim(shape.Length)
            from count in Gen.Int[1, 3]
            from sizes in Size.Array[count]
            from parts in All(sizes.Select(s => Leaf(WithSize(shape, dim, s), Anywhere)))
            select new Case([.. parts], t => Tensor.Cat(t, dim), $"dim {dim}"),
        ["Stack"] =
            from shape in Shape(0, 3)
            from dim in Gen.Int[-shape.Length - 1, shape.Length]
            from count in Gen.Int[1, 3]
            from parts in Leaf(shape, Anywhere).Array[count]
            select new Case(parts, t => Tensor.Stack(t, dim), $"dim {dim}"),
        // To the dtype it already has, To returns the tensor itself.
        ["To(Float64)"] = Unary(Anywhere, x => x.To(DType.Float64).To(DType.Float64) * 2.0),
    };

    private static long[] WithSize(long[] shape, int dim, long size)
    {
        var result = (long[])shape.Clone();
        result[dim < 0 ? dim + shape.Length : dim] = size;
        return result;
    }

    /// <summary>Another shape with the same number of elements: the sizes shuffled, 1s inserted, one maybe -1.</summary>
    private static Gen<long[]> Rearranged(long[] shape) =>
        from ones in Gen.Int[0, 2]
        let sizes = shape.Concat(Enumerable.Repeat(1L, ones)).ToArray()
        from keys in Gen.Double[0, 1].Array[sizes.Length]
        from inferred in Gen.Int[-1, sizes.Length - 1]
        select Enumerable.Range(0, sizes.Length).OrderBy(i => keys[i])
                         .Select((i, position) => position == inferred ? -1 : sizes[i]).ToArray();

    /// <summary>A slice bound: none, or a position from before the start to past the end, possibly negative.</summary>
    private static Gen<long?> Bound(int size) =>
        Gen.OneOf<long?>(Gen.Const((long?)null), Gen.Int[-size - 1, size + 1].Select(i => (long?)i));

    /// <summary>
    /// A Python-style index for <paramref name="shape"/>: for some dimensions an integer, a stepped
    /// slice or a C# range, with perhaps an ellipsis standing for the rest and a new axis.
    /// </summary>
    private static Gen<IndexEntry[]> PythonIndex(long[] shape) =>
        from explicitCount in Gen.Int[0, shape.Length]
        from ellipsisAt in Gen.Int[-1, explicitCount]
        // Entries after an ellipsis index the trailing dimensions.
        let dims = Enumerable.Range(0, explicitCount)
                             .Select(i => ellipsisAt >= 0 && i >= ellipsisAt ? shape.Length - (explicitCount - i) : i).ToArray()
        from entries in All(dims.Select(d => IndexEntryFor((int)shape[d])))
        from newAxisAt in Gen.Int[-1, explicitCount + (ellipsisAt >= 0 ? 1 : 0)]
        select WithNewAxis(WithEllipsis(entries, ellipsisAt), newAxisAt);

    private static IndexEntry[] WithEllipsis(IndexEntry[] entries, int at) =>
        at < 0 ? entries : [.. entries[..at], new IndexEntry("...", TensorIndex.Ellipsis), .. entries[at..]];

    private static IndexEntry[] WithNewAxis(IndexEntry[] entries, int at) =>
        at < 0 ? entries : [.. entries[..at], new IndexEntry("None", TensorIndex.NewAxis), .. entries[at..]];

    private static Gen<IndexEntry> IndexEntryFor(int size) => Gen.OneOf<IndexEntry>(
        Gen.Int[-size, size - 1].Select(i => new IndexEntry(i.ToString(), i)),
        from start in Bound(size)
        from stop in Bound(size)
        from step in Gen.Int[1, 3]
        select new IndexEntry($"{start}:{stop}:{step}", TensorIndex.Slice(start, stop, step)),
        // C# ranges: a start counted from the end is ^1..^size (^0 would be Python's 0, not the end).
        from start in Gen.OneOf<System.Index>(Gen.Int[0, size].Select(i => new System.Index(i)), Gen.Int[1, size].Select(i => System.Index.FromEnd(i)))
        from end in Gen.OneOf<System.Index>(Gen.Int[0, size].Select(i => new System.Index(i)), Gen.Int[0, size].Select(i => System.Index.FromEnd(i)))
        select new IndexEntry($"{start}..{end}", new Range(start, end)));

    public sealed record IndexEntry(string Text, TensorIndex Value)
    {
        public override string ToString() => Text;
    }
}
