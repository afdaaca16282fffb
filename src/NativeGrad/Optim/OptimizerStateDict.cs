using System.Globalization;

namespace NativeGrad.Optim;

/// <summary>
/// An optimizer's state as <c>optimizer.state_dict()</c> holds it: per-parameter state tensors
/// keyed by parameter index (numbered across the groups in order), and each group's parameter
/// indices and hyper-parameters. <see cref="TensorEntries"/> and <see cref="NumberEntries"/> flatten
/// it to names a checkpoint can store ("state.0.exp_avg", "param_groups.0.lr"), and
/// <see cref="FromEntries"/> reads them back.
/// </summary>
public sealed class OptimizerStateDict
{
    private const string StatePrefix = "state.";
    private const string GroupPrefix = "param_groups.";

    /// <summary>Each parameter's state by parameter index; parameters that never stepped have none.</summary>
    public Dictionary<int, Dictionary<string, Tensor>> State { get; } = [];

    /// <summary>The parameter groups, in order.</summary>
    public List<ParamGroupState> ParamGroups { get; } = [];

    /// <summary>Every state tensor under the name "state.{index}.{name}" (PyTorch's nesting, joined with dots).</summary>
    public Dictionary<string, Tensor> TensorEntries()
    {
        var entries = new Dictionary<string, Tensor>();
        foreach (var (index, state) in State)
            foreach (var (name, tensor) in state)
                entries[string.Create(CultureInfo.InvariantCulture, $"{StatePrefix}{index}.{name}")] = tensor;
        return entries;
    }

    /// <summary>
    /// Every group's hyper-parameters as "param_groups.{group}.{name}", and its parameter indices as
    /// "param_groups.{group}.params.{position}".
    /// </summary>
    public Dictionary<string, double> NumberEntries()
    {
        var entries = new Dictionary<string, double>();
        for (int g = 0; g < ParamGroups.Count; g++)
        {
            var group = ParamGroups[g];
            foreach (var (name, value) in group.Options)
                entries[string.Create(CultureInfo.InvariantCulture, $"{GroupPrefix}{g}.{name}")] = value;
            for (int k = 0; k < group.Params.Count; k++)
                entries[string.Create(CultureInfo.InvariantCulture, $"{GroupPrefix}{g}.params.{k}")] = group.Params[k];
        }
        return entries;
    }

    /// <summary>The inverse of <see cref="TensorEntries"/> and <see cref="NumberEntries"/>.</summary>
    /// <exception cref="ArgumentException">A name is not one those methods write, or the groups' parameter lists have gaps.</exception>
    public static OptimizerStateDict FromEntries(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, double> numbers)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(numbers);
        var dict = new OptimizerStateDict();
        foreach (var (key, tensor) in tensors)
        {
            var parts = key.Split('.');
            if (parts.Length != 3 || parts[0] != "state" || !TryIndex(parts[1], out int index) || parts[2].Length == 0)
                throw new ArgumentException($"an optimizer state tensor must be named 'state.<parameter index>.<name>', but got '{key}'", nameof(tensors));
            ArgumentNullException.ThrowIfNull(tensor, key);
            if (!dict.State.TryGetValue(index, out var state))
                dict.State[index] = state = [];
            state[parts[2]] = tensor;
        }

        var options = new SortedDictionary<int, Dictionary<string, double>>();
        var paramLists = new Dictionary<int, SortedDictionary<int, int>>();
        foreach (var (key, value) in numbers)
        {
            var parts = key.Split('.');
            bool valid = parts[0] == "param_groups" && parts.Length >= 3 && TryIndex(parts[1], out _);
            if (valid && parts.Length == 3 && parts[2].Length > 0 && parts[2] != "params")
                Entry(options, int.Parse(parts[1], CultureInfo.InvariantCulture))[parts[2]] = value;
            else if (valid && parts.Length == 4 && parts[2] == "params" && TryIndex(parts[3], out int position)
                     && value >= 0 && value <= int.MaxValue && value == Math.Floor(value))
                Entry(paramLists, int.Parse(parts[1], CultureInfo.InvariantCulture))[position] = (int)value;
            else
                throw new ArgumentException(
                    $"an optimizer hyper-parameter must be named 'param_groups.<group>.<name>' and a parameter index 'param_groups.<group>.params.<position>' " +
                    $"with a non-negative integer value, but got '{key}' = {ParamGroup.Format(value)}", nameof(numbers));
        }

        int groups = Math.Max(options.Count == 0 ? 0 : options.Keys.Max() + 1, paramLists.Count == 0 ? 0 : paramLists.Keys.Max() + 1);
        for (int g = 0; g < groups; g++)
        {
            var indices = paramLists.TryGetValue(g, out var list) ? list : [];
            if (indices.Count > 0 && indices.Keys.Last() != indices.Count - 1)
                throw new ArgumentException($"param_groups.{g}.params has gaps: positions {string.Join(", ", indices.Keys)}", nameof(numbers));
            dict.ParamGroups.Add(new ParamGroupState([.. indices.Values], options.TryGetValue(g, out var o) ? o : []));
        }
        return dict;
    }

    private static bool TryIndex(string text, out int index) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index.ToString(CultureInfo.InvariantCulture) == text;

    private static TValue Entry<TValue>(IDictionary<int, TValue> table, int key) where TValue : new()
    {
        if (!table.TryGetValue(key, out var value))
            table[key] = value = new TValue();
        return value;
    }
}

/// <summary>One parameter group in an <see cref="OptimizerStateDict"/>: its parameters' indices and its hyper-parameters.</summary>
/// <param name="Params">The indices of the group's parameters.</param>
/// <param name="Options">The group's hyper-parameters by name.</param>
public sealed record ParamGroupState(IReadOnlyList<int> Params, IReadOnlyDictionary<string, double> Options);
