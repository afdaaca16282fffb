using System.Text;

namespace NativeGrad;

public static partial class Autograd
{
    /// <summary>
    /// The autograd graph that produced <paramref name="output"/> in Graphviz dot, torchviz style:
    /// the output and the leaves that require grad are boxes with their shapes (named when
    /// <paramref name="names"/> has them, e.g. from <c>NamedParameters()</c>), each backward node an
    /// ellipse with PyTorch's name, and edges run from the inputs towards the output.
    /// </summary>
    public static string ToDot(Tensor output, IEnumerable<(string Name, Tensor Tensor)>? names = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var leafNames = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance);
        foreach (var (name, tensor) in names ?? []) leafNames.TryAdd(tensor, name);

        var ids = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var dot = new StringBuilder("digraph {\n  graph [size=\"12,12\"];\n  node [fontname=monospace fontsize=10 style=filled shape=box align=left];\n");
        dot.Append($"  output [label=\"output\\n{Size(output)}\" fillcolor=darkolivegreen1];\n");
        var root = output.GradFn ?? (output.RequiresGrad ? output.GradAccumulator : null);
        if (root is null) return dot.Append("}\n").ToString();

        var stack = new Stack<Node>();
        int Id(Node node)
        {
            if (ids.TryGetValue(node, out var id)) return id;
            ids[node] = id = ids.Count;
            stack.Push(node);
            if (node.Variable is { } leaf)
            {
                var label = leafNames.TryGetValue(leaf, out var name) ? $"{name}\\n{Size(leaf)}" : Size(leaf);
                dot.Append($"  n{id} [label=\"{label}\" fillcolor=lightblue];\n");
            }
            else dot.Append($"  n{id} [label=\"{node.Name}\" shape=ellipse fillcolor=lightgrey];\n");
            return id;
        }

        // Id() writes a node's declaration when it first meets it, so it runs before each edge is written.
        int rootId = Id(root);
        dot.Append($"  n{rootId} -> output;\n");
        while (stack.TryPop(out var node))
            foreach (var next in node.Next)
                if (next is not null)
                {
                    int from = Id(next);
                    dot.Append($"  n{from} -> n{ids[node]};\n");
                }
        return dot.Append("}\n").ToString();
    }

    private static string Size(Tensor tensor) => $"({string.Join(", ", tensor.Shape)})";
}
