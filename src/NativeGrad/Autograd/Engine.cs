using System.Runtime.InteropServices;

namespace NativeGrad;

/// <summary>
/// Runs backward passes. The graph is walked iteratively (a chain of any length cannot overflow
/// the stack); a node runs once every node that feeds it a gradient has run, later-created nodes
/// first, and the engine (not each rule) sums gradients back to their input's broadcast shape and
/// converts them to the input's dtype (type promotion happens in the forward).
/// </summary>
internal static class Engine
{
    /// <summary>
    /// torch.autograd.backward: accumulate into the leaves' .grad, or with <paramref name="inputs"/>
    /// only into those tensors' .grad (a non-leaf among them is made to retain its grad, as PyTorch does).
    /// </summary>
    public static void Backward(Tensor[] outputs, Tensor?[] gradOutputs, bool retainGraph, bool createGraph, Tensor[]? inputs = null)
    {
        if (inputs is { Length: 0 })
            throw new ArgumentException(AutogradErrors.EmptyBackwardInputs);
        if (createGraph) Warnings.Warn(AutogradErrors.CreateGraphReferenceCycle);
        Run(outputs, gradOutputs, retainGraph, createGraph, inputs, allowUnused: true, accumulate: true);
    }

    /// <summary>torch.autograd.grad: return d(outputs)/d(inputs) without touching any .grad.</summary>
    public static Tensor?[] Grad(Tensor[] outputs, Tensor?[] gradOutputs, Tensor[] inputs,
                                 bool retainGraph, bool createGraph, bool allowUnused) =>
        Run(outputs, gradOutputs, retainGraph, createGraph, inputs, allowUnused, accumulate: false)!;

    // With accumulate, gradients go into .grad (of the inputs only, when given); without it, the
    // inputs' gradients are returned and no .grad changes.
    private static Tensor?[]? Run(Tensor[] outputs, Tensor?[] gradOutputs, bool retainGraph, bool createGraph,
                                  Tensor[]? inputs, bool allowUnused, bool accumulate)
    {
        if (outputs.Length != gradOutputs.Length)
            throw new ArgumentException($"grad_tensors has {gradOutputs.Length} tensors, but tensors has {outputs.Length}");

        var roots = new Node[outputs.Length];
        var rootGrads = new Tensor[outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
        {
            var output = outputs[i];
            if (!output.RequiresGrad)
                throw new InvalidOperationException(AutogradErrors.DoesNotRequireGrad(i));
            roots[i] = output.History ?? output.GradAccumulator;
            rootGrads[i] = RootGradient(output, gradOutputs[i], i);
        }

        // With explicit inputs, only the nodes leading to them run, and gradients are captured
        // where they arrive (autograd.grad) or accumulated only there (backward(inputs=...)).
        Dictionary<Node, int>? targets = null;
        if (inputs is not null)
        {
            targets = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < inputs.Length; i++)
            {
                // PyTorch's order: retain_grad's error ("can't retain_grad on Tensor that has requires_grad=False") first.
                if (accumulate) inputs[i].RetainGrad();
                if (!inputs[i].RequiresGrad)
                    throw new InvalidOperationException(AutogradErrors.InputDoesNotRequireGrad);
                targets[inputs[i].History ?? inputs[i].GradAccumulator] = i;
            }
        }

        var pass = Pass.Rent();
        var tasks = pass.Tasks;
        CountDependencies(roots, pass);
        var needed = targets is null ? null : NodesLeadingTo(tasks.Keys, targets.Keys);
        var captured = inputs is null || accumulate ? null : new Tensor?[inputs.Length];

        using var gradMode = GradMode.Set(createGraph);
        for (int i = 0; i < roots.Length; i++)
            Accumulate(tasks, roots[i], rootGrads[i]);

        var ready = pass.Ready;
        for (int i = 0; i < roots.Length; i++)
            if (Array.IndexOf(roots, roots[i]) == i && tasks[roots[i]].Dependencies == 0)
                ready.Enqueue(roots[i], -roots[i].SequenceNumber);

        while (ready.TryDequeue(out var node, out _))
        {
            var grad = TakeGradient(tasks, node);
            if (grad is not null)
            {
                grad = node.RunPreHooks(grad);
                if (captured is not null && targets!.TryGetValue(node, out var index))
                    captured[index] = grad;
                else if (accumulate && node.IsAccumulateGrad && (targets is null || targets.ContainsKey(node)))
                    AccumulateIntoLeaf(node, grad, createGraph);
            }

            bool runs = grad is not null && !node.IsAccumulateGrad && (needed is null || needed.Contains(node));
            // Rules that can add into a leaf's .grad may, in a plain backward() that nothing observes.
            bool sinks = accumulate && targets is null && !createGraph && node.Rule?.Accumulating is not null;
            var inputGrads = !runs ? null
                : AnomalyMode.IsEnabled ? AnomalyMode.Apply(node, grad!, releaseSavedTensors: !retainGraph)
                : node.Apply(grad!, releaseSavedTensors: !retainGraph, sinks ? SinksOf(tasks, node) : null);

            for (int i = 0; i < node.Next.Length; i++)
            {
                if (node.Next[i] is not { } next) continue;
                if (inputGrads?[i] is { } inputGrad)
                    Accumulate(tasks, next, SumToShape(inputGrad, node.Inputs[i].Shape).To(node.Inputs[i].DType));
                if (--CollectionsMarshal.GetValueRefOrNullRef(tasks, next).Dependencies == 0)
                    ready.Enqueue(next, -next.SequenceNumber);
            }
        }

        // Only a pass that ran to the end leaves its tables empty for the next one; a failed pass's are dropped.
        pass.Return();
        if (captured is not null && !allowUnused)
            foreach (var grad in captured)
                if (grad is null)
                    throw new InvalidOperationException(AutogradErrors.UnusedInput);
        return captured;
    }

    /// <summary>
    /// A pass's tables, kept per thread for the next pass, as a backward of a small graph spends a
    /// good part of its time allocating them. A pass that starts inside another (a hook or a
    /// custom function calling backward) finds none kept and makes its own.
    /// </summary>
    private sealed class Pass
    {
        // Tables that grew past this are left to the collector: clearing costs their capacity.
        private const int KeptCapacity = 512;

        [ThreadStatic] private static Pass? kept;

        public readonly Dictionary<Node, NodeTask> Tasks = new(ReferenceEqualityComparer.Instance);
        public readonly Stack<Node> Unvisited = new();
        public readonly PriorityQueue<Node, long> Ready = new();

        public static Pass Rent()
        {
            var pass = kept ?? new Pass();
            kept = null;
            return pass;
        }

        public void Return()
        {
            if (Tasks.EnsureCapacity(0) > KeptCapacity) return;
            Tasks.Clear();
            kept = this;
        }
    }

    // The gradient sinks of a node's inputs (a method of its own, so that the closure is made only for the nodes that take one).
    private static Func<int, GradientSink?> SinksOf(Dictionary<Node, NodeTask> tasks, Node node) =>
        input => SinkFor(tasks, node, input);

    private static Tensor RootGradient(Tensor output, Tensor? gradient, int index)
    {
        if (gradient is null)
        {
            if (output.NumElements != 1)
                throw new InvalidOperationException(AutogradErrors.ImplicitGradForNonScalar);
            return Tensor.OnesLike(output);
        }
        if (!gradient.shape.AsSpan().SequenceEqual(output.shape))
            throw new ArgumentException(
                $"Mismatch in shape: grad_output[{index}] has a shape of {ShapeMath.FormatSize(gradient.shape)} and " +
                $"output[{index}] has a shape of {ShapeMath.FormatSize(output.shape)}.");
        return gradient;
    }

    /// <summary>A node's part in one pass: edges still to deliver a gradient, and the sum of those that did.</summary>
    private struct NodeTask
    {
        public int Dependencies;
        public Tensor? Gradient;
    }

    // Iterative DFS: how many edges point at each node reachable from the roots.
    private static void CountDependencies(Node[] roots, Pass pass)
    {
        var tasks = pass.Tasks;
        var stack = pass.Unvisited;
        foreach (var root in roots)
            if (tasks.TryAdd(root, default))
                stack.Push(root);
        while (stack.TryPop(out var node))
        {
            foreach (var next in node.Next)
            {
                if (next is null) continue;
                ref var task = ref CollectionsMarshal.GetValueRefOrAddDefault(tasks, next, out bool seen);
                task.Dependencies++;
                if (!seen) stack.Push(next);
            }
        }
    }

    // The nodes from which a target is reachable: only they need to run for autograd.grad.
    private static HashSet<Node> NodesLeadingTo(IEnumerable<Node> graph, IEnumerable<Node> targets)
    {
        var parents = new Dictionary<Node, List<Node>>(ReferenceEqualityComparer.Instance);
        foreach (var node in graph)
            foreach (var next in node.Next)
                if (next is not null)
                {
                    if (!parents.TryGetValue(next, out var list)) parents[next] = list = [];
                    list.Add(node);
                }
        var needed = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Node>(targets);
        while (stack.TryPop(out var node))
            if (parents.TryGetValue(node, out var list))
                foreach (var parent in list)
                    if (needed.Add(parent))
                        stack.Push(parent);
        return needed;
    }

    // Where input `input` of `node` may add its gradient in place: into the .grad of a leaf that
    // receives gradient from this edge alone, directly or through a transpose (Linear's weight.T),
    // with no hook or retained grad on the way (GradientSink.Target checks the .grad itself). What
    // the rule adds there is what AccumulateIntoLeaf would have added, rounded the same way.
    private static GradientSink? SinkFor(Dictionary<Node, NodeTask> tasks, Node node, int input)
    {
        var next = node.Next[input];
        if (next is null || !OnlyThisEdgeLeft(tasks, next)) return null;
        bool transposed = false;
        if (!next.IsAccumulateGrad)
        {
            if (next.Rule != Derivatives.Permute || next.Args.Dims is not [1, 0] || next.Next is not [{ } leafNode]
                || !leafNode.IsAccumulateGrad || !OnlyThisEdgeLeft(tasks, leafNode))
                return null;
            (next, transposed) = (leafNode, true);
        }
        return new GradientSink(next, transposed, node.Inputs[input]);
    }

    // The node's gradient will be this edge's alone (none arrived by another), and no hook sees it.
    private static bool OnlyThisEdgeLeft(Dictionary<Node, NodeTask> tasks, Node node) =>
        tasks[node] is { Dependencies: 1, Gradient: null } && node.IsUnobserved;

    private static void Accumulate(Dictionary<Node, NodeTask> tasks, Node node, Tensor grad)
    {
        ref var task = ref CollectionsMarshal.GetValueRefOrNullRef(tasks, node);
        task.Gradient = task.Gradient is { } existing ? existing + grad : grad;
    }

    // The node's summed gradient, dropped from the table so it can be freed once used.
    private static Tensor? TakeGradient(Dictionary<Node, NodeTask> tasks, Node node)
    {
        ref var task = ref CollectionsMarshal.GetValueRefOrNullRef(tasks, node);
        var grad = task.Gradient;
        task.Gradient = null;
        return grad;
    }

    // Undoes broadcasting: sums over the leading dimensions the input lacked and the ones it had as 1.
    internal static Tensor SumToShape(Tensor grad, long[] shape)
    {
        if (grad.shape.AsSpan().SequenceEqual(shape)) return grad;
        int lead = grad.Dim - shape.Length;
        var dims = new List<long>();
        for (int i = 0; i < grad.Dim; i++)
            if (i < lead || (shape[i - lead] == 1 && grad.shape[i] != 1))
                dims.Add(i);
        var reduced = dims.Count == 0 ? grad : grad.Sum([.. dims], keepDim: true);
        return lead == 0 && reduced.shape.AsSpan().SequenceEqual(shape) ? reduced : reduced.Reshape(shape);
    }

    // A leaf's .grad is its own contiguous tensor, so later passes may add into it in place; a
    // grad that is part of a recorded graph (createGraph) is replaced instead of modified. As in
    // PyTorch, the first differentiable grad is copied into a fresh tensor through a recorded
    // copy_ (grad_fn CopyBackwards), and each later one is the sum (AddBackward0); a pass without
    // createGraph adds into any contiguous grad in place, keeping its grad_fn, as PyTorch does.
    // Backward passes on several threads may reach one leaf at once: like PyTorch, accumulation
    // into a leaf is serialised (here by its AccumulateGrad node), so no update is lost.
    private static void AccumulateIntoLeaf(Node accumulator, Tensor grad, bool createGraph)
    {
        lock (accumulator)
            AccumulateIntoLeaf(accumulator.Variable!, grad, createGraph);
        accumulator.RunPostAccumulateHooks();
    }

    // PyTorch's new_empty_strided(...).copy_(grad): a CopyBackwards node whose first input, the
    // empty target, needs no gradient and whose second passes the gradient through.
    private static Tensor RecordedCopy(Tensor grad)
    {
        var target = Tensor.Scalar(0, grad.DType).Expand(grad.shape); // its shape is all the node keeps
        return Node.Record(grad.CopyRaw(grad.DType), Derivatives.Copy, [target, grad]);
    }

    private static void AccumulateIntoLeaf(Tensor leaf, Tensor grad, bool createGraph)
    {
        var existing = leaf.GradWithoutWarning;
        if (existing is null)
            leaf.SetGradFromEngine(grad.RequiresGrad ? RecordedCopy(grad) : grad.Detach().Clone());
        else if (createGraph || !existing.IsContiguous)
            leaf.SetGradFromEngine((existing + grad).Contiguous());
        else
            using (GradMode.Set(false))
                existing.Add_(grad);
    }
}
