using System.Text.Json;

namespace NativeGrad.Conformance;

/// <summary>
/// The conformance vocabulary: each op name as NativeGrad spells the PyTorch call. This file holds
/// the ops of the shared conformance files and nn-extra; the OpTable.*.cs files hold the families
/// of tests/data/parity, one file per folder there.
/// </summary>
public static partial class OpTable
{
    private delegate Tensor Op(Tensor[] x, Attributes a);

    private static readonly Dictionary<string, Op> Ops = Merge(CoreOps, ShapeOps, ReductionOps, ElementwiseOps, LinalgOps);

    private static Dictionary<string, Op> Merge(params Dictionary<string, Op>[] families)
    {
        var all = new Dictionary<string, Op>();
        foreach (var family in families)
            foreach (var (name, op) in family)
                if (!all.TryAdd(name, op)) throw new InvalidOperationException($"op '{name}' is defined twice in OpTable");
        return all;
    }

    private static Dictionary<string, Op> CoreOps => new()
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
        ["cross_entropy"] = (x, a) => Functional.CrossEntropy(x[0], x[1], a.Reduction(), a.Long("ignore_index", -100),
                                                               a.OptionalTensor("weight"), a.Double("label_smoothing", 0)),
        ["bce_with_logits"] = (x, a) => Functional.BinaryCrossEntropyWithLogits(x[0], x[1], a.Reduction()),
        ["where"] = (x, _) => Tensor.Where(x[0], x[1], x[2]),

        // ---- nn.json functional: activations, normalisation, embedding, losses ----
        ["silu"] = (x, _) => Functional.Silu(x[0]),
        ["elu"] = (x, a) => Functional.Elu(x[0], a.Double("alpha", 1.0)),
        ["hardtanh"] = (x, a) => Functional.Hardtanh(x[0], a.Double("min_val", -1.0), a.Double("max_val", 1.0)),
        ["gelu_tanh"] = (x, _) => Functional.Gelu(x[0], GeluApproximate.Tanh),
        ["dropout"] = (x, a) =>
        {
            Tensor.ManualSeed((ulong)a.Long("seed"));
            return Functional.Dropout(x[0], a.Double("p", 0.5), a.Bool("training", true));
        },
        ["dropout_eval"] = (x, a) => Functional.Dropout(x[0], a.Double("p", 0.5), a.Bool("training")),
        ["layer_norm"] = (x, a) => Functional.LayerNorm(x[0], a.Longs("normalized_shape"), x.ElementAtOrDefault(1), x.ElementAtOrDefault(2), a.Double("eps", 1e-5)),
        ["embedding"] = (x, a) => Functional.Embedding(x[0], x[1], a.OptionalLong("padding_idx")),
        ["l1_loss"] = (x, a) => Functional.L1Loss(x[0], x[1], a.Reduction()),
        ["smooth_l1_loss"] = (x, a) => Functional.SmoothL1Loss(x[0], x[1], a.Reduction(), a.Double("beta", 1.0)),
        ["huber_loss"] = (x, a) => Functional.HuberLoss(x[0], x[1], a.Reduction(), a.Double("delta", 1.0)),
        ["nll_loss"] = (x, a) => Functional.NllLoss(x[0], x[1], a.Reduction(), a.Long("ignore_index", -100), a.OptionalTensor("weight")),
        ["binary_cross_entropy"] = (x, a) => Functional.BinaryCrossEntropy(x[0], x[1], a.OptionalTensor("weight"), a.Reduction()),
        ["binary_cross_entropy_with_logits"] = (x, a) => Functional.BinaryCrossEntropyWithLogits(x[0], x[1], a.Reduction(),
                                                                                                  a.OptionalTensor("weight"), a.OptionalTensor("pos_weight")),
        ["kl_div"] = (x, a) => Functional.KlDiv(x[0], x[1], a.Reduction(), a.Bool("log_target")),
        ["batch_norm"] = (x, a) =>
        {
            // In training the running statistics start at zeros and ones; CaseRunner checks them afterwards.
            long channels = x[0].Size(1);
            bool training = a.Bool("training");
            a.Side.RunningMean = training ? Tensor.Zeros(channels) : a.OptionalTensor("running_mean");
            a.Side.RunningVar = training ? Tensor.Ones(channels) : a.OptionalTensor("running_var");
            return Functional.BatchNorm(x[0], a.Side.RunningMean, a.Side.RunningVar, x.ElementAtOrDefault(1), x.ElementAtOrDefault(2),
                                        training, a.Double("momentum", 0.1), a.Double("eps", 1e-5));
        },
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
        Apply(op, inputs, attrs, new SideEffects());

    /// <summary>Like <see cref="Apply(string, Tensor[], IReadOnlyDictionary{string, JsonElement})"/>, also reporting state the op changed in <paramref name="side"/>.</summary>
    public static Tensor Apply(string op, Tensor[] inputs, IReadOnlyDictionary<string, JsonElement> attrs, SideEffects side) =>
        Ops.TryGetValue(op, out var apply)
            ? apply(inputs, new Attributes(attrs, side))
            : throw new NotSupportedException($"op '{op}' is not in the conformance vocabulary");

    /// <summary>State an op updates besides its output: batch_norm's running statistics.</summary>
    public sealed class SideEffects
    {
        public Tensor? RunningMean { get; set; }
        public Tensor? RunningVar { get; set; }
    }

    private sealed class Attributes(IReadOnlyDictionary<string, JsonElement> values, SideEffects side)
    {
        public SideEffects Side => side;
        public Tensor? OptionalTensor(string name) => Has(name) ? Get(name).Deserialize<TensorData>()!.ToTensor() : null;
        public double Double(string name, double fallback) => Has(name) ? Double(name) : fallback;
        public bool Has(string name) => values.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Null;
        private JsonElement Get(string name) => values.TryGetValue(name, out var v) ? v : throw new InvalidDataException($"attribute '{name}' is missing");
        public bool IsInteger(string name) => Get(name).ValueKind == JsonValueKind.Number && !Get(name).GetRawText().Any(c => c is '.' or 'e' or 'E');
        public double Double(string name) => Get(name).GetDouble();
        public double? OptionalDouble(string name) => Has(name) ? Double(name) : null;
        public long Long(string name) => Get(name).GetInt64();
        public string String(string name) => Get(name).GetString()!;
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
            "batchmean" => NativeGrad.Reduction.BatchMean,
            var other => throw new InvalidDataException($"unknown reduction '{other}'"),
        };
    }
}
