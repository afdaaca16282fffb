using NativeGrad.Backends;

namespace NativeGrad;

// In-place operations (torch's trailing underscore): they compute out of place, write the result
// into this tensor's storage and bump the version counter that saved tensors check.
public sealed partial class Tensor
{
    /// <summary>Fills with zeros in place and returns this tensor (torch's zero_()).</summary>
    public Tensor Zero_()
    {
        // An optimizer's .grad each step: outside autograd and contiguous, the storage is cleared
        // (memset), not copied into from a broadcast zero through the in-place machinery.
        if (!(GradMode.IsRecording && RequiresGrad) && ForwardAD.Active is null && IsContiguous)
        {
            ThrowIfInferenceOutsideInferenceMode();
            long bytes = NumElements * DType.SizeOf();
            using (var data = Lease())
                for (long done = 0; done < bytes; done += int.MaxValue)
                    data.AsSpan(done, (int)Math.Min(int.MaxValue, bytes - done)).Clear();
            storage.BumpVersion();
            return this;
        }
        return InPlace(self => self.ScalarExpanded(0), replacedBy: Derivatives.Zero);
    }

    /// <summary>Fills with <paramref name="value"/> (converted to this dtype) in place and returns this tensor.</summary>
    public Tensor Fill_(double value)
    {
        ThrowIfValueOverflows(value, DType);
        return InPlace(self => self.ScalarExpanded(value), replacedBy: Derivatives.Fill);
    }

    /// <summary>this += other in place (broadcasting other), returns this tensor.</summary>
    public Tensor Add_(Tensor other) => InPlaceArithmetic(BinaryOp.Add, other);
    /// <summary>this += s in place.</summary>
    public Tensor Add_(double s) => InPlaceArithmetic(BinaryOp.Add, WrapScalar(s, this));
    /// <summary>this += s in place, with an integer scalar (an int64 tensor stays exact).</summary>
    public Tensor Add_(long s) => InPlace(self => self + s);
    /// <summary>this -= other in place.</summary>
    public Tensor Sub_(Tensor other) => InPlaceArithmetic(BinaryOp.Sub, other);
    /// <summary>this -= s in place.</summary>
    public Tensor Sub_(double s) => InPlaceArithmetic(BinaryOp.Sub, WrapScalar(s, this));
    /// <summary>this -= s in place, with an integer scalar.</summary>
    public Tensor Sub_(long s) => InPlace(self => self - s);
    /// <summary>this *= other in place.</summary>
    public Tensor Mul_(Tensor other) => InPlaceArithmetic(BinaryOp.Mul, other);
    /// <summary>this *= s in place.</summary>
    public Tensor Mul_(double s) => InPlaceArithmetic(BinaryOp.Mul, WrapScalar(s, this));
    /// <summary>this *= s in place, with an integer scalar.</summary>
    public Tensor Mul_(long s) => InPlace(self => self * s);
    /// <summary>this /= other in place (true division, so an integer tensor cannot hold the result).</summary>
    public Tensor Div_(Tensor other) => InPlaceArithmetic(BinaryOp.Div, other);
    /// <summary>this /= s in place.</summary>
    public Tensor Div_(double s) => InPlaceArithmetic(BinaryOp.Div, WrapScalar(s, this));
    /// <summary>this /= s in place, with an integer scalar.</summary>
    public Tensor Div_(long s) => InPlace(self => self / s);

    /// <summary>Copies <paramref name="source"/> (broadcast to this shape, converted to this dtype) into this tensor.</summary>
    public Tensor Copy_(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return InPlace(self =>
        {
            if (!ShapeMath.Broadcast(shape, source.shape).AsSpan().SequenceEqual(shape))
                throw new ArgumentException($"output with shape {ShapeMath.Format(shape)} doesn't match the broadcast shape {ShapeMath.Format(ShapeMath.Broadcast(shape, source.shape))}");
            using (GradMode.Set(false))
                return source.To(DType).Expand([.. shape]);
        }, source, replacedBy: Derivatives.Copy);
    }

    /// <summary>
    /// this = this op other. Outside of recording, when the result has this tensor's shape and
    /// dtype and this tensor is contiguous, the kernel writes straight into this storage, as
    /// PyTorch's does, instead of into a temporary that is then copied (twice the memory traffic,
    /// and a full-size allocation per optimizer update). Everything else, errors included, goes
    /// through <see cref="InPlace"/>. A scalar operand comes wrapped (<see cref="WrapScalar(double, Tensor)"/>).
    /// </summary>
    internal Tensor InPlaceArithmetic(BinaryOp op, Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        ThrowIfInferenceOutsideInferenceMode();
        if (!CanComputeInto(other))
            return InPlaceOutOfPlace(op, other);
        ArithmeticIntoRaw(op, other);
        storage.BumpVersion();
        return this;
    }

    // Apart from InPlaceArithmetic, so that its fast path (an optimizer's every update) allocates no closure.
    private Tensor InPlaceOutOfPlace(BinaryOp op, Tensor other) => InPlace(self => op switch
    {
        BinaryOp.Add => self + other,
        BinaryOp.Sub => self - other,
        BinaryOp.Mul => self * other,
        BinaryOp.Div => self / other,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "not an in-place arithmetic op"),
    }, other);

    // An operand that shares this storage is read at the index being written only when it has
    // the same layout; at any other it could read values the kernel already overwrote.
    internal bool CanComputeInto(Tensor other) =>
        !(GradMode.IsRecording && (RequiresGrad || other.RequiresGrad))
        && !(ForwardAD.Active is { } level && (TangentAt(level) is not null || other.TangentAt(level) is not null))
        && DType.IsFloatingPoint() && other.DType != DType.Bool && TypePromotion.ResultType(this, other) == DType
        && IsContiguous && ShapeMath.BroadcastsInto(other.shape, shape)
        && (other.storage != storage
            || (other.offset == offset && other.shape.AsSpan().SequenceEqual(shape) && other.strides.AsSpan().SequenceEqual(strides)));

    /// <summary>A value of this dtype broadcast to this shape: what fill_ and zero_ copy in, without a full-size temporary.</summary>
    private Tensor ScalarExpanded(double value) => Scalar(value, DType).Expand(shape);

    /// <summary>
    /// An in-place op computes out of place, then writes the values into this storage, bumping the
    /// version that saved tensors check. When recording, this tensor takes over the node of the
    /// out-of-place result, or gets a <paramref name="replacedBy"/> node when its old values are
    /// simply overwritten. <paramref name="other"/> and <paramref name="other2"/> are the tensor
    /// operands, if any (addcmul_ and addcdiv_ have two).
    /// </summary>
    private Tensor InPlace(Func<Tensor, Tensor> compute, Tensor? other = null, Derivative? replacedBy = null, Tensor? other2 = null)
    {
        bool operandRequiresGrad = other is { RequiresGrad: true } || other2 is { RequiresGrad: true };
        ThrowIfInferenceOutsideInferenceMode();
        bool recording = GradMode.IsRecording && (RequiresGrad || operandRequiresGrad);
        if (GradMode.IsEnabled && IsLeaf && RequiresGrad)
            throw new InvalidOperationException(AutogradErrors.LeafInPlace);
        // fill_ and zero_ write one value, so an expanded view is fine for them, as in PyTorch.
        if (replacedBy != Derivatives.Fill && replacedBy != Derivatives.Zero) ThrowIfInternalOverlap();
        ThrowIfPartialOverlap(other);
        ThrowIfPartialOverlap(other2);
        // On a view, the base's history is rewritten afterwards (CopySlices); that needs the
        // view's place in the base, which a contiguous base gives.
        bool onView = recording && viewBase is not null;
        if (onView && GradMode.IsEnabled && viewBase!.IsLeaf && viewBase.RequiresGrad)
            throw new InvalidOperationException(AutogradErrors.ViewOfLeafInPlace);
        if (onView && !viewBase!.IsContiguous)
            throw new NotSupportedException(
                "an in-place operation recorded for autograd on a view of a non-contiguous tensor is not supported; " +
                "use the out-of-place operation, or Clone() the view first");
        // A rule that needs the old values of this tensor (d(a*b)/db = a) must not see the new
        // ones: PyTorch saves a copy of self then, and so does this, with the same history.
        var self = this;
        if (recording && replacedBy is null && operandRequiresGrad)
        {
            self = CopyRaw(DType);
            self.gradFn = History;
            self.requiresGrad = requiresGrad;
            // And of its tangent, which is overwritten in place below just as the values are.
            if (forwardGrad is { } dual) self.forwardGrad = dual with { Tangent = dual.Tangent.CopyRaw(dual.Tangent.DType) };
        }
        var result = compute(self);
        if (!result.shape.AsSpan().SequenceEqual(shape))
            throw new ArgumentException($"output with shape {ShapeMath.Format(shape)} doesn't match the broadcast shape {ShapeMath.Format(result.shape)}");
        if (!TypePromotion.CanCast(result.DType, DType))
            throw new ArgumentException($"result type {result.DType.ScalarTypeName()} can't be cast to the desired output type {DType.ScalarTypeName()}");
        // Forward AD: the new values' tangent, written into this tensor's (and so its base's) below.
        var level = ForwardAD.Active;
        var tangent = level is null ? null
            : replacedBy is null ? result.TangentAt(level)
            : ForwardAD.TangentOf(level, this, replacedBy, other is null ? [this] : [this, other], null);
        CopyFromRaw(result);
        using (GradMode.PauseForward())
            RecordInPlace(result, onView, recording, other, replacedBy);
        if (tangent is not null) ForwardAD.WriteInPlace(level!, this, tangent);
        return this;
    }

    private void RecordInPlace(Tensor result, bool onView, bool recording, Tensor? other, Derivative? replacedBy)
    {
        if (onView)
        {
            var newValues = result;
            if (replacedBy is not null)
                newValues = Node.Record(result.View(result.shape, result.strides, result.offset), replacedBy, other is null ? [this] : [this, other]);
            RecordWriteIntoBase(newValues);
            return;
        }
        if (replacedBy is not null)
            Node.Record(this, replacedBy, other is null ? [this] : [this, other]);
        else if (recording && result.gradFn is not null)
            SetHistory(result.gradFn);
    }
}
