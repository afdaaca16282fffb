using NativeGrad.Backends;

namespace NativeGrad;

// The fused arithmetic optimizers are written in (addcmul, addcdiv, lerp; add with alpha is in
// Tensor.AddScaled.cs),
// in place and out of place. Each is a composition of primitive ops, so autograd records it like
// any other; the order of the float operations is PyTorch's CPU kernel order, because optimizer
// results are compared with PyTorch's to a few ulps.
public sealed partial class Tensor
{
    /// <summary>
    /// this + value * tensor1 * tensor2 (torch's addcmul), broadcasting all three. The scalar
    /// multiplies <paramref name="tensor1"/> first, as PyTorch's kernel does.
    /// </summary>
    public Tensor Addcmul(Tensor tensor1, Tensor tensor2, double value = 1)
    {
        ArgumentNullException.ThrowIfNull(tensor1);
        ArgumentNullException.ThrowIfNull(tensor2);
        // On integers PyTorch truncates the value to an integer scalar.
        bool integral = !ResultTypeOf([this, tensor1, tensor2]).IsFloatingPoint();
        Tensor result;
        using (GradMode.Set(false))
            result = this + (value == 1 ? tensor1 : integral ? tensor1 * (long)value : tensor1 * value) * tensor2;
        return Node.Record(result, Derivatives.Addcmul, [this, tensor1, tensor2], new OpArgs { Scalar = value });
    }

    /// <summary>this += value * tensor1 * tensor2 in place (torch's addcmul_); returns this tensor.</summary>
    public Tensor Addcmul_(Tensor tensor1, Tensor tensor2, double value = 1)
    {
        ArgumentNullException.ThrowIfNull(tensor1);
        ArgumentNullException.ThrowIfNull(tensor2);
        return InPlace(self => self.Addcmul(tensor1, tensor2, value), tensor1, other2: tensor2);
    }

    /// <summary>
    /// this + value * tensor1 / tensor2 (torch's addcdiv), broadcasting all three; the scalar
    /// multiplies <paramref name="tensor1"/> before the division, as PyTorch's kernel does.
    /// </summary>
    public Tensor Addcdiv(Tensor tensor1, Tensor tensor2, double value = 1)
    {
        ArgumentNullException.ThrowIfNull(tensor1);
        ArgumentNullException.ThrowIfNull(tensor2);
        if (!tensor1.DType.IsFloatingPoint() && !tensor2.DType.IsFloatingPoint())
            throw new ArgumentException("Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.");
        Tensor result;
        using (GradMode.Set(false))
            result = this + (value == 1 ? tensor1 : tensor1 * value) / tensor2;
        return Node.Record(result, Derivatives.Addcdiv, [this, tensor1, tensor2], new OpArgs { Scalar = value });
    }

    /// <summary>this += value * tensor1 / tensor2 in place (torch's addcdiv_); returns this tensor.</summary>
    public Tensor Addcdiv_(Tensor tensor1, Tensor tensor2, double value = 1)
    {
        ArgumentNullException.ThrowIfNull(tensor1);
        ArgumentNullException.ThrowIfNull(tensor2);
        return InPlace(self => self.Addcdiv(tensor1, tensor2, value), tensor1, other2: tensor2);
    }

    /// <summary>
    /// The linear interpolation this + weight * (end - this) (torch's lerp). Like PyTorch, a weight
    /// of 0.5 or more is computed from the end, end - (end - this) * (1 - weight), so that weight 1
    /// gives exactly <paramref name="end"/>.
    /// </summary>
    public Tensor Lerp(Tensor end, double weight) => Lerp(this, end, weight);

    /// <summary>this + weight * (end - this) with a tensor weight; see <see cref="Lerp(Tensor, Tensor, Tensor)"/>.</summary>
    public Tensor Lerp(Tensor end, Tensor weight) => Lerp(this, end, weight);

    /// <summary>Linear interpolation towards <paramref name="end"/> in place (torch's lerp_); returns this tensor.</summary>
    public Tensor Lerp_(Tensor end, double weight)
    {
        ArgumentNullException.ThrowIfNull(end);
        return InPlace(self => self.Lerp(end, weight), end);
    }

    /// <summary>The square root in place (torch's sqrt_); returns this tensor.</summary>
    public Tensor Sqrt_() => InPlace(self => self.Sqrt());

    /// <summary>
    /// The elementwise maximum of this tensor and <paramref name="other"/>, written into this
    /// tensor (torch.maximum(self, other, out=self)); returns this tensor.
    /// </summary>
    public Tensor Maximum_(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return InPlace(self => Maximum(self, other), other);
    }
}
