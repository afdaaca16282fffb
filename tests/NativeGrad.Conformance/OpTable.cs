using System.Text.Json;

namespace NativeGrad.Conformance;

/// <summary>The conformance vocabulary: each op name as NativeGrad spells the PyTorch call.</summary>
public static class OpTable
{
    private delegate Tensor Op(Tensor[] x, Attributes a);

    private static readonly Dictionary<string, Op> Ops = new()
    {
        ["neg"] = (x, _) => -x[0],
        ["exp"] = (x, _) => x[0].Exp(),
        ["log"] = (x, _) => x[0].Log(),
        ["sqrt"] = (x, _) => x[0].Sqrt(),
        ["abs"] = (x, _) => x[0].Abs(),
        ["relu"] = (x, _) => x[0].Relu(),
        ["sigmoid"] = (x, _) => x[0].Sigmoid(),
        ["tanh"] = (x, _) => x[0].Tanh(),
        ["sin"] = (x, _) => x[0].Sin(),
        ["cos"] = (x, _) => x[0].Cos(),
        ["gelu"] = (x, _) => x[0].Gelu(),
        ["leaky_relu"] = (x, a) => x[0].LeakyRelu(a.Double("negative_slope")),
        ["clamp"] = (x, a) => x[0].Clamp(a.OptionalDouble("min"), a.OptionalDouble("max")),

        ["add"] = (x, _) => x[0] + x[1],
        ["sub"] = (x, _) => x[0] - x[1],
        ["mul"] = (x, _) => x[0] * x[1],
        ["div"] = (x, _) => x[0] / x[1],
        ["pow"] = (x, _) => x[0].Pow(x[1]),
        ["maximum"] = (x, _) => Tensor.Maximum(x[0], x[1]),
        ["minimum"] = (x, _) => Tensor.Minimum(x[0], x[1]),

        // Python keeps int and float scalars apart; so do these (long vs double overloads).
        ["add_scalar"] = (x, a) => a.IsInteger("scalar") ? x[0] + a.Long("scalar") : x[0] + a.Double("scalar"),
        ["rsub_scalar"] = (x, a) => a.IsInteger("scalar") ? a.Long("scalar") - x[0] : a.Double("scalar") - x[0],
        ["mul_scalar"] = (x, a) => a.IsInteger("scalar") ? a.Long("scalar") * x[0] : a.Double("scalar") * x[0],
        ["div_scalar"] = (x, a) => a.IsInteger("scalar") ? x[0] / a.Long("scalar") : x[0] / a.Double("scalar"),
        ["rdiv_scalar"] = (x, a) => a.IsInteger("scalar") ? a.Long("scalar") / x[0] : a.Double("scalar") / x[0],
        ["pow_scalar"] = (x, a) => a.IsInteger("scalar") ? x[0].Pow(a.Long("scalar")) : x[0].Pow(a.Double("scalar")),

        ["sum"] = (x, a) => a.Has("dim") ? x[0].Sum(a.Dims("dim"), a.Bool("keepdim")) : x[0].Sum(),
        ["mean"] = (x, a) => a.Has("dim") ? x[0].Mean(a.Dims("dim"), a.Bool("keepdim")) : x[0].Mean(),
        ["max"] = (x, a) => x[0].Max(a.Int("dim"), a.Bool("keepdim")).Values,
        ["max_all"] = (x, _) => x[0].Max(),
        ["min_all"] = (x, _) => x[0].Min(),
        ["norm"] = (x, _) => x[0].Norm(),
        ["logsumexp"] = (x, a) => x[0].LogSumExp(a.Dims("dim"), a.Bool("keepdim")),
        ["var"] = (x, a) => x[0].Var(a.Has("dim") ? a.Dims("dim") : null, a.Bool("unbiased", true)),

        ["dot"] = (x, _) => x[0].Dot(x[1]),
        ["matmul"] = (x, _) => x[0].MatMul(x[1]),
        ["linear"] = (x, _) => Tensor.Linear(x[0], x[1], x.Length > 2 ? x[2] : null),

        ["reshape"] = (x, a) => x[0].Reshape(a.Longs("shape")),
        ["transpose"] = (x, a) => x[0].Transpose(a.Int("dim0"), a.Int("dim1")),
        ["permute"] = (x, a) => x[0].Permute(a.Longs("dims").Select(d => (int)d).ToArray()),
        ["unsqueeze"] = (x, a) => x[0].Unsqueeze(a.Int("dim")),
        ["squeeze"] = (x, a) => a.Has("dim") ? x[0].Squeeze(a.Int("dim")) : x[0].Squeeze(),
        ["expand"] = (x, a) => x[0].Expand(a.Longs("shape")),
        ["flatten"] = (x, a) => x[0].Flatten(a.Int("start_dim", 0), a.Int("end_dim", -1)),
        ["cat"] = (x, a) => Tensor.Cat(x, a.Int("dim", 0)),
        ["stack"] = (x, a) => Tensor.Stack(x, a.Int("dim", 0)),
        ["slice"] = (x, a) => x[0].Slice(a.Int("dim"), a.OptionalLong("start"), a.OptionalLong("end"), a.Long("step", 1)),
        ["select"] = (x, a) => x[0].Select(a.Int("dim"), a.Long("index")),
        ["index_select"] = (x, a) => x[0].IndexSelect(a.Int("dim"), Tensor.From(a.Longs("index"))),

        ["softmax"] = (x, a) => x[0].Softmax(a.Int("dim")),
        ["log_softmax"] = (x, a) => x[0].LogSoftmax(a.Int("dim")),
        ["mse_loss"] = (x, a) => Functional.MseLoss(x[0], x[1], a.Reduction()),
        ["cross_entropy"] = (x, a) => Functional.CrossEntropy(x[0], x[1], a.Reduction()),
        ["bce_with_logits"] = (x, a) => Functional.BinaryCrossEntropyWithLogits(x[0], x[1], a.Reduction()),
        ["where"] = (x, _) => Tensor.Where(x[0], x[1], x[2]),

        // Convolution and pooling (nn.json): sizes are ints or [h, w] pairs.
        ["conv2d"] = (x, a) => Functional.Conv2d(x[0], x[1], x.Length > 2 ? x[2] : null, a.Pair("stride", 1),
                                                 a.Pair("padding", 0), a.Pair("dilation", 1), a.Int("groups", 1)),
        ["max_pool2d"] = (x, a) => Functional.MaxPool2d(x[0], a.Pair("kernel_size", 1), a.Has("stride") ? a.Pair("stride", 1) : null,
                                                        a.Pair("padding", 0), a.Pair("dilation", 1), a.Bool("ceil_mode")),
        ["avg_pool2d"] = (x, a) => Functional.AvgPool2d(x[0], a.Pair("kernel_size", 1), a.Has("stride") ? a.Pair("stride", 1) : null,
                                                        a.Pair("padding", 0), a.Bool("ceil_mode"), a.Bool("count_include_pad", true)),
        ["adaptive_avg_pool2d"] = (x, a) => Functional.AdaptiveAvgPool2d(x[0], a.Pair("output_size", 1)),
    };

    public static bool Knows(string op) => Ops.ContainsKey(op);

    /// <summary>Applies <paramref name="op"/> to <paramref name="inputs"/> with the case's attributes.</summary>
    public static Tensor Apply(string op, Tensor[] inputs, IReadOnlyDictionary<string, JsonElement> attrs) =>
        Ops.TryGetValue(op, out var apply)
            ? apply(inputs, new Attributes(attrs))
            : throw new NotSupportedException($"op '{op}' is not in the conformance vocabulary");

    private sealed class Attributes(IReadOnlyDictionary<string, JsonElement> values)
    {
        public bool Has(string name) => values.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Null;
        private JsonElement Get(string name) => values.TryGetValue(name, out var v) ? v : throw new InvalidDataException($"attribute '{name}' is missing");
        public bool IsInteger(string name) => Get(name).ValueKind == JsonValueKind.Number && !Get(name).GetRawText().Any(c => c is '.' or 'e' or 'E');
        public double Double(string name) => Get(name).GetDouble();
        public double? OptionalDouble(string name) => Has(name) ? Double(name) : null;
        public long Long(string name) => Get(name).GetInt64();
        public long Long(string name, long fallback) => Has(name) ? Long(name) : fallback;
        public long? OptionalLong(string name) => Has(name) ? Long(name) : null;
        public int Int(string name) => (int)Long(name);
        public int Int(string name, int fallback) => Has(name) ? Int(name) : fallback;
        public bool Bool(string name, bool fallback = false) => Has(name) ? Get(name).GetBoolean() : fallback;
        public long[] Longs(string name) => Get(name).EnumerateArray().Select(e => e.GetInt64()).ToArray();
        public Size2 Pair(string name, int fallback) =>
            !Has(name) ? fallback
            : Get(name).ValueKind == JsonValueKind.Array ? (Get(name)[0].GetInt32(), Get(name)[1].GetInt32())
            : Int(name);
        public long[] Dims(string name) => Get(name).ValueKind == JsonValueKind.Array ? Longs(name) : [Long(name)];
        public Reduction Reduction() => (Has("reduction") ? Get("reduction").GetString() : "mean") switch
        {
            "mean" => NativeGrad.Reduction.Mean,
            "sum" => NativeGrad.Reduction.Sum,
            "none" => NativeGrad.Reduction.None,
            var other => throw new InvalidDataException($"unknown reduction '{other}'"),
        };
    }
}
