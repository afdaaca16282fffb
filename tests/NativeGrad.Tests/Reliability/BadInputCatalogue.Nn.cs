using NativeGrad.Nn;

namespace NativeGrad.Tests.Reliability;

internal static partial class BadInputCatalogue
{
    // Convolution and pooling: window arguments and input ranks PyTorch rejects.
    private static BadInput[] Windows =>
    [
        new("conv.channels_differ", Argument, () => Functional.Conv2d(Tensor.Zeros(1, 3, 5, 5), Tensor.Zeros(2, 4, 3, 3))),
        new("conv.kernel_larger_than_input", Argument, () => Functional.Conv2d(Tensor.Zeros(1, 1, 2, 2), Tensor.Zeros(1, 1, 3, 3))),
        new("conv.zero_stride", Argument, () => Functional.Conv2d(Tensor.Zeros(1, 1, 5, 5), Tensor.Zeros(1, 1, 3, 3), stride: 0)),
        new("conv.negative_padding", Argument, () => Functional.Conv2d(Tensor.Zeros(1, 1, 5, 5), Tensor.Zeros(1, 1, 3, 3), padding: -1)),
        new("conv.bias_size", Argument, () => Functional.Conv2d(Tensor.Zeros(1, 1, 5, 5), Tensor.Zeros(2, 1, 3, 3), Tensor.Zeros(3))),
        new("conv.input_of_rank_2", Argument, () => Functional.Conv2d(Tensor.Zeros(5, 5), Tensor.Zeros(1, 1, 3, 3))),
        new("conv.groups_do_not_divide", Argument, () => Functional.Conv2d(Tensor.Zeros(1, 3, 5, 5), Tensor.Zeros(2, 1, 3, 3), groups: 2)),
        new("conv.zero_dilation", Argument, () => Functional.Conv2d(Tensor.Zeros(1, 1, 5, 5), Tensor.Zeros(1, 1, 3, 3), dilation: 0)),
        new("pool.max_kernel_zero", Argument, () => Functional.MaxPool2d(Tensor.Zeros(1, 1, 4, 4), 0)),
        new("pool.max_padding_over_half_kernel", Argument, () => Functional.MaxPool2d(Tensor.Zeros(1, 1, 4, 4), 2, padding: 2)),
        new("pool.max_output_too_small", Argument, () => Functional.MaxPool2d(Tensor.Zeros(1, 1, 1, 1), 2)),
        new("pool.max_input_of_rank_2", Argument, () => Functional.MaxPool2d(Tensor.Zeros(4, 4), 2)),
        new("pool.max_zero_dilation", Argument, () => Functional.MaxPool2d(Tensor.Zeros(1, 1, 4, 4), 2, dilation: 0)),
        new("pool.avg_zero_stride", Argument, () => Functional.AvgPool2d(Tensor.Zeros(1, 1, 4, 4), 2, stride: 0)),
        new("pool.avg_padding_over_half_kernel", Argument, () => Functional.AvgPool2d(Tensor.Zeros(1, 1, 4, 4), 2, padding: 2)),
        new("pool.adaptive_avg_negative_size", Argument, () => Functional.AdaptiveAvgPool2d(Tensor.Zeros(1, 1, 4, 4), (-1, 2))),
    ];

    // Modules and their functional forms given inputs, arguments or state dicts that do not fit.
    private static BadInput[] Modules =>
    [
        new("nn.linear_in_features_differ", Argument, () => new Linear(3, 2).Call(Tensor.Zeros(4, 5))),
        new("nn.batchnorm_features_differ", Argument, () => new BatchNorm1d(3).Call(Tensor.Zeros(4, 5))),
        new("nn.batchnorm_one_value_per_channel", Argument, () => new BatchNorm1d(3).Call(Tensor.Zeros(1, 3))),
        new("nn.batchnorm2d_of_3d_input", Argument, () => new BatchNorm2d(3).Call(Tensor.Zeros(3, 4, 4))),
        new("nn.layernorm_shape_differs", Argument, () => new LayerNorm(4).Call(Tensor.Zeros(2, 3))),
        new("nn.embedding_out_of_range", OutOfRange, () => new Embedding(3, 2).Call(Tensor.From([3L]))),
        new("nn.embedding_padding_idx_out_of_range", Argument, () => new Embedding(3, 2, paddingIdx: 3)),
        new("nn.dropout_p_above_one", Argument, () => new Dropout(1.5)),
        new("nn.functional_dropout_negative_p", Argument, () => Functional.Dropout(Tensor.Zeros(3), -0.1)),
        new("nn.conv2d_channels_differ", Argument, () => new Conv2d(3, 2, 3).Call(Tensor.Zeros(1, 4, 5, 5))),
        new("nn.unflatten_sizes_differ", Argument, () => new Unflatten(1, 2, 2).Call(Tensor.Zeros(2, 3))),
        new("nn.module_to_int64", Argument, () => new Linear(2, 2).To(DType.Int64),
            "nn.Module.to only accepts floating point dtypes, but got desired dtype=torch.int64", "NativeGrad has no complex dtypes"),
        new("nn.clip_grad_norm_nonfinite", InvalidOperation, () =>
        {
            var w = Tensor.Ones([2], requiresGrad: true);
            w.Grad = Tensor.From([float.PositiveInfinity, 1f]);
            Utils.ClipGradNorm_(w, 1.0, errorIfNonfinite: true);
        }),
        new("nn.xavier_of_vector", Argument, () => Init.XavierUniform_(Tensor.Zeros(3))),
        new("nn.kaiming_of_vector", Argument, () => Init.KaimingNormal_(Tensor.Zeros(3))),
        new("nn.load_state_dict_missing_key", Argument, () =>
            new Linear(2, 2).LoadStateDict(new Dictionary<string, Tensor> { ["weight"] = Tensor.Zeros(2, 2) })),
        new("nn.load_state_dict_unexpected_key", Argument, () => new Linear(2, 2).LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.Zeros(2, 2), ["bias"] = Tensor.Zeros(2), ["extra"] = Tensor.Zeros(1),
        })),
        new("nn.load_state_dict_shape_differs", Argument, () => new Linear(2, 2).LoadStateDict(new Dictionary<string, Tensor>
        {
            ["weight"] = Tensor.Zeros(3, 2), ["bias"] = Tensor.Zeros(2),
        })),
    ];

    // Losses given targets of the wrong shape, dtype or range, and bad loss arguments.
    private static BadInput[] Losses =>
    [
        new("loss.mse_shapes_differ", Argument, () => Functional.MseLoss(Tensor.Zeros(3), Tensor.Zeros(2))),
        new("loss.l1_shapes_differ", Argument, () => Functional.L1Loss(Tensor.Zeros(3), Tensor.Zeros(2))),
        new("loss.cross_entropy_target_out_of_range", OutOfRange, () => Functional.CrossEntropy(Tensor.Zeros(2, 3), Tensor.From([0L, 3L]))),
        new("loss.cross_entropy_negative_target", OutOfRange, () => Functional.CrossEntropy(Tensor.Zeros(2, 3), Tensor.From([0L, -1L]))),
        new("loss.cross_entropy_batch_sizes_differ", Argument, () => Functional.CrossEntropy(Tensor.Zeros(2, 3), Tensor.From([0L, 1L, 2L]))),
        new("loss.cross_entropy_label_smoothing_above_one", Argument, () =>
            Functional.CrossEntropy(Tensor.Zeros(2, 3), Tensor.From([0L, 1L]), labelSmoothing: 1.5)),
        new("loss.nll_target_out_of_range", OutOfRange, () => Functional.NllLoss(Tensor.Zeros(2, 3), Tensor.From([0L, 3L]))),
        new("loss.nll_float_target", Argument, () => Functional.NllLoss(Tensor.Zeros(2, 3), Tensor.From([0f, 1f]))),
        new("loss.nll_weight_size", Argument, () => Functional.NllLoss(Tensor.Zeros(2, 3), Tensor.From([0L, 1L]), weight: Tensor.Ones(2))),
        new("loss.bce_input_above_one", Argument, () => Functional.BinaryCrossEntropy(Tensor.From([1.5f]), Tensor.From([1f]))),
        new("loss.bce_shapes_differ", Argument, () => Functional.BinaryCrossEntropy(Tensor.Zeros(3), Tensor.Zeros(2))),
        new("loss.bce_with_logits_shapes_differ", Argument, () => Functional.BinaryCrossEntropyWithLogits(Tensor.Zeros(3), Tensor.Zeros(2))),
        new("loss.huber_negative_delta", Argument, () => Functional.HuberLoss(Tensor.Zeros(3), Tensor.Zeros(3), delta: -1)),
        new("loss.smooth_l1_negative_beta", Argument, () => Functional.SmoothL1Loss(Tensor.Zeros(3), Tensor.Zeros(3), beta: -1)),
        new("loss.kl_div_shapes_differ", Argument, () => Functional.KlDiv(Tensor.Zeros(3), Tensor.Zeros(2))),
    ];
}
