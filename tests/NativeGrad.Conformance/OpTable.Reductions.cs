namespace NativeGrad.Conformance;

public static partial class OpTable
{
    /// <summary>
    /// tests/data/parity/reductions: reductions, scans, sorting and selection. A case with
    /// "transpose" runs on its input's transpose (a non-contiguous operand); sort, topk and
    /// median(dim) give two tensors, so each half is its own op (sort_values, sort_indices...).
    /// </summary>
    private static Dictionary<string, Op> ReductionOps => new()
    {
        ["prod"] = (x, a) => a.Has("dim")
            ? Operand(x, a).Prod(a.Int("dim"), a.Bool("keepdim"), ResultType(a))
            : Operand(x, a).Prod(ResultType(a)),
        ["cumsum"] = (x, a) => Operand(x, a).Cumsum(a.Int("dim"), ResultType(a)),
        ["cumprod"] = (x, a) => Operand(x, a).Cumprod(a.Int("dim"), ResultType(a)),
        ["std"] = (x, a) => Operand(x, a).Std(a.Has("dim") ? a.Dims("dim") : null, a.Bool("unbiased", true), a.Bool("keepdim")),
        ["amax"] = (x, a) => Operand(x, a).Amax(a.Has("dim") ? a.Dims("dim") : null, a.Bool("keepdim")),
        ["amin"] = (x, a) => Operand(x, a).Amin(a.Has("dim") ? a.Dims("dim") : null, a.Bool("keepdim")),
        ["argmax"] = (x, a) => a.Has("dim") ? Operand(x, a).ArgMax(a.Int("dim"), a.Bool("keepdim")) : Operand(x, a).ArgMax(),
        ["argmin"] = (x, a) => a.Has("dim") ? Operand(x, a).ArgMin(a.Int("dim"), a.Bool("keepdim")) : Operand(x, a).ArgMin(),
        ["sort_values"] = (x, a) => Sorted(x, a).Values,
        ["sort_indices"] = (x, a) => Sorted(x, a).Indices,
        ["argsort"] = (x, a) => Operand(x, a).Argsort(a.Int("dim", -1), a.Bool("descending"), a.Bool("stable")),
        ["topk_values"] = (x, a) => Largest(x, a).Values,
        ["topk_indices"] = (x, a) => Largest(x, a).Indices,
        ["median"] = (x, a) => Operand(x, a).Median(),
        ["median_values"] = (x, a) => Operand(x, a).Median(a.Int("dim"), a.Bool("keepdim")).Values,
        ["median_indices"] = (x, a) => Operand(x, a).Median(a.Int("dim"), a.Bool("keepdim")).Indices,
    };

    private static Tensor Operand(Tensor[] x, Attributes a) => a.Bool("transpose") ? x[0].T : x[0];

    private static (Tensor Values, Tensor Indices) Sorted(Tensor[] x, Attributes a) =>
        Operand(x, a).Sort(a.Int("dim", -1), a.Bool("descending"), a.Has("stable") ? a.Bool("stable") : null);

    private static (Tensor Values, Tensor Indices) Largest(Tensor[] x, Attributes a) =>
        Operand(x, a).TopK(a.Long("k"), a.Int("dim", -1), a.Bool("largest", true), a.Bool("sorted", true));

    // A "dtype" argument is written as an empty tensor of that dtype (the attributes read numbers and tensors).
    private static DType? ResultType(Attributes a) => a.OptionalTensor("dtype")?.DType;
}
