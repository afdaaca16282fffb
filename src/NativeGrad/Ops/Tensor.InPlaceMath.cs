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
        return this + (value == 1 ? tensor1 : tensor1 * value) * tensor2;
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
        return this + (value == 1 ? tensor1 : tensor1 * value) / tensor2;
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
    public Tensor Lerp(Tensor end, double weight)
    {
        ArgumentNullException.ThrowIfNull(end);
        var difference = end - this;
        return Math.Abs(weight) < 0.5 ? this + difference * weight : end - difference * (1 - weight);
    }

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
