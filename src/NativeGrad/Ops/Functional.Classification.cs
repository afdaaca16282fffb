namespace NativeGrad;

// Classification losses: cross-entropy (class indices, label smoothing, class probabilities) and
// the negative log-likelihood it ends in, for (C), (N, C) and spatial (N, C, d1, ...) inputs.
public static partial class Functional
{
    /// <summary>
    /// Cross-entropy of logits (torch.nn.functional.cross_entropy). The class dimension is 1, or 0
    /// for a 1-D input. A target of the input's shape holds class probabilities (floating point);
    /// otherwise it holds int64 class indices of the input's shape without the class dimension.
    /// </summary>
    /// <param name="input">Unnormalised scores: (C), (N, C) or (N, C, d1, ...).</param>
    /// <param name="target">Class indices, or class probabilities of the input's shape.</param>
    /// <param name="reduction">Mean (weighted by <paramref name="weight"/> for indices), sum or none.</param>
    /// <param name="ignoreIndex">A class index that contributes nothing (indices only).</param>
    /// <param name="weight">Optional weight of each class, C elements.</param>
    /// <param name="labelSmoothing">In [0, 1]: the share of the target spread uniformly over the classes.</param>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, long ignoreIndex = -100,
                                      Tensor? weight = null, double labelSmoothing = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        CheckReduction(reduction);
        int classDim = input.Dim == 1 ? 0 : 1;
        // PyTorch decides probabilities by shape alone, then checks the dtype.
        if (input.Dim > 0 && input.shape.AsSpan().SequenceEqual(target.shape))
            return CrossEntropyWithProbabilities(input, target, reduction, ignoreIndex, weight, labelSmoothing, classDim);
        if (input.Dim == 0)
            throw new ArgumentException("Expected 1 or more dimensions (got 0)");
        var logProbabilities = input.LogSoftmax(classDim);
        var nll = NllLoss(logProbabilities, target, reduction, ignoreIndex, weight);
        if (labelSmoothing <= 0) return nll;
        if (labelSmoothing > 1)
            throw new ArgumentException($"label_smoothing must be between 0.0 and 1.0. Got: {labelSmoothing.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

        // The smoothed part is the (weighted) mean of -log p over all classes, divided like the NLL part.
        long classes = input.shape[classDim];
        var ignored = target == ignoreIndex;
        var smooth = weight is null
            ? -logProbabilities.Sum(classDim)
            : -(logProbabilities * ClassWeightsAlong(weight, input, classDim)).Sum(classDim);
        smooth = Tensor.Where(ignored, 0.0, smooth);
        var smoothReduced = reduction switch
        {
            Reduction.None => smooth,
            Reduction.Sum => smooth.Sum(),
            _ => smooth.Sum() / SumOfTargetWeights(target, ignored, weight, input.DType),
        };
        return (1 - labelSmoothing) * nll + smoothReduced * (labelSmoothing / classes);
    }

    private static Tensor CrossEntropyWithProbabilities(Tensor input, Tensor target, Reduction reduction, long ignoreIndex,
                                                        Tensor? weight, double labelSmoothing, int classDim)
    {
        if (!target.DType.IsFloatingPoint())
            throw new ArgumentException($"Expected floating point type for target with class probabilities, got {target.DType.ScalarTypeName()}");
        if (ignoreIndex >= 0)
            throw new ArgumentException("ignore_index is not supported for floating point target");
        long classes = input.shape[classDim];
        if (weight is not null && (weight.Dim != 1 || weight.NumElements != classes))
            throw new ArgumentException($"cross_entropy: weight tensor should be defined either for all {classes} classes or no classes but got weight tensor of shape: {ShapeMath.Format(weight.shape)}");
        var logProbabilities = input.LogSoftmax(classDim);
        if (labelSmoothing > 0)
        {
            if (labelSmoothing > 1)
                throw new ArgumentException($"label_smoothing must be between 0.0 and 1.0. Got: {labelSmoothing.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            target = target * (1 - labelSmoothing) + labelSmoothing / classes;
        }
        var terms = logProbabilities * target;
        if (weight is not null) terms = terms * ClassWeightsAlong(weight, input, classDim);
        return reduction switch
        {
            Reduction.None => -terms.Sum(classDim),
            Reduction.Sum => -terms.Sum(),
            // PyTorch divides by the number of samples, an integer, here.
            _ => DivScalar(-terms.Sum(), input.NumElements / classes),
        };
    }

    /// <summary>
    /// Negative log-likelihood of log-probabilities at int64 class indices
    /// (torch.nn.functional.nll_loss): -weight[t] * input[t] per sample, the mean divided by the sum
    /// of the weights of the targets that are not <paramref name="ignoreIndex"/>.
    /// </summary>
    /// <param name="input">Log-probabilities: (C), (N, C) or (N, C, d1, ...).</param>
    /// <param name="target">Class indices: (), (N) or (N, d1, ...).</param>
    /// <param name="reduction">Weighted mean, sum or none.</param>
    /// <param name="ignoreIndex">A class index that contributes nothing.</param>
    /// <param name="weight">Optional weight of each class, C elements.</param>
    public static Tensor NllLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, long ignoreIndex = -100, Tensor? weight = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        CheckReduction(reduction);
        CheckNllShapes(input, target);
        if (target.DType != DType.Int64)
            throw new ArgumentException($"expected scalar type Long but found {target.DType.ScalarTypeName()}");
        int classDim = input.Dim == 1 ? 0 : 1;
        long classes = input.shape[classDim];
        if (weight is not null && weight.NumElements != classes)
            throw new ArgumentException($"weight tensor should be defined either for all {classes} classes or no classes but got weight tensor of shape: {ShapeMath.Format(weight.shape)}");
        // The target as gather indices: an ignored target becomes -1, which ng_gather reads as 0
        // and ng_scatter skips.
        var targets = target.ToArray<long>();
        int ignored = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            long t = targets[i];
            if (t == ignoreIndex) (targets[i], ignored) = (-1, ignored + 1);
            else if (t < 0 || t >= classes) throw new ArgumentOutOfRangeException(null, $"Target {t} is out of bounds.");
        }
        var index = Tensor.FromSpan<long>(targets, target.shape);

        Tensor result, sampleWeights, totalWeight;
        using (GradMode.Set(false))
        {
            Tensor picked;
            if (weight is null && ignored == 0 && targets.Length < 1 << 24)
            {
                // Every weight 1: multiplying by them changes no bit, negating after the gather
                // is the same as before it, and their sum is the count, exact below 2^24.
                sampleWeights = Tensor.OnesLike(index, input.DType);
                picked = -Tensor.GatherAlong(input, index, classes);
                totalWeight = Tensor.Scalar(targets.Length, input.DType);
            }
            else
            {
                // Each sample's class weight (0 where ignored) and its loss -input[target] * weight,
                // gathered from the negated input so that an ignored sample's loss is +0, as in PyTorch.
                sampleWeights = weight is null
                    ? Tensor.Where(index == -1L, 0.0, Tensor.OnesLike(index, input.DType))
                    : Tensor.GatherAlong(weight.Detach().To(input.DType), index, classes, weightStrides: true);
                picked = Tensor.GatherAlong(-input, index, classes) * sampleWeights;
                totalWeight = sampleWeights.Sum();
            }
            result = reduction switch
            {
                Reduction.None => picked,
                Reduction.Sum => picked.Sum(),
                _ => picked.Sum() / totalWeight,
            };
        }
        bool spatial = input.Dim >= 3;
        // PyTorch runs every spatial case through nll_loss2d on an (N, C, 1, D) view, so an
        // unreduced loss of other ranks than 4 comes back through one view of (N, 1, D).
        bool viewedBack = spatial && input.Dim != 4 && reduction == Reduction.None;
        if (viewedBack) result = result.Reshape(target.shape[0], 1, -1);
        result = Node.Record(result, spatial ? Derivatives.NllLoss2d : Derivatives.NllLoss, [input],
            new OpArgs { Scalar = (int)reduction, Dims = [classDim], Shape = target.shape, Index = index, Constants = [sampleWeights, totalWeight] });
        return viewedBack ? result.View(target.shape) : result;
    }

    /// <summary>PyTorch's shape checks of nll_loss_nd, nll_loss and nll_loss2d, with their messages.</summary>
    private static void CheckNllShapes(Tensor input, Tensor target)
    {
        if (input.Dim < 1)
            throw new ArgumentException($"Expected 1 or more dimensions (got {input.Dim})");
        if (input.Dim != 1 && target.Dim != 0 && input.shape[0] != target.shape[0])
            throw new ArgumentException($"Expected input batch_size ({input.shape[0]}) to match target batch_size ({target.shape[0]}).");
        if (input.Dim <= 2)
        {
            if (target.Dim > 1)
                throw new ArgumentException("0D or 1D target tensor expected, multi-target not supported");
            bool noBatch = input.Dim == 1 && target.Dim == 0;
            if (!noBatch && input.shape[0] != (target.Dim == 0 ? 1 : target.shape[0]))
                throw new ArgumentException($"size mismatch (got input: {ShapeMath.Format(input.shape)}, target: {ShapeMath.Format(target.shape)})");
        }
        else if (input.Dim == 4)
        {
            if (target.Dim != 3)
                throw new ArgumentException($"only batches of spatial targets supported (3D tensors) but got targets of dimension: {target.Dim}");
            if (input.shape[0] != target.shape[0] || input.shape[2] != target.shape[1] || input.shape[3] != target.shape[2])
                throw new ArgumentException($"size mismatch (got input: {ShapeMath.Format(input.shape)} , target: {ShapeMath.Format(target.shape)}");
        }
        else
        {
            long[] expected = [input.shape[0], .. input.shape[2..]];
            if (!expected.AsSpan().SequenceEqual(target.shape))
                throw new ArgumentException($"Expected target size {ShapeMath.Format(expected)}, got {ShapeMath.Format(target.shape)}");
        }
    }

    /// <summary>The class weights shaped to broadcast along <paramref name="classDim"/> of <paramref name="input"/>, in its dtype.</summary>
    private static Tensor ClassWeightsAlong(Tensor weight, Tensor input, int classDim)
    {
        var shape = Enumerable.Repeat(1L, input.Dim).ToArray();
        shape[classDim] = weight.NumElements;
        return weight.Detach().To(input.DType).Reshape(shape);
    }

    /// <summary>The divisor of a weighted mean: the weights of the targets that are not ignored (their count without weights).</summary>
    private static Tensor SumOfTargetWeights(Tensor target, Tensor ignored, Tensor? weight, DType dtype)
    {
        using (GradMode.Set(false))
        {
            var kept = Tensor.Where(ignored, 0.0, Tensor.OnesLike(target, dtype));
            if (weight is null) return kept.Sum();
            var safeTarget = Tensor.Where(ignored, Tensor.From(0L), target).Reshape(-1);
            return (weight.To(dtype).IndexSelect(0, safeTarget) * kept.Reshape(-1)).Sum();
        }
    }
}
