namespace NativeGrad;

public static partial class Functional
{
    /// <summary>
    /// The rows of <paramref name="weight"/> at <paramref name="indices"/>: the result has the
    /// indices' shape followed by the embedding size (torch.nn.functional.embedding). The row at
    /// <paramref name="paddingIdx"/> gets no gradient.
    /// </summary>
    /// <param name="indices">int64 indices into the rows of <paramref name="weight"/>, any shape.</param>
    /// <param name="weight">The embedding table, (num_embeddings, embedding_dim).</param>
    /// <param name="paddingIdx">A row that receives no gradient; negative counts from the end.</param>
    public static Tensor Embedding(Tensor indices, Tensor weight, long? paddingIdx = null)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(weight);
        long rows = weight.Dim > 0 ? weight.shape[0] : 0;
        if (paddingIdx is { } given)
        {
            if (given >= rows || given < -rows)
                throw new ArgumentException("Padding_idx must be within num_embeddings");
            if (given < 0) paddingIdx = given + rows;
        }
        if (weight.Dim != 2)
            throw new ArgumentException("'weight' must be 2-D");
        if (indices.DType != DType.Int64)
            throw new ArgumentException($"Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.{indices.DType.ScalarTypeName()}Tensor instead (while checking arguments for embedding)");

        var flat = indices.Reshape(-1);
        Tensor result;
        using (GradMode.Set(false))
            result = weight.IndexSelect(0, flat).Reshape([.. indices.shape, weight.shape[1]]);
        return Node.Record(result, Derivatives.Embedding, [weight],
            new OpArgs { Index = flat, Scalar = paddingIdx ?? -1 });
    }
}
