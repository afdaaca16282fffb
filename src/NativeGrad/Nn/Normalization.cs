namespace NativeGrad.Nn;

/// <summary>
/// Batch normalisation over the channel dimension 1 (torch.nn.BatchNorm1d / BatchNorm2d share
/// this): batch statistics while training, which also update the running ones; the running
/// statistics in eval mode.
/// </summary>
public abstract class BatchNorm : Layer
{
    private readonly int expectedRank;

    private protected BatchNorm(long numFeatures, double eps, double momentum, bool affine, bool trackRunningStats, int expectedRank, DType dtype)
    {
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        this.expectedRank = expectedRank;
        RegisterParameter("weight", affine ? Tensor.Ones([numFeatures], dtype) : null);
        RegisterParameter("bias", affine ? Tensor.Zeros([numFeatures], dtype) : null);
        RegisterBuffer("running_mean", trackRunningStats ? Tensor.Zeros([numFeatures], dtype) : null);
        RegisterBuffer("running_var", trackRunningStats ? Tensor.Ones([numFeatures], dtype) : null);
        RegisterBuffer("num_batches_tracked", trackRunningStats ? Tensor.Zeros([], DType.Int64) : null);
    }

    /// <summary>The number of channels C.</summary>
    public long NumFeatures { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Eps { get; }

    /// <summary>The weight of the newest batch in the running statistics.</summary>
    public double Momentum { get; }

    /// <summary>The per-channel scale, or null without affine.</summary>
    public Tensor? Weight => Parameter("weight");

    /// <summary>The per-channel shift, or null without affine.</summary>
    public Tensor? Bias => Parameter("bias");

    /// <summary>The running mean, or null without running statistics.</summary>
    public Tensor? RunningMean => Buffer("running_mean");

    /// <summary>The running (unbiased) variance, or null without running statistics.</summary>
    public Tensor? RunningVar => Buffer("running_var");

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Dim != expectedRank && !(expectedRank == 3 && input.Dim == 2))
            throw new ArgumentException(expectedRank == 4
                ? $"expected 4D input (got {input.Dim}D input)"
                : $"expected 2D or 3D input (got {input.Dim}D input)");
        bool useBatchStatistics = Training || RunningMean is null;
        if (Training && Buffer("num_batches_tracked") is { } tracked)
            using (Autograd.NoGrad()) tracked.Add_(1L);
        return Functional.BatchNorm(input, RunningMean, RunningVar, Weight, Bias,
                                    useBatchStatistics, Momentum, Eps);
    }
}

/// <summary>Batch normalisation of (N, C) or (N, C, L) inputs (torch.nn.BatchNorm1d).</summary>
public sealed class BatchNorm1d(long numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true,
                                bool trackRunningStats = true, DType dtype = DType.Float32)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats, expectedRank: 3, dtype);

/// <summary>Batch normalisation of (N, C, H, W) inputs (torch.nn.BatchNorm2d).</summary>
public sealed class BatchNorm2d(long numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true,
                                bool trackRunningStats = true, DType dtype = DType.Float32)
    : BatchNorm(numFeatures, eps, momentum, affine, trackRunningStats, expectedRank: 4, dtype);

/// <summary>Normalises over the last dimensions (torch.nn.LayerNorm), with a learned scale and shift.</summary>
public sealed class LayerNorm : Layer
{
    private readonly long[] normalizedShape;

    /// <summary>Normalises over trailing dimensions of <paramref name="normalizedShape"/>.</summary>
    public LayerNorm(long[] normalizedShape, double eps = 1e-5, bool elementwiseAffine = true, DType dtype = DType.Float32)
    {
        ArgumentNullException.ThrowIfNull(normalizedShape);
        this.normalizedShape = [.. normalizedShape];
        Eps = eps;
        RegisterParameter("weight", elementwiseAffine ? Tensor.Ones(this.normalizedShape, dtype) : null);
        RegisterParameter("bias", elementwiseAffine ? Tensor.Zeros(this.normalizedShape, dtype) : null);
    }

    /// <summary>Normalises over the last dimension of size <paramref name="normalizedSize"/>.</summary>
    public LayerNorm(long normalizedSize, double eps = 1e-5, bool elementwiseAffine = true)
        : this([normalizedSize], eps, elementwiseAffine) { }

    /// <summary>Added to the variance before the square root.</summary>
    public double Eps { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        Functional.LayerNorm(input, normalizedShape, Parameter("weight"), Parameter("bias"), Eps);
}

/// <summary>A lookup table of vectors (torch.nn.Embedding), drawn N(0, 1); the padding row starts at zero and gets no gradient.</summary>
public sealed class Embedding : Layer
{
    /// <summary>A table of <paramref name="numEmbeddings"/> vectors of size <paramref name="embeddingDim"/>.</summary>
    public Embedding(long numEmbeddings, long embeddingDim, long? paddingIdx = null, DType dtype = DType.Float32)
    {
        if (paddingIdx is { } p)
        {
            if (p >= numEmbeddings || p < -numEmbeddings)
                throw new ArgumentException("Padding_idx must be within num_embeddings", nameof(paddingIdx));
            paddingIdx = p < 0 ? p + numEmbeddings : p;
        }
        PaddingIdx = paddingIdx;
        var weight = RegisterParameter("weight", Tensor.Empty([numEmbeddings, embeddingDim], dtype))!;
        Init.Normal_(weight);
        if (PaddingIdx is { } row)
            using (Autograd.NoGrad()) weight[row].Fill_(0);
    }

    /// <summary>The row that maps to zeros and is not trained, or null.</summary>
    public long? PaddingIdx { get; }

    /// <summary>The [num_embeddings, embedding_dim] table.</summary>
    public Tensor Weight => Parameter("weight")!;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Embedding(input, Weight, PaddingIdx);
}
