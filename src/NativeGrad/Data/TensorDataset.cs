namespace NativeGrad;

/// <summary>
/// Samples that are rows of tensors, like <c>torch.utils.data.TensorDataset</c>: sample i is
/// (tensors[0][i], tensors[1][i], ...). Batches are gathered with one
/// <see cref="Tensor.IndexSelect"/> per tensor rather than by stacking rows.
/// </summary>
public sealed class TensorDataset : IDataset
{
    private readonly Tensor[] tensors;

    /// <summary>Wraps <paramref name="tensors"/>, which must share their first dimension.</summary>
    /// <param name="tensors">One or more tensors of at least one dimension, all with the same size along dimension 0.</param>
    /// <exception cref="ArgumentException">No tensors, a 0-d tensor, or first dimensions that differ.</exception>
    public TensorDataset(params Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Length == 0)
            throw new ArgumentException("TensorDataset needs at least one tensor", nameof(tensors));
        for (int i = 0; i < tensors.Length; i++)
        {
            if (tensors[i] is null)
                throw new ArgumentNullException(nameof(tensors), $"TensorDataset got null as tensor {i}");
            if (tensors[i].Dim == 0)
                throw new ArgumentException($"TensorDataset needs tensors with a first dimension to index, but tensor {i} is 0-d", nameof(tensors));
            if (tensors[i].Size(0) != tensors[0].Size(0))
                throw new ArgumentException(
                    $"Size mismatch between tensors: TensorDataset needs the same first dimension in every tensor, " +
                    $"but tensor 0 has shape [{string.Join(", ", tensors[0].Shape)}] and tensor {i} has shape [{string.Join(", ", tensors[i].Shape)}]",
                    nameof(tensors));
        }
        this.tensors = (Tensor[])tensors.Clone();
    }

    /// <summary>The wrapped tensors, in field order.</summary>
    public IReadOnlyList<Tensor> Tensors => tensors;

    /// <inheritdoc/>
    public long Count => tensors[0].Size(0);

    /// <summary>Row <paramref name="index"/> of every tensor, as views (like <c>tensor[index]</c>).</summary>
    /// <param name="index">The sample's position, in [0, Count).</param>
    /// <returns>One view per tensor.</returns>
    public Tensor[] this[long index]
    {
        get
        {
            DatasetChecks.CheckIndex(index, Count);
            return Array.ConvertAll(tensors, tensor => tensor.Select(0, index));
        }
    }

    /// <summary>The rows at <paramref name="indices"/> of every tensor, copied (one gather per tensor).</summary>
    /// <param name="indices">The samples' positions, at least one.</param>
    /// <returns>One tensor per field, each with <c>indices.Length</c> rows.</returns>
    public Tensor[] GetBatch(ReadOnlySpan<long> indices)
    {
        DatasetChecks.CheckBatch(indices, Count);
        var index = Tensor.FromSpan(indices, [indices.Length]);
        return Array.ConvertAll(tensors, tensor => tensor.IndexSelect(0, index));
    }
}
