using System.Text;
using NativeGrad.Nn;
using NativeGrad.Optim;

namespace NativeGrad.Tests.Reliability;

internal static partial class BadInputCatalogue
{
    private static Tensor Param() => Tensor.Ones([2], requiresGrad: true);

    private static SGD Sgd() => new([Param()], lr: 0.1);

    // Optimizers with hyper-parameters out of range, bad parameter lists and foreign state dicts.
    private static BadInput[] Optimizers =>
    [
        new("optim.sgd_negative_lr", Argument, () => new SGD([Param()], lr: -1.0)),
        new("optim.sgd_negative_momentum", Argument, () => new SGD([Param()], lr: 0.1, momentum: -0.5)),
        new("optim.sgd_negative_weight_decay", Argument, () => new SGD([Param()], lr: 0.1, weightDecay: -1.0)),
        new("optim.sgd_nesterov_without_momentum", Argument, () => new SGD([Param()], lr: 0.1, nesterov: true)),
        new("optim.adam_beta1_of_one", Argument, () => new Adam([Param()], betas: (1.0, 0.999))),
        new("optim.adam_negative_beta2", Argument, () => new Adam([Param()], betas: (0.9, -0.1))),
        new("optim.adam_negative_eps", Argument, () => new Adam([Param()], eps: -1.0)),
        new("optim.adam_negative_lr", Argument, () => new Adam([Param()], lr: -1.0)),
        new("optim.adamw_negative_weight_decay", Argument, () => new AdamW([Param()], weightDecay: -1.0)),
        new("optim.rmsprop_negative_alpha", Argument, () => new RMSprop([Param()], alpha: -1.0)),
        new("optim.rmsprop_negative_momentum", Argument, () => new RMSprop([Param()], momentum: -1.0)),
        new("optim.adagrad_negative_lr_decay", Argument, () => new Adagrad([Param()], lrDecay: -1.0)),
        new("optim.empty_parameter_list", Argument, () => new SGD(Array.Empty<Tensor>(), lr: 0.1)),
        new("optim.non_leaf_parameter", Argument, () => new SGD([Param() * 2], lr: 0.1)),
        new("optim.parameter_in_two_groups", Argument, () =>
        {
            var w = Param();
            new SGD([w], lr: 0.1).AddParamGroup(new ParamGroup([w]));
        }),
        new("optim.load_state_dict_group_count", Argument, () =>
        {
            Tensor w = Param(), v = Param();
            var state = new SGD([new ParamGroup([w]), new ParamGroup([v])], lr: 0.1).StateDict();
            new SGD([w, v], lr: 0.1).LoadStateDict(state);
        }),
        new("optim.load_state_dict_group_size", Argument, () =>
        {
            Tensor w = Param(), v = Param();
            var state = new SGD([w], lr: 0.1).StateDict();
            new SGD([w, v], lr: 0.1).LoadStateDict(state);
        }),
    ];

    // Learning-rate schedulers with arguments out of range, or stepped past their end.
    private static BadInput[] Schedulers =>
    [
        new("sched.resume_without_initial_lr", typeof(KeyNotFoundException), () => new StepLR(Sgd(), 1, lastEpoch: 5),
            "param 'initial_lr' is not specified in param_groups[0] when resuming an optimizer",
            "Python's KeyError quotes its message; the words are the same"),
        new("sched.linear_start_factor_above_one", Argument, () => new LinearLR(Sgd(), startFactor: 1.5)),
        new("sched.linear_end_factor_above_one", Argument, () => new LinearLR(Sgd(), endFactor: 1.5)),
        new("sched.one_cycle_without_steps", Argument, () => new OneCycleLR(Sgd(), maxLr: 0.1)),
        new("sched.one_cycle_negative_total_steps", Argument, () => new OneCycleLR(Sgd(), maxLr: 0.1, totalSteps: -1)),
        new("sched.one_cycle_pct_start_above_one", Argument, () => new OneCycleLR(Sgd(), maxLr: 0.1, totalSteps: 10, pctStart: 1.5)),
        new("sched.one_cycle_step_past_total", InvalidOperation, () =>
        {
            var s = new OneCycleLR(Sgd(), maxLr: 0.1, totalSteps: 2);
            for (int i = 0; i < 3; i++) s.Step();
        }),
    ];

    // A safetensors file: an 8-byte little-endian header length, the JSON header, the data.
    private static void LoadSafetensors(string bytes) =>
        Safetensors.Load(new MemoryStream(Encoding.Latin1.GetBytes(bytes)));

    private const string NoSafetensorsInTorch =
        "PyTorch 1.13 has no safetensors reader; its twin, torch.load of the same bytes, rejects them as an unpickling error";

    private static string CheckpointPath => Path.Combine(Path.GetTempPath(), $"nativegrad-badinput-{Environment.ProcessId}.safetensors");

    // Checkpoints: broken safetensors bytes, and a saved model whose shapes do not fit.
    private static BadInput[] Checkpoints =>
    [
        new("ckpt.safetensors_truncated_header", InvalidData, () => LoadSafetensors("\x10\x00\x00"),
            "safetensors stream: invalid safetensors file: the file is truncated: it has 3 bytes, but the header length alone takes 8", NoSafetensorsInTorch),
        new("ckpt.safetensors_header_past_end", InvalidData, () => LoadSafetensors("\xff\x00\x00\x00\x00\x00\x00\x00{}"),
            "safetensors stream: invalid safetensors file: the header length 255 runs past the end of the file (2 bytes follow it)", NoSafetensorsInTorch),
        new("ckpt.safetensors_header_not_json", InvalidData, () => LoadSafetensors("\x02\x00\x00\x00\x00\x00\x00\x00{x"),
            "safetensors stream: invalid safetensors file: the header is not valid JSON ('x' is an invalid start of a property name. Expected a '\"'. LineNumber: 0 | BytePositionInLine: 1.)", NoSafetensorsInTorch),
        new("ckpt.safetensors_data_truncated", InvalidData, () =>
            LoadSafetensors("\x40\x00\x00\x00\x00\x00\x00\x00{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}          \x00\x00"),
            "safetensors stream: invalid safetensors file: tensor 'w' has data_offsets [0, 8], past the end of the 2-byte data section (the file is truncated or the offsets are wrong)", NoSafetensorsInTorch),
        new("ckpt.module_load_shape_differs", Argument, () =>
        {
            var path = CheckpointPath;
            try
            {
                new Linear(2, 3).Save(path);
                new Linear(2, 2).Load(path);
            }
            finally
            {
                File.Delete(path);
            }
        }, $"{CheckpointPath}: Error(s) in loading state_dict for Linear:", "the message names the file it loaded"),
    ];

    // Data: loaders, datasets and splits given sizes or indices that do not fit.
    private static BadInput[] DataLoading =>
    [
        new("data.loader_batch_size_zero", OutOfRange, () => new DataLoader(new TensorDataset(Tensor.Zeros(3)), batchSize: 0)),
        new("data.tensor_dataset_sizes_differ", Argument, () => new TensorDataset(Tensor.Zeros(3), Tensor.Zeros(4)),
            "Size mismatch between tensors: TensorDataset needs the same first dimension in every tensor, but tensor 0 has shape [3] and tensor 1 has shape [4]",
            "PyTorch's words, with the sizes that differ added"),
        new("data.random_split_lengths_sum", Argument, () => global::NativeGrad.Data.RandomSplit(new TensorDataset(Tensor.Zeros(3)), [1L, 1L]),
            "Sum of input lengths does not equal the length of the input dataset! (lengths sum to 2, the data set has 3 samples)",
            "PyTorch's words, with the two numbers added"),
        new("data.random_split_fractions_sum", Argument, () => global::NativeGrad.Data.RandomSplit(new TensorDataset(Tensor.Zeros(3)), [0.5, 0.6]),
            "random_split fractions must sum to 1, but they sum to 1.1",
            "PyTorch's message speaks of lengths when fractions were given"),
        new("data.dataset_index_out_of_range", OutOfRange, () => _ = new TensorDataset(Tensor.Zeros(3))[5],
            "index 5 is out of range for a data set of 3 samples",
            "a data set counts samples; PyTorch's message comes from indexing its first tensor"),
        new("data.subset_index_out_of_range", OutOfRange, () => _ = new Subset(new TensorDataset(Tensor.Zeros(3)), [5L])[0],
            "index 5 is out of range for a data set of 3 samples",
            "a data set counts samples; PyTorch's message comes from indexing its first tensor"),
    ];
}
