namespace NativeGrad.Tests.Reliability;

internal static partial class BadInputCatalogue
{
    // Autograd misuse: graphs used twice or without gradients, in-place writes it cannot undo.
    private static BadInput[] AutogradMisuse =>
    [
        new("autograd.backward_twice", InvalidOperation, () =>
        {
            var w = Tensor.Ones([3], requiresGrad: true);
            var y = (w * w).Sum();
            y.Backward();
            y.Backward();
        }),
        new("autograd.backward_of_non_scalar", InvalidOperation, () => (Tensor.Ones([3], requiresGrad: true) * 2).Backward()),
        new("autograd.backward_without_grad", InvalidOperation, () => Tensor.Ones(3).Sum().Backward()),
        new("autograd.backward_gradient_shape", Argument, () => (Tensor.Ones([3], requiresGrad: true) * 2).Backward(Tensor.Ones(2))),
        new("autograd.grad_of_input_without_grad", InvalidOperation, () =>
        {
            var w = Tensor.Ones([3], requiresGrad: true);
            NativeGrad.Autograd.Grad([(w * 2).Sum()], [Tensor.Ones(3)]);
        }),
        new("autograd.grad_of_unused_input", InvalidOperation, () =>
        {
            var w = Tensor.Ones([3], requiresGrad: true);
            var v = Tensor.Ones([3], requiresGrad: true);
            NativeGrad.Autograd.Grad([(w * 2).Sum()], [v]);
        }),
        new("autograd.grad_of_non_scalar", InvalidOperation, () =>
        {
            var w = Tensor.Ones([3], requiresGrad: true);
            NativeGrad.Autograd.Grad([w * 2], [w]);
        }),
        new("autograd.inplace_on_leaf", InvalidOperation, () => Tensor.Ones([3], requiresGrad: true).Add_(1.0)),
        new("autograd.inplace_on_view_of_leaf", InvalidOperation, () => Tensor.Ones([3], requiresGrad: true)[..2].Add_(1.0)),
        new("autograd.modified_saved_tensor", InvalidOperation, () =>
        {
            var w = Tensor.Ones([3], requiresGrad: true);
            var y = w.Exp();
            y.Add_(1.0);
            y.Sum().Backward();
        },
            "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with Autograd.SetDetectAnomaly(true) (PyTorch's torch.autograd.set_detect_anomaly(True)).",
            "the hint names the NativeGrad call that turns anomaly detection on, and PyTorch's beside it"),
        new("autograd.modified_saved_input", InvalidOperation, () =>
        {
            var w = Tensor.Ones([3], requiresGrad: true);
            var x = w * 1;
            var y = x * x;
            x.Mul_(2.0);
            y.Sum().Backward();
        },
            "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], which is output 0 of MulBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with Autograd.SetDetectAnomaly(true) (PyTorch's torch.autograd.set_detect_anomaly(True)).",
            "the hint names the NativeGrad call that turns anomaly detection on, and PyTorch's beside it"),
        new("autograd.requires_grad_of_int64", InvalidOperation, () => Tensor.Arange(3).RequiresGrad_()),
        new("autograd.ones_int64_requiring_grad", InvalidOperation, () => Tensor.Ones([3], DType.Int64, requiresGrad: true)),
        new("autograd.requires_grad_off_non_leaf", InvalidOperation, () => (Tensor.Ones([3], requiresGrad: true) * 2).RequiresGrad_(false)),
        new("autograd.retain_grad_without_grad", InvalidOperation, () => Tensor.Ones(3).RetainGrad()),
        new("autograd.hook_without_grad", InvalidOperation, () => Tensor.Ones(3).RegisterHook(g => g)),
        new("autograd.detach_view_in_place", InvalidOperation, () => (Tensor.Ones([3], requiresGrad: true) * 1).View(3).Detach_()),
    ];
}
