namespace NativeGrad;

// In-place ops recorded on views, as PyTorch records them: the write lands in the base's storage,
// so the base's history is rewritten (a CopySlices node: the base's old gradient outside the view,
// the new values' gradient inside it), and the view becomes an as_strided view of the new base
// (AsStridedBackward0). Views are strided, so one geometry (shape, strides, offset within a
// contiguous base) says where a view's elements sit in any tensor of the base's shape.
public sealed partial class Tensor
{
    private readonly record struct ViewGeometry(long[] Shape, long[] Strides, long Offset)
    {
        public Tensor Of(Tensor whole) => whole.View(Shape, Strides, whole.offset + Offset);
    }

    /// <summary>
    /// Records <paramref name="newValues"/> (already written into this view) as replacing the
    /// view's region of its base: the base gets a CopySlices node, this view an as_strided one.
    /// </summary>
    private void RecordWriteIntoBase(Tensor newValues)
    {
        var root = viewBase!;
        var geometry = new ViewGeometry((long[])shape.Clone(), (long[])strides.Clone(), offset - root.offset);
        var baseShape = root.shape;
        // The base as it was: its old history, none of its storage changed by what follows.
        var before = new Tensor(root.storage, baseShape, root.strides, root.offset, root.DType)
        {
            gradFn = root.gradFn, requiresGrad = root.requiresGrad, viewBase = root, historyVersion = root.storage.Version,
        };
        // In forward mode the in-place op writes its tangent itself (ForwardAD.WriteInPlace); these
        // forward rules serve the backward formulas when they are differentiated forward.
        var copySlices = new Derivative("CopySlices", Save.Nothing,
            (n, g) => Where(RegionMask(baseShape, geometry), 0.0, g),
            (n, g) => AsStrided(g.Contiguous(), geometry))
        {
            Forward = [(f, t) => Where(RegionMask(baseShape, geometry), 0.0, t), (f, t) => ScatterIntoZeros(t, baseShape, geometry.Of)],
        };
        Node.Record(root, copySlices, [before, newValues]);
        Node.Record(this, AsStridedDerivative(baseShape, geometry), [root]);
    }

    /// <summary>
    /// This tensor's node as PyTorch's grad_fn getter gives it: a view whose storage was written in
    /// place since its node was recorded (through its base, another view, or under NoGrad) gets,
    /// when read, a new AsStridedBackward0 from its base's current history, instead of keeping a
    /// node that differentiates values it no longer holds. Every read of a node for the graph
    /// goes through here.
    /// </summary>
    internal Node? History
    {
        get
        {
            if (gradFn is not null && viewBase is { IsContiguous: true } root && storage.Version != historyVersion)
            {
                var geometry = new ViewGeometry((long[])shape.Clone(), (long[])strides.Clone(), offset - root.offset);
                // PyTorch regenerates whatever the grad mode is when grad_fn is read.
                using (GradMode.Set(true)) Node.Record(this, AsStridedDerivative(root.shape, geometry), [root]);
            }
            return gradFn;
        }
    }

    /// <summary>The storage version <see cref="gradFn"/> describes; a view regenerates its node when they differ.</summary>
    private int historyVersion;

    internal void SetHistory(Node? node)
    {
        gradFn = node;
        historyVersion = storage.Version;
    }

    // A differentiable as_strided view of a contiguous tensor of the base's shape.
    private static Tensor AsStrided(Tensor whole, ViewGeometry geometry) =>
        Node.Record(geometry.Of(whole), AsStridedDerivative(whole.shape, geometry), [whole]);

    private static Derivative AsStridedDerivative(long[] baseShape, ViewGeometry geometry) =>
        new("AsStridedBackward0", Save.Nothing, (n, g) => ScatterIntoZeros(g, baseShape, geometry.Of))
        {
            Forward = [(f, t) => geometry.Of(t.Contiguous())],
        };

    private static Tensor RegionMask(long[] baseShape, ViewGeometry geometry)
    {
        var mask = Zeros(baseShape, DType.Bool);
        using (GradMode.Set(false)) geometry.Of(mask).CopyFromRaw(Scalar(1, DType.Bool).Expand(geometry.Shape));
        return mask;
    }

    // PyTorch's assert_no_partial_overlap between the written-to tensor and an input: an input
    // holding some of the written elements, or all of them in another order (x.Copy_(x.T)), would
    // be read where the kernel already wrote. The same elements in the same layout are fine
    // (x.Add_(x)), and layouts that are not dense are let through, as PyTorch lets them ("too hard").
    private void ThrowIfPartialOverlap(Tensor? input)
    {
        if (input is null || ReferenceEquals(input, this) || input.storage != storage || NumElements == 0 || input.NumElements == 0) return;
        if (!IsNonOverlappingAndDense() || !input.IsNonOverlappingAndDense()) return;
        long end = offset + NumElements, inputEnd = input.offset + input.NumElements;
        bool partial = offset == input.offset && end == inputEnd
            ? !strides.AsSpan().SequenceEqual(input.strides)
            : offset < inputEnd && input.offset < end;
        if (partial)
            throw new InvalidOperationException(
                "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.");
    }

    // PyTorch's is_non_overlapping_and_dense: the elements fill a block of memory exactly once, in
    // some order of the dimensions (size-1 dimensions have any stride).
    private bool IsNonOverlappingAndDense()
    {
        if (shape.Length == 1) return shape[0] < 2 || strides[0] == 1;
        var order = Enumerable.Range(0, shape.Length).Where(d => shape[d] >= 2).OrderBy(d => strides[d]);
        long required = 1;
        foreach (int d in order)
        {
            if (strides[d] != required) return false;
            required *= shape[d];
        }
        return true;
    }

    // PyTorch's assert_no_internal_overlap: a dimension of stride 0 (an expanded view) makes
    // several elements one memory location, and a write to them would race with itself.
    private void ThrowIfInternalOverlap()
    {
        for (int d = 0; d < shape.Length; d++)
            if (strides[d] == 0 && shape[d] > 1)
                throw new InvalidOperationException(
                    "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.");
    }
}
