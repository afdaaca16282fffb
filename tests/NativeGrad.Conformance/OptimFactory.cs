using System.Text.Json;
using NativeGrad.Optim;

namespace NativeGrad.Conformance;

/// <summary>Builds torch.optim.&lt;name&gt;(params, **options) from a case's JSON options.</summary>
public static class OptimFactory
{
    public static Optimizer Create(string name, IReadOnlyList<Tensor> parameters, IReadOnlyDictionary<string, JsonElement> options)
    {
        var o = new Options(name, options);
        Optimizer optimizer = name switch
        {
            "SGD" => new SGD(parameters, o.Number("lr"), o.Number("momentum", 0), o.Number("dampening", 0),
                             o.Number("weight_decay", 0), o.Flag("nesterov"), o.Flag("maximize")),
            "Adam" => new Adam(parameters, o.Number("lr", 1e-3), o.Betas(), o.Number("eps", 1e-8),
                               o.Number("weight_decay", 0), o.Flag("amsgrad"), o.Flag("maximize")),
            "AdamW" => new AdamW(parameters, o.Number("lr", 1e-3), o.Betas(), o.Number("eps", 1e-8),
                                 o.Number("weight_decay", 1e-2), o.Flag("amsgrad"), o.Flag("maximize")),
            "RMSprop" => new RMSprop(parameters, o.Number("lr", 1e-2), o.Number("alpha", 0.99), o.Number("eps", 1e-8),
                                     o.Number("weight_decay", 0), o.Number("momentum", 0), o.Flag("centered"), o.Flag("maximize")),
            "Adagrad" => new Adagrad(parameters, o.Number("lr", 1e-2), o.Number("lr_decay", 0), o.Number("weight_decay", 0),
                                     o.Number("initial_accumulator_value", 0), o.Number("eps", 1e-10), o.Flag("maximize")),
            _ => throw new InvalidDataException($"unknown optimizer '{name}'"),
        };
        o.ThrowOnUnused();
        return optimizer;
    }

    /// <summary>Reads options by name and remembers which were read, so a misspelt or unsupported option fails the case.</summary>
    internal sealed class Options(string owner, IReadOnlyDictionary<string, JsonElement> values)
    {
        private readonly HashSet<string> used = [];

        public double Number(string key, double fallback) => values.ContainsKey(key) ? Number(key) : fallback;

        public double Number(string key)
        {
            used.Add(key);
            return values.TryGetValue(key, out var value)
                ? value.GetDouble()
                : throw new InvalidDataException($"{owner} needs the option '{key}'");
        }

        public int Integer(string key)
        {
            used.Add(key);
            return values.TryGetValue(key, out var value) ? value.GetInt32() : throw new InvalidDataException($"{owner} needs the option '{key}'");
        }

        public int[] Integers(string key)
        {
            used.Add(key);
            return values.TryGetValue(key, out var value)
                ? [.. value.EnumerateArray().Select(e => e.GetInt32())]
                : throw new InvalidDataException($"{owner} needs the option '{key}'");
        }

        public bool Flag(string key)
        {
            used.Add(key);
            return values.TryGetValue(key, out var value) && value.GetBoolean();
        }

        public (double, double)? Betas()
        {
            used.Add("betas");
            if (!values.TryGetValue("betas", out var value)) return null;
            var pair = value.EnumerateArray().Select(e => e.GetDouble()).ToArray();
            return pair.Length == 2 ? (pair[0], pair[1]) : throw new InvalidDataException($"betas must be a pair, got {pair.Length} values");
        }

        public void ThrowOnUnused()
        {
            var unused = values.Keys.Where(k => !used.Contains(k)).ToArray();
            if (unused.Length > 0)
                throw new InvalidDataException($"{owner} does not take the option(s) {string.Join(", ", unused)}");
        }
    }
}
