using System.Globalization;

namespace NativeGrad.Optim;

/// <summary>
/// A set of parameters optimized with the same hyper-parameters (one entry of torch's
/// <c>optimizer.param_groups</c>). Hyper-parameters are numbers under PyTorch's names (<c>"lr"</c>,
/// <c>"momentum"</c>, <c>"weight_decay"</c>...; Adam's <c>betas</c> pair is <c>"beta1"</c> and
/// <c>"beta2"</c>; flags such as <c>"nesterov"</c> are 1 or 0). A value the group does not set
/// takes the optimizer's default when the group is added; schedulers change them between steps
/// and may add their own (<c>"initial_lr"</c>).
/// </summary>
/// <example><code>
/// var optimizer = new SGD([
///     new ParamGroup(backbone) { Lr = 1e-3 },
///     new ParamGroup(head),
/// ], lr: 1e-2, momentum: 0.9);
/// </code></example>
public sealed class ParamGroup
{
    private readonly List<Tensor> parameters;
    private readonly Dictionary<string, double> options = [];

    /// <summary>A group of <paramref name="parameters"/> with no hyper-parameters of its own yet.</summary>
    public ParamGroup(IEnumerable<Tensor> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = [.. parameters];
        for (int i = 0; i < this.parameters.Count; i++)
            if (this.parameters[i] is null)
                throw new ArgumentException($"optimizer can only optimize Tensors, but parameter {i} of the group is null", nameof(parameters));
    }

    /// <summary>The parameters, in the order their state is numbered.</summary>
    public IReadOnlyList<Tensor> Parameters => parameters;

    /// <summary>The hyper-parameters by name.</summary>
    public IReadOnlyDictionary<string, double> Options => options;

    /// <summary>The learning rate (<c>group["lr"]</c>), which schedulers set.</summary>
    public double Lr
    {
        get => this["lr"];
        set => this["lr"] = value;
    }

    /// <summary>The hyper-parameter <paramref name="name"/>; setting it adds it when missing.</summary>
    /// <exception cref="KeyNotFoundException">The group has no such hyper-parameter.</exception>
    public double this[string name]
    {
        get => options.TryGetValue(name, out var value)
            ? value
            : throw new KeyNotFoundException($"the parameter group has no hyper-parameter '{name}' (it has {string.Join(", ", options.Keys.Order(StringComparer.Ordinal))})");
        set
        {
            ValidateName(name);
            options[name] = value;
        }
    }

    /// <summary>Whether the group has the hyper-parameter <paramref name="name"/>.</summary>
    public bool Contains(string name) => options.ContainsKey(name);

    /// <summary>A flag hyper-parameter: anything but 0 is true.</summary>
    internal bool Flag(string name) => this[name] != 0;

    internal void SetDefault(string name, double value) => options.TryAdd(name, value);

    internal void ReplaceOptions(IReadOnlyDictionary<string, double> replacement)
    {
        options.Clear();
        foreach (var (name, value) in replacement)
            this[name] = value;
    }

    /// <summary>Names become parts of flattened checkpoint keys ("param_groups.0.lr"), so they cannot hold dots.</summary>
    internal static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.Contains('.', StringComparison.Ordinal))
            throw new ArgumentException($"a hyper-parameter name must be non-empty and contain no '.', but got '{name}'", nameof(name));
    }

    /// <summary>A number as Python prints a float in PyTorch's messages (shortest round trip, "1e-05").</summary>
    internal static string Format(double value) =>
        value.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
}
