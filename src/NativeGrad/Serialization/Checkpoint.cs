using System.Globalization;
using NativeGrad.Nn;
using NativeGrad.Optim;

namespace NativeGrad;

/// <summary>
/// A training checkpoint in one safetensors file: the model's state dict under "model.", the
/// optimizer's state tensors under "optimizer." and its hyper-parameters and step bookkeeping as
/// round-trip numbers in the metadata (what <c>torch.save({"model": ..., "optimizer": ...})</c>
/// holds), so that a run interrupted and resumed gives the same numbers as one left alone.
/// </summary>
public static class Checkpoint
{
    private const string ModelPrefix = "model.";
    private const string OptimizerPrefix = "optimizer.";

    /// <summary>Writes <paramref name="model"/> and, when given, <paramref name="optimizer"/> to <paramref name="path"/>.</summary>
    public static void Save(string path, Module model, Optimizer? optimizer = null, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tensors = new Dictionary<string, Tensor>();
        var header = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>());
        foreach (var (key, tensor) in model.StateDict()) tensors[ModelPrefix + key] = tensor;
        if (optimizer is not null)
        {
            var state = optimizer.StateDict();
            foreach (var (key, tensor) in state.TensorEntries()) tensors[OptimizerPrefix + key] = tensor;
            foreach (var (key, value) in state.NumberEntries()) header[OptimizerPrefix + key] = value.ToString("R", CultureInfo.InvariantCulture);
        }
        Safetensors.Save(path, tensors, header);
    }

    /// <summary>
    /// Restores <paramref name="model"/> and, when given, <paramref name="optimizer"/> from
    /// <paramref name="path"/>. The file and the optimizer part are parsed and checked before the
    /// model is touched; a mismatching model is reported by <see cref="Module.LoadStateDict"/>
    /// without changing it.
    /// </summary>
    /// <returns>The metadata that is not the optimizer's.</returns>
    public static IReadOnlyDictionary<string, string> Load(string path, Module model, Optimizer? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (tensors, metadata) = Safetensors.Load(path);
        OptimizerStateDict? optimizerState = null;
        if (optimizer is not null)
        {
            var numbers = new Dictionary<string, double>();
            foreach (var (key, text) in metadata)
                if (key.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
                    numbers[key[OptimizerPrefix.Length..]] = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                        ? value : throw new InvalidDataException($"{path}: optimizer entry '{key}' is not a number: '{text}'");
            if (numbers.Count == 0)
                throw new InvalidDataException($"{path}: the checkpoint holds no optimizer state");
            optimizerState = OptimizerStateDict.FromEntries(WithPrefix(tensors, OptimizerPrefix), numbers);
        }
        try
        {
            model.LoadStateDict(WithPrefix(tensors, ModelPrefix));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{path}: {e.Message}", e);
        }
        if (optimizerState is not null) optimizer!.LoadStateDict(optimizerState);
        return metadata.Where(e => !e.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal)).ToDictionary(e => e.Key, e => e.Value);
    }

    private static Dictionary<string, Tensor> WithPrefix(Dictionary<string, Tensor> tensors, string prefix) =>
        tensors.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(e => e.Key[prefix.Length..], e => e.Value);
}
