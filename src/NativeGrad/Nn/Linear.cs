namespace NativeGrad.Nn;

/// <summary>y = x Wᵀ + b (torch.nn.Linear), initialised as PyTorch does from the global generator.</summary>
public sealed class Linear : Layer
{
    /// <summary>A layer from <paramref name="inFeatures"/> to <paramref name="outFeatures"/>, with a bias unless told otherwise.</summary>
    public Linear(long inFeatures, long outFeatures, bool bias = true, DType dtype = DType.Float32)
    {
        if (inFeatures < 0 || outFeatures < 0)
            throw new ArgumentException($"Linear needs non-negative sizes, got in_features={inFeatures}, out_features={outFeatures}");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        RegisterParameter("weight", Tensor.Empty([outFeatures, inFeatures], dtype));
        RegisterParameter("bias", bias ? Tensor.Empty([outFeatures], dtype) : null);
        ResetParameters();
    }

    /// <summary>The size of each input sample.</summary>
    public long InFeatures { get; }

    /// <summary>The size of each output sample.</summary>
    public long OutFeatures { get; }

    /// <summary>The [out, in] weight.</summary>
    public Tensor Weight => Parameter("weight")!;

    /// <summary>The [out] bias, or null.</summary>
    public Tensor? Bias => Parameter("bias");

    /// <summary>PyTorch's initialisation: Kaiming-uniform weight (a = √5), bias uniform in ±1/√in.</summary>
    public void ResetParameters() => Init.LayerDefaults_(Weight, Bias);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Linear(input, Weight, Bias);
}
