using System.Collections;

namespace NativeGrad.Nn;

/// <summary>
/// Tensors by dotted name in insertion order, like the OrderedDict PyTorch's
/// <c>state_dict()</c> returns: iterating gives the keys in the order the model registered them.
/// </summary>
public sealed class StateDict : IReadOnlyDictionary<string, Tensor>
{
    private readonly List<string> keys = [];
    private readonly Dictionary<string, Tensor> values = [];

    /// <summary>An empty state dict.</summary>
    public StateDict() { }

    /// <summary>A state dict holding <paramref name="entries"/> in their order.</summary>
    public StateDict(IEnumerable<KeyValuePair<string, Tensor>> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var (key, value) in entries) Add(key, value);
    }

    /// <summary>Appends <paramref name="key"/>; keys are unique.</summary>
    public void Add(string key, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!values.TryAdd(key, value))
            throw new ArgumentException($"the state dict already has a key \"{key}\"", nameof(key));
        keys.Add(key);
    }

    /// <inheritdoc/>
    public Tensor this[string key] => values.TryGetValue(key, out var value)
        ? value : throw new KeyNotFoundException($"the state dict has no key \"{key}\"");

    /// <inheritdoc/>
    public IEnumerable<string> Keys => keys;

    /// <inheritdoc/>
    public IEnumerable<Tensor> Values => keys.Select(k => values[k]);

    /// <inheritdoc/>
    public int Count => keys.Count;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => values.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Tensor value) =>
        values.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, Tensor>> GetEnumerator() =>
        keys.Select(k => new KeyValuePair<string, Tensor>(k, values[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
