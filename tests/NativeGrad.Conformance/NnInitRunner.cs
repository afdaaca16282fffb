using System.Text.Json;
using NativeGrad.Nn;

namespace NativeGrad.Conformance;

public static partial class NnRunner
{
    /// <summary>
    /// nn.json `init`: after ManualSeed(seed), the module built from the case's arguments holds
    /// PyTorch's parameters and buffers bit for bit (same generator, same draws, same formulas).
    /// </summary>
    public static CaseResult Run(InitCase c)
    {
        Tensor.ManualSeed(c.Seed);
        var module = BuildModule(c.Module, c.Args);
        var expected = c.StateDict ?? (c.Parameters ?? []).Concat(c.Buffers ?? []).ToDictionary(e => e.Key, e => e.Value);
        var actual = module.StateDict();
        string? failure = null;
        var missing = expected.Keys.Except(actual.Keys).ToList();
        var extra = actual.Keys.Except(expected.Keys).ToList();
        if (missing.Count > 0 || extra.Count > 0)
            failure = $"keys differ: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", extra)}]";
        else if (!expected.Keys.SequenceEqual(actual.Keys))
            failure = $"key order [{string.Join(", ", actual.Keys)}], expected [{string.Join(", ", expected.Keys)}]";
        foreach (var (name, tensor) in expected)
        {
            if (failure is not null) break;
            if (CaseRunner.Compare(actual[name], tensor, rtol: 0, atol: 0) is { } difference)
                failure = $"{name}: {difference}";
        }
        return new CaseResult(c.Id, "init", ValueFailure: failure);
    }

    private static Module BuildModule(string name, Dictionary<string, JsonElement> args)
    {
        long Long(string key) => args[key].GetInt64();
        int Int(string key, int fallback = 0) => args.TryGetValue(key, out var v) ? v.GetInt32() : fallback;
        bool Flag(string key, bool fallback) => args.TryGetValue(key, out var v) ? v.GetBoolean() : fallback;
        return name switch
        {
            "Linear" => new Linear(Long("in_features"), Long("out_features"), Flag("bias", true)),
            "Conv2d" => new Conv2d(Int("in_channels"), Int("out_channels"), Int("kernel_size"), groups: Int("groups", 1), bias: Flag("bias", true)),
            "Embedding" => new Embedding(Long("num_embeddings"), Long("embedding_dim")),
            "LayerNorm" => new LayerNorm(args["normalized_shape"].EnumerateArray().Select(e => e.GetInt64()).ToArray()),
            "BatchNorm2d" => new BatchNorm2d(Long("num_features")),
            "Sequential(digits_cnn)" => Examples.DigitsModels.Cnn(),
            _ => throw NotBuiltYet($"the module '{name}'"),
        };
    }
}
