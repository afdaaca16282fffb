namespace NativeGrad.Conformance;

public static partial class OpTable
{
    /// <summary>tests/data/parity/shape: indexing and shape ops. Multi-output ops pick one piece by the "index" attribute.</summary>
    private static Dictionary<string, Op> ShapeOps => new()
    {
        ["gather"] = (x, a) => x[0].Gather(a.Int("dim"), x[1]),
        ["scatter"] = (x, a) => x[0].Scatter(a.Int("dim"), x[1], x[2]),
        ["scatter_value"] = (x, a) => x[0].Scatter(a.Int("dim"), x[1], a.Double("value")),
        ["scatter_add"] = (x, a) => x[0].ScatterAdd(a.Int("dim"), x[1], x[2]),
        ["index_add"] = (x, a) => x[0].IndexAdd(a.Int("dim"), x[2], x[1], a.Double("alpha", 1)),
        ["index_put"] = (x, a) => x[0].IndexPut(x[2..], x[1], a.Bool("accumulate")),
        ["index"] = (x, _) => x[0][x[1..]],
        ["masked_fill"] = (x, a) => x[0].MaskedFill(x[1], a.Double("value")),
        ["masked_fill_tensor"] = (x, _) => x[0].MaskedFill(x[1], x[2]),
        ["masked_select"] = (x, _) => x[0].MaskedSelect(x[1]),
        ["take"] = (x, _) => x[0].Take(x[1]),
        ["take_transposed"] = (x, _) => x[0].T.Take(x[1]),
        ["nonzero"] = (x, _) => x[0].Nonzero(),
        ["chunk"] = (x, a) => x[0].Chunk(a.Int("chunks"), a.Int("dim"))[a.Int("index")],
        ["split"] = (x, a) => x[0].Split(a.Long("split_size"), a.Int("dim"))[a.Int("index")],
        ["split_sizes"] = (x, a) => x[0].Split(a.Longs("split_sizes"), a.Int("dim"))[a.Int("index")],
        ["unbind"] = (x, a) => x[0].Unbind(a.Int("dim"))[a.Int("index")],
        ["iterate"] = (x, a) => x[0].ElementAt(a.Int("index")),
        ["repeat"] = (x, a) => x[0].Repeat(a.Longs("repeats")),
        ["tile"] = (x, a) => x[0].Tile(a.Longs("repeats")),
        ["flip"] = (x, a) => x[0].Flip(a.Longs("dims")),
        ["roll"] = (x, a) => x[0].Roll(a.Longs("shifts"), a.Longs("dims")),
        ["tril"] = (x, a) => x[0].Tril(a.Long("diagonal")),
        ["triu"] = (x, a) => x[0].Triu(a.Long("diagonal")),
        ["diag"] = (x, a) => x[0].Diag(a.Long("diagonal")),
        ["diagonal"] = (x, a) => x[0].Diagonal(a.Long("offset"), a.Int("dim1"), a.Int("dim2")),
        ["movedim"] = (x, a) => x[0].Movedim(a.Longs("source").Select(d => (int)d).ToArray(), a.Longs("destination").Select(d => (int)d).ToArray()),
        ["index_fill"] = (x, a) => x[0].IndexFill(a.Int("dim"), x[1], a.Double("value")),
        ["index_fill_tensor"] = (x, a) => x[0].IndexFill(a.Int("dim"), x[1], x[2]),
        ["scatter_"] = (x, a) => Written(x[0], a, t => t.Scatter_(a.Int("dim"), x[1], x[2])),
        ["scatter_value_"] = (x, a) => Written(x[0], a, t => t.Scatter_(a.Int("dim"), x[1], a.Double("value"))),
        ["scatter_add_"] = (x, a) => Written(x[0], a, t => t.ScatterAdd_(a.Int("dim"), x[1], x[2])),
        ["index_add_"] = (x, a) => Written(x[0], a, t => t.IndexAdd_(a.Int("dim"), x[2], x[1], a.Double("alpha", 1))),
        ["index_fill_"] = (x, a) => Written(x[0], a, t => t.IndexFill_(a.Int("dim"), x[1], a.Double("value"))),
        ["index_fill_tensor_"] = (x, a) => Written(x[0], a, t => t.IndexFill_(a.Int("dim"), x[1], x[2])),
        ["masked_fill_"] = (x, a) => Written(x[0], a, t => t.MaskedFill_(x[1], a.Double("value"))),
        ["masked_fill_tensor_"] = (x, a) => Written(x[0], a, t => t.MaskedFill_(x[1], x[2])),
        ["index_put_"] = (x, a) => Written(x[0], a, t => t.IndexPut_(x[2..], x[1], a.Bool("accumulate"))),
        ["setitem_scalar"] = AssignedScalar,
        ["stale_view"] = (x, a) => StaleView(x[0], a.String("scenario")),
        ["narrow"] = (x, a) => x[0].Narrow(a.Int("dim"), a.Long("start"), a.Long("length")),
        ["index_mixed"] = (x, a) => Mixed(x[0], a.String("scenario")),
        ["index_mixed_set"] = (x, a) => MixedSet(x[0], a.String("scenario"), x[1]),
    };

    private static readonly Tensor I2 = Tensor.From([2L, 0L]), I3 = Tensor.FromArray(new long[] { 1, 0 }, 2, 1);

    // Tensors mixed with integers, slices, ellipsis and new axes (shape.py's MIXED).
    private static Tensor Mixed(Tensor x, string scenario) => scenario switch
    {
        "rows_then_slice" => x[I2, 1..],
        "slice_then_rows" => x[.., I2],
        "select_then_index" => x[1, I2],
        "apart" => x[I2, .., I3],
        "ellipsis" => x[TensorIndex.Ellipsis, I2],
        "mask_then_slice" => x[Tensor.FromArray(new[] { true, false, true, false, true, false }, 2, 3), 1..],
        "new_axis" => x[TensorIndex.NewAxis, I2],
        "zero_dim_index" => x[Tensor.From(1L), I2],
        "zero_dim_true" => x[Tensor.From(true)],
        "zero_dim_false" => x[Tensor.From(false), 1..],
        "zero_dim_false_then_index" => x[Tensor.From(false), I2],
        _ => x[I2, 0, I3],
    };

    private static Tensor MixedSet(Tensor x, string scenario, Tensor v)
    {
        var y = x * 1L;
        switch (scenario)
        {
            case "rows_then_slice": y[I2, 1..] = v; break;
            case "slice_then_rows": y[.., I2] = v; break;
            default: y[I2, .., I3] = v; break;
        }
        return y;
    }

    // Views taken before an in-place write elsewhere in their base (shape.py's stale()).
    private static Tensor StaleView(Tensor x, string scenario)
    {
        var y = x * 1L;
        switch (scenario)
        {
            case "sibling":
                var row = y[0];
                y[1..].Mul_(2L);
                return row;
            case "sibling_product":
                var (v, u) = (y[0], y[1]);
                v.Mul_(5L);
                return u * v;
            case "base_written":
                var b = y[1..][0];
                y.Add_(1L);
                return b * 3L;
            case "transposed":
                var t = y.T;
                y[0].Zero_();
                return t;
            default:
                var view = y[..2];
                using (Autograd.NoGrad()) y.Mul_(2L);
                return view;
        }
    }

    // y = x * 1, then y[...] = a Python scalar: written here as C# code writes it, with a C# value
    // of the scalar's kind (bool, long, double), so the implicit scalar conversions are what is tested.
    private static Tensor AssignedScalar(Tensor[] x, Attributes a)
    {
        var y = x[0] * 1L;
        Action<Tensor> assign = a.String("where") switch
        {
            "row" => v => y[1] = v,
            "column" => v => y[.., 1] = v,
            "element" => v => y[0, 2] = v,
            "mask" => v => y[y > 0L] = v,
            _ => v => y[Tensor.From([2L, 0L])] = v,
        };
        switch (a.String("kind"))
        {
            case "bool": assign(a.Bool("value")); break;
            case "int": assign(a.Long("value")); break;
            default: assign(a.Double("value")); break;
        }
        return y;
    }

    /// <summary>
    /// Where an in-place case writes (its "on" attribute, see shape.py): a clone of the input, the
    /// leaf itself, rows 1: of the leaf, or rows 1: of y = x * 1, returning y ("rows") or the view.
    /// </summary>
    private static Tensor Written(Tensor x, Attributes a, Func<Tensor, Tensor> write)
    {
        switch (a.String("on"))
        {
            case "clone": return write(x.Clone());
            case "leaf": return write(x);
            case "leaf_rows": return write(x[1..]);
        }
        var y = x * 1L;
        var view = write(y[1..]);
        return a.String("on") == "rows" ? y : view;
    }
}
