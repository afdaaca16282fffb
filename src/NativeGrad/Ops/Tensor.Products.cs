namespace NativeGrad;

// The products beyond matmul that PyTorch code reaches for: outer, kron, trace, addmv, baddbmm.
// Composite where PyTorch composes them (outer is a broadcast multiply, kron a reshaped one), so
// the recorded node names match; addmv, baddbmm and trace are nodes of their own, as in PyTorch.
public sealed partial class Tensor
{
    /// <summary>The outer product of two vectors: result[i, j] = this[i] * vec2[j] (torch.outer).</summary>
    public Tensor Outer(Tensor vec2)
    {
        ArgumentNullException.ThrowIfNull(vec2);
        if (Dim != 1) throw new ArgumentException($"outer: Expected 1-D argument self, but got {Dim}-D");
        if (vec2.Dim != 1) throw new ArgumentException($"outer: Expected 1-D argument vec2, but got {vec2.Dim}-D");
        return Reshape(shape[0], 1) * vec2;
    }

    /// <summary>torch.outer.</summary>
    public static Tensor Outer(Tensor input, Tensor vec2) => (input ?? throw new ArgumentNullException(nameof(input))).Outer(vec2);

    /// <summary>
    /// The Kronecker product (torch.kron): the shorter shape is padded with leading ones, and
    /// block (i...) of the result is this[i...] * other.
    /// </summary>
    public Tensor Kron(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        int dims = Math.Max(Dim, other.Dim);
        var left = new long[2 * dims];
        var right = new long[2 * dims];
        var result = new long[dims];
        for (int i = 0; i < dims; i++)
        {
            long a = i >= dims - Dim ? shape[i - (dims - Dim)] : 1;
            long b = i >= dims - other.Dim ? other.shape[i - (dims - other.Dim)] : 1;
            (left[2 * i], left[2 * i + 1]) = (a, 1);
            (right[2 * i], right[2 * i + 1]) = (1, b);
            result[i] = a * b;
        }
        // Interleaving the dimensions turns the product into one broadcast multiply.
        return (Reshape(left) * other.Reshape(right)).UnsafeView(result);
    }

    /// <summary>torch.kron.</summary>
    public static Tensor Kron(Tensor input, Tensor other) => (input ?? throw new ArgumentNullException(nameof(input))).Kron(other);

    /// <summary>The sum of the main diagonal of a matrix (torch.trace); integers sum to int64.</summary>
    public Tensor Trace()
    {
        if (Dim != 2) throw new ArgumentException($"trace: expected a matrix, but got tensor with dim {Dim}");
        var diagonal = View([Math.Min(shape[0], shape[1])], [strides[0] + strides[1]], offset);
        // Like PyTorch's CPU kernel: one running sum in double (int64 for integers), rounded once.
        Tensor sum;
        if (DType.IsFloatingPoint())
        {
            double total = 0;
            foreach (var v in diagonal.ToArray<double>()) total += v;
            sum = Scalar(total, DType);
        }
        else
        {
            long total = 0;
            foreach (var v in diagonal.ToArray<long>()) total += v;
            sum = FromSpan<long>([total], []);
        }
        return Node.Record(sum, Derivatives.Trace, [this]);
    }

    /// <summary>torch.trace.</summary>
    public static Tensor Trace(Tensor input) => (input ?? throw new ArgumentNullException(nameof(input))).Trace();

    /// <summary>beta * input + alpha * (mat @ vec), input broadcast to the result (torch.addmv); beta = 0 ignores input, NaN included.</summary>
    public static Tensor Addmv(Tensor input, Tensor mat, Tensor vec, double beta = 1, double alpha = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(mat);
        ArgumentNullException.ThrowIfNull(vec);
        if (mat.Dim != 2 || vec.Dim != 1 || input.Dim > 1)
            throw new ArgumentException($"vector + matrix @ vector expected, got {input.Dim}, {mat.Dim}, {vec.Dim}");
        if (mat.shape[1] != vec.shape[0] || (input.Dim == 1 && input.shape[0] != mat.shape[0] && input.shape[0] != 1))
            throw new ArgumentException($"size mismatch, got {(input.Dim == 1 ? input.shape[0] : 1)}, {mat.shape[0]}x{mat.shape[1]},{vec.shape[0]}");
        Tensor result;
        using (GradMode.Set(false))
            result = ScaledSum(input, mat.Mv(vec), beta, alpha);
        return Node.Record(result, Derivatives.Addmv, [input, mat, vec], new OpArgs { Scalar = beta, Scalar2 = alpha });
    }

    /// <summary>beta * input + alpha * (batch1 @ batch2) per batch, input broadcast to the result (torch.baddbmm).</summary>
    public static Tensor Baddbmm(Tensor input, Tensor batch1, Tensor batch2, double beta = 1, double alpha = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(batch1);
        ArgumentNullException.ThrowIfNull(batch2);
        // PyTorch's order: the result's sizes first (an operand of too few dimensions fails
        // there), input expanded to them, then the operands' checks.
        long b = batch1.Size(0), n = batch1.Size(1), m = batch2.Size(2);
        Tensor expanded;
        using (GradMode.Set(false)) expanded = input.Expand(b, n, m);
        if (batch1.Dim != 3) throw new ArgumentException("batch1 must be a 3D tensor");
        if (batch2.Dim != 3) throw new ArgumentException("batch2 must be a 3D tensor");
        if (batch1.DType != batch2.DType || input.DType != batch1.DType)
            throw new ArgumentException($"expected scalar type {input.DType.ScalarTypeName()} but found {(batch1.DType != input.DType ? batch1 : batch2).DType.ScalarTypeName()}");
        if (batch2.shape[0] != b || batch2.shape[1] != batch1.shape[2])
            throw new ArgumentException($"Expected size for first two dimensions of batch2 tensor to be: [{b}, {batch1.shape[2]}] but got: [{batch2.shape[0]}, {batch2.shape[1]}].");
        Tensor result;
        using (GradMode.Set(false))
            result = ScaledSum(expanded, batch1.Bmm(batch2), beta, alpha);
        return Node.Record(result, Derivatives.Baddbmm, [input, batch1, batch2], new OpArgs { Scalar = beta, Scalar2 = alpha });
    }

    // beta * input + alpha * product, skipping the multiplications by one and, as BLAS does,
    // never reading input when beta is zero.
    private static Tensor ScaledSum(Tensor input, Tensor product, double beta, double alpha)
    {
        var scaled = alpha == 1 ? product : product * alpha;
        if (beta == 0) return scaled.Contiguous();
        return (beta == 1 ? input : input * beta) + scaled;
    }
}
