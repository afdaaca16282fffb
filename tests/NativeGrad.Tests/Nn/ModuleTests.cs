using NativeGrad.Nn;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Nn;

/// <summary>
/// Module registration, names, modes and state dicts, with PyTorch 1.13's names and messages.
/// Building a module draws from the global generator, so these never run beside seeded tests.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class ModuleTests
{
    [Fact]
    public void Names_and_order_are_PyTorchs()
    {
        // torch: Sequential(Linear(2, 3), BatchNorm1d(3))
        var model = new Sequential(new Linear(2, 3), new BatchNorm1d(3));
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias"], model.NamedParameters().Select(p => p.Name));
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"],
                     model.StateDict().Keys);
        Assert.All(model.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void A_bad_state_dict_names_every_problem_and_changes_nothing()
    {
        var layer = new Linear(4, 3);
        var before = layer.Weight.ToArray();
        var state = new Dictionary<string, Tensor> { ["weight"] = Tensor.Zeros(3, 5), ["extra"] = Tensor.Zeros(1) };
        var error = Assert.Throws<ArgumentException>(() => layer.LoadStateDict(state));
        Assert.Equal("Error(s) in loading state_dict for Linear:\n\tMissing key(s) in state_dict: \"bias\". \n\t" +
                     "Unexpected key(s) in state_dict: \"extra\". \n\tsize mismatch for weight: copying a param with shape " +
                     "torch.Size([3, 5]) from checkpoint, the shape in current model is torch.Size([3, 4]).", error.Message);
        Assert.Equal(before, layer.Weight.ToArray());
    }

    [Fact]
    public void State_dict_round_trip_through_a_checkpoint_restores_outputs_exactly()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nativegrad-module-{Guid.NewGuid():N}.safetensors");
        var model = new Sequential(new Linear(3, 4), new ReLU(), new BatchNorm1d(4), new Linear(4, 2));
        model.Train();
        _ = model.Forward(Tensor.Randn([5, 3], DType.Float32)); // moves the running statistics
        model.Eval();
        var input = Tensor.Randn([2, 3], DType.Float32);
        var expected = model.Forward(input).ToArray();
        model.Save(path);

        var fresh = new Sequential(new Linear(3, 4), new ReLU(), new BatchNorm1d(4), new Linear(4, 2));
        fresh.Load(path);
        fresh.Eval();
        Assert.Equal(expected, fresh.Forward(input).ToArray());
        Assert.Equal(1L, fresh.StateDict()["2.num_batches_tracked"].Item<long>());
        File.Delete(path);
    }

    [Fact]
    public void A_corrupt_checkpoint_leaves_the_module_unchanged()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nativegrad-corrupt-{Guid.NewGuid():N}.safetensors");
        var layer = new Linear(2, 2);
        layer.Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]); // truncated data
        var before = layer.Weight.ToArray();
        var error = Assert.Throws<InvalidDataException>(() => layer.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Equal(before, layer.Weight.ToArray());
        File.Delete(path);
    }

    [Fact]
    public void PyTorchs_digits_CNN_checkpoint_loads_into_the_CSharp_model()
    {
        var model = NativeGrad.Examples.DigitsModels.Cnn();
        var metadata = model.Load(RepoPaths.TestData("safetensors", "digits_cnn_seed0.safetensors"));
        Assert.Equal("pt", metadata["format"]);
        using var expected = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(RepoPaths.TestData("safetensors", "expected.json")));
        var tensors = expected.RootElement.GetProperty("digits_cnn_seed0.safetensors");
        var state = model.StateDict();
        Assert.Equal(tensors.EnumerateObject().Select(p => p.Name).Order(), state.Keys.Order());
        foreach (var entry in tensors.EnumerateObject())
        {
            Assert.Equal(entry.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()), state[entry.Name].Shape);
            Assert.Equal(entry.Value.GetProperty("data").EnumerateArray().Select(e => (float)e.GetDouble()), state[entry.Name].ToArray());
        }
    }

    [Fact]
    public void Train_Eval_ZeroGrad_and_To()
    {
        var model = new Sequential(new Linear(2, 2), new Dropout(0.5));
        Assert.True(model[1].Training);
        model.Eval();
        Assert.False(model[1].Training);
        var x = Tensor.Ones(1, 2);
        Assert.Equal(model.Forward(x).ToArray(), model.Forward(x).ToArray()); // dropout is the identity in eval

        model.Forward(x).Sum().Backward();
        model.ZeroGrad();
        Assert.All(model.Parameters(), p => Assert.All(p.Grad!.ToArray(), g => Assert.Equal(0f, g)));
        model.ZeroGrad(setToNone: true);
        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));

        model.To(DType.Float64);
        Assert.All(model.Parameters(), p => Assert.Equal(DType.Float64, p.DType));
        Assert.Equal(DType.Float64, model.Forward(Tensor.Ones([1, 2], DType.Float64)).DType);
    }
}
