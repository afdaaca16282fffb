namespace NativeGrad.Tests.Reliability;

internal static partial class BadInputCatalogue
{
    // Views, reshapes and joins: the shapes asked for do not fit the tensor.
    private static BadInput[] Views =>
    [
        new("view.view_wrong_numel", Argument, () => Tensor.Zeros(2, 3).View(4)),
        new("view.reshape_two_inferred", Argument, () => Tensor.Zeros(6).Reshape(-1, -1)),
        new("view.reshape_cannot_infer", Argument, () => Tensor.Zeros(6).Reshape(4, -1)),
        new("view.view_of_transpose", InvalidOperation, () => Tensor.Zeros(2, 3).T.View(6)),
        new("view.transpose_dim_out_of_range", OutOfRange, () => Tensor.Zeros(2, 3).Transpose(0, 2)),
        new("view.permute_too_few_dims", Argument, () => Tensor.Zeros(2, 3).Permute(0)),
        new("view.permute_repeated_dim", Argument, () => Tensor.Zeros(2, 3).Permute(0, 0)),
        new("view.squeeze_dim_out_of_range", OutOfRange, () => Tensor.Zeros(2).Squeeze(1)),
        new("view.unsqueeze_dim_out_of_range", OutOfRange, () => Tensor.Zeros(2).Unsqueeze(3)),
        new("view.expand_smaller", Argument, () => Tensor.Zeros(3).Expand(2)),
        new("view.expand_fewer_dims", Argument, () => Tensor.Zeros(2, 3).Expand(3)),
        new("view.flatten_start_after_end", Argument, () => Tensor.Zeros(2, 3, 4).Flatten(2, 1)),
        new("view.narrow_past_end", Argument, () => Tensor.Zeros(5).Narrow(0, 3, 4)),
        new("view.narrow_negative_length", Argument, () => Tensor.Zeros(5).Narrow(0, 0, -1)),
        new("view.select_out_of_range", OutOfRange, () => Tensor.Zeros(3).Select(0, 3)),
        new("view.unbind_dim_out_of_range", OutOfRange, () => Tensor.Zeros(2).Unbind(1)),
        new("view.diagonal_same_dims", Argument, () => Tensor.Zeros(3, 3).Diagonal(0, 0, 0)),
        new("view.movedim_repeated_source", Argument, () => Tensor.Zeros(2, 3).Movedim([0, 0], [0, 1])),
        new("view.movedim_lengths_differ", Argument, () => Tensor.Zeros(2, 3).Movedim([0], [0, 1])),
        new("view.item_of_two_elements", InvalidOperation, () => Tensor.Zeros(2).Item<float>()),

        new("join.cat_sizes_differ", Argument, () => Tensor.Cat([Tensor.Zeros(2, 3), Tensor.Zeros(2, 4)])),
        new("join.cat_empty_list", Argument, () => Tensor.Cat([])),
        new("join.cat_dim_out_of_range", OutOfRange, () => Tensor.Cat([Tensor.Zeros(2)], 1)),
        new("join.stack_sizes_differ", Argument, () => Tensor.Stack([Tensor.Zeros(2), Tensor.Zeros(3)])),
        new("join.stack_empty_list", Argument, () => Tensor.Stack([])),
        new("join.chunk_zero", Argument, () => Tensor.Zeros(4).Chunk(0)),
        new("join.split_sizes_wrong_sum", Argument, () => Tensor.Zeros(5).Split([2L, 2L])),
        new("join.split_size_zero", Argument, () => Tensor.Zeros(5).Split(0)),
        new("join.repeat_fewer_dims", Argument, () => Tensor.Zeros(2, 3).Repeat(2)),
        new("join.repeat_negative", Argument, () => Tensor.Zeros(2).Repeat(-1)),
        new("join.flip_repeated_dim", Argument, () => Tensor.Zeros(2, 3).Flip(0, 0)),
        new("join.roll_shifts_dims_differ", Argument, () => Tensor.Zeros(3).Roll([1, 2], 0)),
        new("join.tril_of_vector", OutOfRange, () => Tensor.Zeros(3).Tril()),
        new("join.diag_of_3d", Argument, () => Tensor.Zeros(2, 2, 2).Diag()),
    ];

    // Indexing, gather and scatter: indices outside the tensor, of the wrong dtype or rank.
    private static BadInput[] Indexing =>
    [
        new("index.integer_out_of_range", OutOfRange, () => _ = Tensor.Zeros(3)[3]),
        new("index.negative_out_of_range", OutOfRange, () => _ = Tensor.Zeros(3)[-4]),
        new("index.too_many_indices", OutOfRange, () => _ = Tensor.Zeros(3)[0, 0]),
        new("index.gather_out_of_range", OutOfRange, () => Tensor.Zeros(3).Gather(0, Tensor.From([3L]))),
        new("index.gather_float_index", Argument, () => Tensor.Zeros(3).Gather(0, Tensor.From([0f]))),
        new("index.gather_rank_differs", Argument, () => Tensor.Zeros(2, 2).Gather(0, Tensor.From([0L]))),
        new("index.gather_dim_out_of_range", OutOfRange, () => Tensor.Zeros(3).Gather(1, Tensor.From([0L]))),
        new("index.scatter_out_of_range", OutOfRange, () => Tensor.Zeros(3).Scatter(0, Tensor.From([5L]), Tensor.Ones(1))),
        new("index.scatter_src_dtype", Argument, () => Tensor.Zeros(3).Scatter(0, Tensor.From([0L]), Tensor.Ones([1], DType.Float64))),
        new("index.scatter_add_float_index", Argument, () => Tensor.Zeros(3).ScatterAdd(0, Tensor.From([0f]), Tensor.Ones(1))),
        new("index.index_select_out_of_range", OutOfRange, () => Tensor.Zeros(3).IndexSelect(0, Tensor.From([3L]))),
        new("index.index_select_float_index", Argument, () => Tensor.Zeros(3).IndexSelect(0, Tensor.From([0f]))),
        new("index.index_select_matrix_index", Argument, () => Tensor.Zeros(3).IndexSelect(0, Tensor.From(new long[,] { { 0 } }))),
        new("index.masked_fill_mask_shape", Argument, () => Tensor.Zeros(3).MaskedFill(Tensor.From([true, false]), 1.0)),
        new("index.masked_select_long_mask", Argument, () => Tensor.Zeros(3).MaskedSelect(Tensor.From([1L, 0L, 1L]))),
        new("index.take_out_of_range", OutOfRange, () => Tensor.Zeros(3).Take(Tensor.From([3L]))),
        new("index.index_put_out_of_range", OutOfRange, () => Tensor.Zeros(3).IndexPut_([Tensor.From([5L])], Tensor.From([1f]))),
        new("index.index_add_source_size", Argument, () => Tensor.Zeros(3).IndexAdd(0, Tensor.From([0L]), Tensor.Ones(2))),
        new("index.where_long_condition", Argument, () => Tensor.Where(Tensor.From([1L, 0L]), Tensor.Zeros(2), Tensor.Ones(2))),
        new("index.embedding_out_of_range", OutOfRange, () => Functional.Embedding(Tensor.From([3L]), Tensor.Zeros(3, 2))),
        new("index.embedding_float_indices", Argument, () => Functional.Embedding(Tensor.From([0f]), Tensor.Zeros(3, 2))),
    ];
}
