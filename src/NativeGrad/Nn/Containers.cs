using System.Collections;

namespace NativeGrad.Nn;

/// <summary>Layers applied one after another (torch.nn.Sequential); children are named "0", "1", ...</summary>
public sealed class Sequential : Layer, IReadOnlyList<Layer>
{
    private readonly List<Layer> layers = [];

    /// <summary>A pipeline of <paramref name="layers"/>.</summary>
    public Sequential(params Layer[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        foreach (var layer in layers) Append(layer);
    }

    /// <summary>Adds <paramref name="layer"/> at the end, under the next index.</summary>
    public Sequential Append(Layer layer)
    {
        layers.Add(RegisterModule(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer));
        return this;
    }

    /// <inheritdoc/>
    public Layer this[int index] => layers[index];

    /// <inheritdoc/>
    public int Count => layers.Count;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        foreach (var layer in layers) input = layer.Forward(input);
        return input;
    }

    /// <inheritdoc/>
    public IEnumerator<Layer> GetEnumerator() => layers.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>Modules held in a list and registered as children "0", "1", ... (torch.nn.ModuleList); it has no forward of its own.</summary>
public sealed class ModuleList : Module, IReadOnlyList<Module>
{
    private readonly List<Module> modules = [];

    /// <summary>A list of <paramref name="modules"/>.</summary>
    public ModuleList(params Module[] modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        foreach (var module in modules) Add(module);
    }

    /// <summary>Appends <paramref name="module"/>.</summary>
    public void Add(Module module) =>
        modules.Add(RegisterModule(modules.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module));

    /// <inheritdoc/>
    public Module this[int index] => modules[index];

    /// <inheritdoc/>
    public int Count => modules.Count;

    /// <inheritdoc/>
    public IEnumerator<Module> GetEnumerator() => modules.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
