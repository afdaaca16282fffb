namespace NativeGrad;

// Products: dot, mm, mv, bmm, and matmul / linear built from them the way PyTorch builds them,
// so the recorded node names (MmBackward0, UnsafeViewBackward0, AddmmBackward0...) match.
public sealed partial class Tensor
{
    /// <summary>The inner product of two 1-D tensors (torch.dot).</summary>
    public Tensor Dot(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Dim != 1 || other.Dim != 1)
            throw new ArgumentException($"1D tensors expected, but got {Dim}D and {other.Dim}D tensors");
        if (shape[0] != other.shape[0])
            throw new ArgumentException($"inconsistent tensor size, expected tensor [{shape[0]}] and src [{other.shape[0]}] to have the same number of elements, but got {shape[0]} and {other.shape[0]} elements respectively");
        if (DType != other.DType)
            throw new ArgumentException($"dot : expected both vectors to have same dtype, but found {DType.ScalarTypeName()} and {other.DType.ScalarTypeName()}");
        var dtype = SameDType("dot", this, other);
        var product = GemmRaw(View([1, shape[0]], [0, strides[0]], offset), other.View([other.shape[0], 1], [other.strides[0], 0], other.offset), dtype);
        return Node.Record(product.View([], [], 0), Derivatives.Dot, [this, other]);
    }

    /// <summary>The matrix product of two 2-D tensors (torch.mm).</summary>
    public Tensor Mm(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Dim != 2) throw new ArgumentException($"self must be a matrix");
        if (other.Dim != 2) throw new ArgumentException($"mat2 must be a matrix");
        if (shape[1] != other.shape[0])
            throw new ArgumentException($"mat1 and mat2 shapes cannot be multiplied ({shape[0]}x{shape[1]} and {other.shape[0]}x{other.shape[1]})");
        return Node.Record(GemmRaw(this, other, SameDType("mm", this, other)), Derivatives.Mm, [this, other]);
    }

    /// <summary>A matrix times a vector (torch.mv).</summary>
    public Tensor Mv(Tensor vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        if (Dim != 2 || vector.Dim != 1)
            throw new ArgumentException($"vector + matrix @ vector expected, got 1, {Dim}, {vector.Dim}");
        if (shape[1] != vector.shape[0])
            throw new ArgumentException($"size mismatch, got {shape[0]}, {shape[0]}x{shape[1]},{vector.shape[0]}");
        var column = vector.View([vector.shape[0], 1], [vector.strides[0], 0], vector.offset);
        var product = GemmRaw(this, column, SameDType("mv", this, vector));
        return Node.Record(product.View([shape[0]], [1], 0), Derivatives.Mv, [this, vector]);
    }

    /// <summary>Batched matrix product of two 3-D tensors with the same batch size (torch.bmm).</summary>
    public Tensor Bmm(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Dim != 3) throw new ArgumentException("batch1 must be a 3D tensor");
        if (other.Dim != 3) throw new ArgumentException("batch2 must be a 3D tensor");
        if (shape[0] != other.shape[0] || shape[2] != other.shape[1])
            throw new ArgumentException($"Expected size for first two dimensions of batch2 tensor to be: [{shape[0]}, {shape[2]}] but got: [{other.shape[0]}, {other.shape[1]}].");
        var dtype = SameDType("bmm", this, other);
        Tensor result;
        using (GradMode.Set(false))
            result = shape[2] * shape[1] * other.shape[2] < SmallBmmLimit ? SmallBmm(this, other) : GemmBatchedRaw(this, other, dtype);
        return Node.Record(result, Derivatives.Bmm, [this, other]);
    }

    // PyTorch computes a bmm whose k * n * m is below this with a plain loop that rounds each
    // product and adds in the dtype, in order; doing the same keeps the last digit equal.
    private const long SmallBmmLimit = 400;

    private static Tensor SmallBmm(Tensor a, Tensor b)
    {
        var products = a.Unsqueeze(3) * b.Unsqueeze(1); // [batch, n, k, m]
        var sum = Zeros([a.shape[0], a.shape[1], b.shape[2]], a.DType);
        for (long p = 0; p < a.shape[2]; p++)
            sum = sum + products.Select(2, p);
        return sum;
    }

    /// <summary>The matrix product with NumPy's rules for 1-D and batched operands (torch.matmul, the @ operator).</summary>
    public Tensor MatMul(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Dim == 0 || other.Dim == 0)
            throw new ArgumentException($"both arguments to matmul need to be at least 1D, but they are {Dim}D and {other.Dim}D");
        if (Dim == 1 && other.Dim == 1) return Dot(other);
        if (Dim == 2 && other.Dim == 1) return Mv(other);
        if (Dim == 1 && other.Dim == 2) return Unsqueeze(0).Mm(other).SqueezeMatmulResult(0);
        if (Dim == 2 && other.Dim == 2) return Mm(other);
        if (Dim >= 3 && other.Dim <= 2)
        {
            // Fold the batch into the rows of one mm, then view the result back.
            var rows = Reshape(-1, shape[^1]);
            var product = other.Dim == 1 ? rows.Mv(other) : rows.Mm(other);
            long[] outShape = other.Dim == 1 ? shape[..^1] : [.. shape[..^1], other.shape[1]];
            return product.UnsafeView(outShape);
        }
        return BatchedMatMul(other);
    }

    private Tensor BatchedMatMul(Tensor other)
    {
        var left = Dim == 1 ? Unsqueeze(0) : this;
        var right = other.Dim == 1 ? other.Unsqueeze(1) : other;
        long n = left.shape[^2], k = left.shape[^1], m = right.shape[^1];
        if (right.shape[^2] != k)
            throw new ArgumentException($"Expected size for first two dimensions of batch2 tensor to be: [{ShapeMath.Product(left.shape[..^2])}, {k}] but got: [{ShapeMath.Product(right.shape[..^2])}, {right.shape[^2]}].");
        var batch = ShapeMath.Broadcast(left.shape[..^2], right.shape[..^2]);
        long batchSize = ShapeMath.Product(batch);
        var a = left.Expand([.. batch, n, k]).Reshape(batchSize, n, k);
        var b = right.Expand([.. batch, k, m]).Reshape(batchSize, k, m);
        long[] outShape = [.. batch, .. (Dim == 1 ? Array.Empty<long>() : [n]), .. (other.Dim == 1 ? Array.Empty<long>() : [m])];
        return a.Bmm(b).UnsafeView(outShape);
    }

    /// <summary>matmul: a @ b.</summary>
    public static Tensor MatMul(Tensor a, Tensor b) => a.MatMul(b);

    /// <summary>input @ weight^T + bias (torch.nn.functional.linear); bias may be null.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (bias is null) return input.MatMul(weight.T);
        if (input.Dim == 2) return Addmm(bias, input, weight.T);
        if (input.Dim >= 3 && input.IsContiguous)
        {
            var flat = input.View(-1, input.shape[^1]);
            return Addmm(bias, flat, weight.T).View([.. input.shape[..^1], weight.shape[0]]);
        }
        return input.MatMul(weight.T) + bias;
    }

    /// <summary>bias + mat1 @ mat2, with bias broadcast (torch.addmm).</summary>
    public static Tensor Addmm(Tensor bias, Tensor mat1, Tensor mat2)
    {
        ArgumentNullException.ThrowIfNull(bias);
        Tensor result;
        using (GradMode.Set(false))
        {
            // The fused path (bias copied into the output, GEMM with beta = 1) when no promotion
            // is involved; anything else keeps the composed form and its errors.
            if (mat1.Dim == 2 && mat2.Dim == 2 && mat1.shape[1] == mat2.shape[0]
                && mat1.DType == mat2.DType && mat1.DType.IsFloatingPoint() && bias.DType == mat1.DType
                && ShapeMath.BroadcastsInto(bias.shape, [mat1.shape[0], mat2.shape[1]]))
                result = GemmRaw(mat1, mat2, mat1.DType, bias);
            else
            {
                // The bias broadcasts into the product, never the product into the bias.
                var product = mat1.Mm(mat2);
                result = bias.Expand(product.shape) + product;
            }
        }
        return Node.Record(result, Derivatives.Addmm, [bias, mat1, mat2]);
    }

    private Tensor SqueezeMatmulResult(int dim)
    {
        Tensor result;
        using (GradMode.Set(false)) result = Squeeze(dim);
        return Node.Record(result, Derivatives.SqueezeMatmul, [this], new OpArgs { Dims = [dim] });
    }

    // PyTorch's _unsafe_view: a view whose node is named UnsafeViewBackward0.
    private Tensor UnsafeView(long[] newShape)
    {
        Tensor result;
        using (GradMode.Set(false)) result = Reshape(newShape);
        return Node.Record(result, Derivatives.UnsafeView, [this]);
    }

    private static DType SameDType(string operation, Tensor a, Tensor b)
    {
        if (a.DType != b.DType)
            throw new ArgumentException($"expected scalar type {a.DType.ScalarTypeName()} but found {b.DType.ScalarTypeName()}");
        if (a.DType == DType.Bool)
            throw new NotSupportedException($"\"addmm_impl_cpu_\" not implemented for 'Bool'");
        return a.DType;
    }
}
