namespace NativeGrad.Tests.Datasets;

/// <summary>TensorDataset: rows of its tensors, batches gathered with IndexSelect, and its checks.</summary>
public sealed class TensorDatasetTests
{
    [Fact]
    public void SamplesAreRowsOfEveryTensor()
    {
        var images = Tensor.Arange(12.0).Reshape(4, 3);
        var labels = Tensor.From([7L, 8, 9, 10]);
        var dataset = new TensorDataset(images, labels);
        Assert.Equal(4, dataset.Count);
        var sample = dataset[2];
        Assert.Equal([6f, 7f, 8f], sample[0].ToArray());
        Assert.Empty(sample[1].Shape);
        Assert.Equal(9L, sample[1].Item<long>());
        Assert.Same(images, dataset.Tensors[0]);
    }

    [Fact]
    public void BatchesAreGatheredCopies()
    {
        var images = Tensor.Arange(12.0).Reshape(4, 3);
        var dataset = new TensorDataset(images);
        var batch = dataset.GetBatch([3, 0, 3]);
        Assert.Equal([3L, 3], batch[0].Shape);
        Assert.Equal([9f, 10f, 11f, 0f, 1f, 2f, 9f, 10f, 11f], batch[0].ToArray());
        batch[0].Zero_();
        Assert.Equal(9f, images[3, 0].Item<float>());
    }

    [Fact]
    public void RejectsDifferentFirstDimensions()
    {
        var e = Assert.Throws<ArgumentException>(() => new TensorDataset(Tensor.Zeros(4, 2), Tensor.Zeros(5)));
        Assert.StartsWith("Size mismatch between tensors: TensorDataset needs the same first dimension in every tensor, but tensor 0 has shape [4, 2] and tensor 1 has shape [5]", e.Message);
    }

    [Fact]
    public void RejectsNoTensors()
    {
        var e = Assert.Throws<ArgumentException>(() => new TensorDataset());
        Assert.StartsWith("TensorDataset needs at least one tensor", e.Message);
    }

    [Fact]
    public void RejectsScalars()
    {
        var e = Assert.Throws<ArgumentException>(() => new TensorDataset(Tensor.Zeros(3), Tensor.From(1f)));
        Assert.StartsWith("TensorDataset needs tensors with a first dimension to index, but tensor 1 is 0-d", e.Message);
    }

    [Fact]
    public void RejectsIndicesOutOfRange()
    {
        var dataset = new TensorDataset(Tensor.Zeros(3));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => dataset[3]);
        Assert.StartsWith("index 3 is out of range for a data set of 3 samples", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => dataset.GetBatch([0, -1]));
        Assert.StartsWith("index -1 is out of range for a data set of 3 samples", e.Message);
        var empty = Assert.Throws<ArgumentException>(() => dataset.GetBatch([]));
        Assert.StartsWith("a batch needs at least one index", empty.Message);
    }

    [Fact]
    public void SubsetRejectsPositionsOutsideItsDataset()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Subset(new TensorDataset(Tensor.Zeros(3)), [0, 5]));
        Assert.StartsWith("index 5 is out of range for a data set of 3 samples", e.Message);
    }
}
