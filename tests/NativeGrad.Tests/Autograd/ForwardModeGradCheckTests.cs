using System.Reflection;
using CsCheck;
using NativeGrad.Backends;

namespace NativeGrad.Tests.Autograd;

/// <summary>
/// Every op's forward (tangent) rule against float64 central differences: GradCheck with
/// <c>checkForwardAD</c> over the cases of every other GradCheck table (random shapes, with
/// broadcasting, both backends), and a census that fails when an entry of the derivative table
/// has no forward rule or no case here reaches it, so a new op cannot slip through.
/// </summary>
public class ForwardModeGradCheckTests : GradCheckTestBase
{
    // Each case costs one dual pass per input element on top of the finite differences.
    private const int ForwardIterations = 8;

    // Entries no other table reaches.
    private static readonly Dictionary<string, Gen<Case>> MoreCases = new()
    {
        // fill_ and zero_ overwrite every element: the tangent of what they leave is 0.
        ["Fill_ then add"] = Unary(Anywhere, x => x.Clone().Fill_(2.0) * 3.0 + x),
        ["Zero_ then add"] = Unary(Anywhere, x => x.Clone().Zero_() + x * x),
        // Mean over the samples of soft-target cross-entropy divides by their count (DivBackward1).
        ["CrossEntropy with probabilities"] =
            from batch in Size
            from classes in Size
            from logits in Leaf([batch, classes], Anywhere)
            from target in Leaf([batch, classes], Probability)
            select new Case([logits, target], t => Functional.CrossEntropy(t[0], t[1])),
        ["Sort(stable: true).Values"] =
            from shape in Shape(1, 3)
            from x in DistinctLeaves(shape)
            select new Case(x, t => t[0].Sort(stable: true).Values),
        // An in-place op on a view of a recorded tensor (CopySlices, AsStridedBackward0), first
        // order and forward over reverse.
        ["Mul_ on a view"] = Leaf(Shape(1, 3), Anywhere).Select(x => new Case([x], t => MulOnView(t[0]))),
        ["Mul_ on a view, second order"] = GradCheckSecondOrderTests.SecondOrder(
            Leaf(Shape(1, 3), Anywhere).Select(x => new Case([x], t => MulOnView(t[0]).Pow(2L)))),
        // The matmul of a vector and a matrix squeezes the row it made (SqueezeBackward3); the
        // linear-algebra table draws its shapes at random, so this one always does.
        ["MatMul(vector, matrix)"] =
            from n in Size
            from m in Size
            from a in Leaf([n], Anywhere)
            from b in Leaf([n, m], Anywhere)
            select new Case([a, b], t => t[0].MatMul(t[1])),
        // take's backward puts into zeros (PutBackward0), differentiated forward over reverse.
        ["Take then square, second order"] = GradCheckSecondOrderTests.SecondOrder(
            Unary(Anywhere, x => x.Reshape(-1).Take(Tensor.From(new long[] { 0, -1, 0 })).Pow(2L))),
    };

    private static Tensor MulOnView(Tensor x)
    {
        var y = x * 1.0;
        y.Select(0, 0).Mul_(x.Select(0, -1).Exp());
        return y;
    }

    private static readonly (string Table, Dictionary<string, Gen<Case>> Cases)[] Tables =
    [
        ("unary", GradCheckUnaryTests.UnaryCases),
        ("binary", GradCheckBinaryTests.BinaryCases),
        ("in-place", GradCheckBinaryTests.InPlaceCases),
        ("reduction", GradCheckReductionTests.ReductionCases),
        ("linear algebra", GradCheckLinearAlgebraTests.LinearAlgebraCases),
        ("shape", GradCheckShapeTests.ShapeCases),
        ("neural network", GradCheckNeuralNetworkTests.NeuralNetworkCases),
        ("nn functional", GradCheckNnFunctionalTests.FunctionalCases),
        ("window", GradCheckConvTests.WindowCases),
        ("reductions and scans", NativeGrad.Tests.Ops.ReductionOpsTests.FirstOrderCases),
        ("more", MoreCases),
        // Forward over reverse: the tangents of backward formulas, which are ops of their own
        // (convolution's input and weight gradients, pooling's backward, scatter into zeros).
        ("second order", GradCheckSecondOrderTests.SecondOrderCases),
        ("nn second order", GradCheckNnFunctionalTests.SecondOrderCases),
        ("reductions second order", NativeGrad.Tests.Ops.ReductionOpsTests.SecondOrderCases),
    ];

    private static readonly Dictionary<string, Gen<Case>> AllCases =
        Tables.SelectMany(t => t.Cases.Select(c => (Name: $"{t.Table}: {c.Key}", Case: c.Value))).ToDictionary(c => c.Name, c => c.Case);

    public static TheoryData<BackendKind, string> Ops => Names(AllCases);

    [Theory]
    [MemberData(nameof(Ops))]
    public void ForwardModeDerivativesMatchFiniteDifferences(BackendKind backend, string op) =>
        AllCases[op].Sample(c =>
        {
            using var scope = Backend.Use(backend);
            NativeGrad.Autograd.GradCheck(c.Function, c.Inputs.Select(i => i.ToTensor()).ToArray(), checkForwardAD: true, checkBackwardAD: false);
        }, iter: ForwardIterations);

    [Theory]
    [MemberData(nameof(NativeGrad.Tests.Ops.IndexingOpsTests.Cases), MemberType = typeof(NativeGrad.Tests.Ops.IndexingOpsTests))]
    public void IndexingOpsForwardModeDerivativesMatchFiniteDifferences(BackendKind backend, string op)
    {
        using var scope = Backend.Use(backend);
        Tensor.ManualSeed(12);
        var (function, inputs) = NativeGrad.Tests.Ops.IndexingOpsTests.Ops[op];
        Assert.True(NativeGrad.Autograd.GradCheck(function, inputs(), checkForwardAD: true, checkBackwardAD: false));
    }

    // A float32 round trip (ToCopyBackward0) rounds to 24 bits: a step of 1e-3 keeps that within tolerance.
    [Theory]
    [MemberData(nameof(Backends))]
    public void AFloat32RoundTripCarriesTheTangent(BackendKind backend)
    {
        using var scope = Backend.Use(backend);
        Tensor.ManualSeed(13);
        var x = Tensor.Randn([2, 3], DType.Float64).RequiresGrad_();
        Assert.True(NativeGrad.Autograd.GradCheck(t => (t[0].To(DType.Float32) * 3.0).To(DType.Float64), [x], eps: 1e-3,
                                                  checkForwardAD: true, checkBackwardAD: false));
    }

    [Fact]
    public void EveryEntryOfTheDerivativeTableHasAForwardRule()
    {
        var missing = TableEntries().Where(d => !d.HasForwardRule).Select(d => d.Name).Distinct().ToArray();
        Assert.True(missing.Length == 0, "no forward rule: " + string.Join(", ", missing));
    }

    // UnpackDual's primal view, which has no tangent by definition, is checked in ForwardADTests.
    private static readonly string[] CoveredElsewhere = ["torch::autograd::Identity"];

    [Fact]
    public void EveryEntryOfTheDerivativeTableIsReachedByAForwardModeCase()
    {
        var reached = new HashSet<string>(CoveredElsewhere);
        // CsCheck samples on several threads at once: the set is shared, so its updates take turns.
        foreach (var cases in AllCases.Values)
            cases.Sample(c =>
            {
                var root = c.Function(c.Inputs.Select(i => i.ToTensor()).ToArray()).GradFn;
                lock (reached) CollectNodeNames(root, reached);
            }, iter: 6);
        foreach (var (function, inputs) in NativeGrad.Tests.Ops.IndexingOpsTests.Ops.Values)
            CollectNodeNames(function(inputs()).GradFn, reached);
        var x = Tensor.Randn([2], DType.Float64).RequiresGrad_();
        CollectNodeNames(x.To(DType.Float32).GradFn, reached);
        // A factory that takes the node's name from its caller (TakeAt, Piece) gives "" here; the
        // cases reach it under the callers' names, and the previous test checks its rule exists.
        var unreached = TableEntries().Select(d => d.Name).Where(name => name.Length > 0).Distinct()
            .Where(name => !reached.Contains(name)).Order().ToArray();
        Assert.True(unreached.Length == 0, "no forward-mode case reaches: " + string.Join(", ", unreached));
    }

    private static void CollectNodeNames(Node? root, HashSet<string> names)
    {
        var stack = new Stack<Node>();
        var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        if (root is not null) stack.Push(root);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            if (!seen.Add(node)) continue;
            names.Add(node.Name);
            foreach (var next in node.NextFunctions)
                if (next is not null) stack.Push(next);
        }
    }

    /// <summary>
    /// Every entry of the table: its static fields, and one entry from each of its factories
    /// (called with default arguments: a factory only captures them, it computes nothing).
    /// </summary>
    internal static IEnumerable<Derivative> TableEntries()
    {
        const BindingFlags statics = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;
        foreach (var field in typeof(Derivatives).GetFields(statics).Where(f => f.FieldType == typeof(Derivative)))
            yield return (Derivative)field.GetValue(null)!;
        foreach (var factory in typeof(Derivatives).GetMethods(statics).Where(m => m.ReturnType == typeof(Derivative)))
            yield return (Derivative)factory.Invoke(null, factory.GetParameters().Select(p => DefaultOf(p.ParameterType)).ToArray())!;
    }

    private static object? DefaultOf(Type type) =>
        type.IsArray ? Array.CreateInstance(type.GetElementType()!, 0)
        : type.IsValueType ? Activator.CreateInstance(type)
        : type == typeof(string) ? "" : null;
}
