"""Indexing and shape ops (issue 10): values, printed forms, gradients and PyTorch's errors."""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from parity_cases import Cases  # noqa: E402

c = Cases(seed=10)
L = torch.long


def r(*shape, dtype=torch.float32):
    return torch.randn(*shape, dtype=dtype)


def ints(*shape):
    return torch.randint(-5, 6, shape, dtype=L)


FLOATS = [("f32", torch.float32), ("f64", torch.float64)]

# ---- gather / scatter / scatter_add ----
gi = torch.tensor([[0, 2, 1, 0], [2, 2, 0, 1]])
for name, dt in FLOATS:
    c.case(f"gather_{name}", "gather", lambda x, i: x.gather(0, i), [r(3, 4, dtype=dt), gi], {"dim": 0})
c.case("gather_neg_dim", "gather", lambda x, i: x.gather(-1, i), [r(2, 5), torch.tensor([[4, 0], [1, 1]])], {"dim": -1})
c.case("gather_int64", "gather", lambda x, i: x.gather(1, i), [ints(3, 4), torch.tensor([[3], [0], [2]])], {"dim": 1})
c.case("gather_empty", "gather", lambda x, i: x.gather(0, i), [r(3, 4), torch.zeros(0, 4, dtype=L)], {"dim": 0})
c.case("gather_3d", "gather", lambda x, i: x.gather(1, i), [r(2, 3, 2), torch.tensor([[[2, 0]], [[1, 1]]])], {"dim": 1})
c.error_case("gather_err_dtype", "gather", lambda x, i: x.gather(0, i), [r(3, 4), gi.double()], {"dim": 0})
c.error_case("gather_err_rank", "gather", lambda x, i: x.gather(0, i), [r(3, 4), torch.tensor([0, 1])], {"dim": 0})
c.error_case("gather_err_size", "gather", lambda x, i: x.gather(1, i), [r(3, 4), torch.zeros(4, 1, dtype=L)], {"dim": 1})
c.error_case("gather_err_range", "gather", lambda x, i: x.gather(0, i), [r(3, 4), torch.tensor([[3]])], {"dim": 0})
c.error_case("gather_err_negative", "gather", lambda x, i: x.gather(0, i), [r(3, 4), torch.tensor([[-1]])], {"dim": 0})
c.error_case("gather_err_dim", "gather", lambda x, i: x.gather(2, i), [r(3, 4), gi], {"dim": 2})

si = torch.tensor([[0, 1, 2, 0], [2, 0, 1, 1]])
for name, dt in FLOATS:
    c.case(f"scatter_{name}", "scatter", lambda x, i, s: x.scatter(0, i, s), [r(3, 4, dtype=dt), si, r(2, 4, dtype=dt)], {"dim": 0})
    c.case(f"scatter_add_{name}", "scatter_add", lambda x, i, s: x.scatter_add(1, i, s),
           [r(2, 3, dtype=dt), torch.tensor([[0, 0, 2, 2], [1, 1, 1, 0]]), r(2, 4, dtype=dt)], {"dim": 1})
c.case("scatter_value", "scatter_value", lambda x, i: x.scatter(-1, i, 2.5), [r(2, 4), torch.tensor([[1, 3], [0, 2]])], {"dim": -1, "value": 2.5})
c.case("scatter_int64", "scatter", lambda x, i, s: x.scatter(0, i, s), [ints(3, 4), si, ints(2, 4)], {"dim": 0})
c.case("scatter_add_int64", "scatter_add", lambda x, i, s: x.scatter_add(0, i, s), [ints(3, 4), si, ints(2, 4)], {"dim": 0})
c.case("scatter_add_larger_src", "scatter_add", lambda x, i, s: x.scatter_add(0, i, s),
       [r(3, 2), torch.tensor([[0, 1], [0, 2]]), r(2, 2)], {"dim": 0})
c.error_case("scatter_err_dtype", "scatter", lambda x, i, s: x.scatter(0, i, s), [r(3, 4), si, r(2, 4, dtype=torch.float64)], {"dim": 0})
c.error_case("scatter_err_index_dtype", "scatter_value", lambda x, i: x.scatter(0, i, 1.0), [r(3, 4), si.double()], {"dim": 0, "value": 1.0})
c.error_case("scatter_err_size", "scatter", lambda x, i, s: x.scatter(0, i, s), [r(3, 4), si[:1], r(1, 3)], {"dim": 0})
c.error_case("scatter_err_range", "scatter", lambda x, i, s: x.scatter(0, i, s), [r(3, 4), torch.tensor([[4]]), r(1, 3)], {"dim": 0})
c.error_case("scatter_add_err_dtype", "scatter_add", lambda x, i, s: x.scatter_add(0, i, s), [r(3, 4), si, r(2, 4, dtype=torch.float64)], {"dim": 0})

# ---- index_add ----
for name, dt in FLOATS:
    c.case(f"index_add_{name}", "index_add", lambda x, s, i: x.index_add(0, i, s), [r(4, 3, dtype=dt), r(3, 3, dtype=dt), torch.tensor([0, 2, 0])], {"dim": 0})
c.case("index_add_alpha_neg_dim", "index_add", lambda x, s, i: x.index_add(-1, i, s, alpha=2.0), [r(2, 4), r(2, 2), torch.tensor([3, 1])], {"dim": -1, "alpha": 2.0})
c.case("index_add_int64", "index_add", lambda x, s, i: x.index_add(1, i, s), [ints(2, 4), ints(2, 2), torch.tensor([3, 3])], {"dim": 1})
c.case("index_add_empty", "index_add", lambda x, s, i: x.index_add(0, i, s), [r(3, 2), r(0, 2), torch.zeros(0, dtype=L)], {"dim": 0})
c.error_case("index_add_err_count", "index_add", lambda x, s, i: x.index_add(0, i, s), [r(3, 4), r(2, 4), torch.tensor([0, 1, 2])], {"dim": 0})
c.error_case("index_add_err_vector", "index_add", lambda x, s, i: x.index_add(0, i, s), [r(3, 4), r(2, 4), torch.tensor([[0, 1]])], {"dim": 0})
c.error_case("index_add_err_index_dtype", "index_add", lambda x, s, i: x.index_add(0, i, s), [r(3, 4), r(2, 4), torch.tensor([0.0, 1.0])], {"dim": 0})
c.error_case("index_add_err_range", "index_add", lambda x, s, i: x.index_add(0, i, s), [r(3, 4), r(2, 4), torch.tensor([0, 3])], {"dim": 0})
c.error_case("index_add_err_negative", "index_add", lambda x, s, i: x.index_add(0, i, s), [r(3, 4), r(2, 4), torch.tensor([0, -1])], {"dim": 0})
c.error_case("index_add_err_source_dtype", "index_add", lambda x, s, i: x.index_add(0, i, s), [r(3, 4), r(2, 4, dtype=torch.float64), torch.tensor([0, 1])], {"dim": 0})
c.error_case("index_add_err_slice", "index_add", lambda x, s, i: x.index_add(0, i, s), [r(3, 4), r(2, 3), torch.tensor([0, 1])], {"dim": 0})

# ---- index_put and indexing by tensors ----
for name, dt in FLOATS:
    c.case(f"index_put_{name}", "index_put", lambda x, v, i: x.index_put((i,), v), [r(4, 3, dtype=dt), r(2, 3, dtype=dt), torch.tensor([3, 1])], {})
    c.case(f"index_{name}", "index", lambda x, i: x[i], [r(4, 3, dtype=dt), torch.tensor([[3, 1], [0, 3]])], {})
c.case("index_put_accumulate", "index_put", lambda x, v, i, j: x.index_put((i, j), v, accumulate=True),
       [r(3, 4), r(3), torch.tensor([0, 0, 2]), torch.tensor([1, 1, -1])], {"accumulate": True})
c.case("index_put_broadcast_value", "index_put", lambda x, v, i: x.index_put((i,), v), [r(3, 4), r(4), torch.tensor([2, 0])], {})
c.case("index_put_mask", "index_put", lambda x, v, m: x.index_put((m,), v), [r(3, 2), r(1), torch.tensor([True, False, True])], {})
c.case("index_put_int64", "index_put", lambda x, v, i: x.index_put((i,), v, accumulate=True), [ints(3), ints(2), torch.tensor([1, 1])], {"accumulate": True})
c.case("index_two", "index", lambda x, i, j: x[i, j], [r(3, 4, 2), torch.tensor([0, 2, -1]), torch.tensor([[3], [0]])], {})
c.case("index_mask", "index", lambda x, m: x[m], [r(2, 3), torch.tensor([[True, False, True], [False, False, True]])], {})
c.case("index_int64_empty", "index", lambda x, i: x[i], [ints(4, 2), torch.zeros(0, dtype=L)], {})
c.error_case("index_err_range", "index", lambda x, i: x[i], [r(3, 4), torch.tensor([3])], {})
c.error_case("index_err_too_many", "index", lambda x, i, j, k: x[i, j, k], [r(3, 4), torch.tensor([0]), torch.tensor([0]), torch.tensor([0])], {})
c.error_case("index_put_err_dtype", "index_put", lambda x, v, i: x.index_put((i,), v), [r(3, 4), r(4, dtype=torch.float64), torch.tensor([0])], {})
c.error_case("index_put_err_shape", "index_put", lambda x, v, i: x.index_put((i,), v), [r(3, 4), r(3), torch.tensor([0, 1])], {})

# ---- masked_fill / masked_select ----
mask = torch.tensor([[True, False, True, False], [False, False, True, True], [True, True, False, False]])
for name, dt in FLOATS:
    c.case(f"masked_fill_{name}", "masked_fill", lambda x, m: x.masked_fill(m, -1.5), [r(3, 4, dtype=dt), mask], {"value": -1.5})
    c.case(f"masked_select_{name}", "masked_select", lambda x, m: x.masked_select(m), [r(3, 4, dtype=dt), mask])
c.case("masked_fill_broadcast", "masked_fill", lambda x, m: x.masked_fill(m, 2.0), [r(3, 4), torch.tensor([True, False, False, True])], {"value": 2.0})
c.case("masked_fill_broadcast_self", "masked_fill", lambda x, m: x.masked_fill(m, 0.5), [r(1, 4), mask], {"value": 0.5})
c.case("masked_fill_tensor", "masked_fill_tensor", lambda x, m, v: x.masked_fill(m, v), [r(3, 4), mask, torch.tensor(3.0)])
c.case("masked_fill_int64", "masked_fill", lambda x, m: x.masked_fill(m, 7), [ints(3, 4), mask], {"value": 7})
c.case("masked_fill_empty", "masked_fill", lambda x, m: x.masked_fill(m, 1.0), [r(0, 4), torch.zeros(0, 4, dtype=torch.bool)], {"value": 1.0})
c.case("masked_select_broadcast", "masked_select", lambda x, m: x.masked_select(m), [r(3, 1), mask])
c.case("masked_select_int64", "masked_select", lambda x, m: x.masked_select(m), [ints(3, 4), mask])
c.case("masked_select_none", "masked_select", lambda x, m: x.masked_select(m), [r(3, 4), torch.zeros(3, 4, dtype=torch.bool)])
c.error_case("masked_fill_err_value_dim", "masked_fill_tensor", lambda x, m, v: x.masked_fill(m, v), [r(3, 4), mask, torch.tensor([1.0])])
c.error_case("masked_fill_err_shape", "masked_fill", lambda x, m: x.masked_fill(m, 1.0), [r(3, 4), torch.tensor([True, False])], {"value": 1.0})
c.error_case("masked_select_err_dtype", "masked_select", lambda x, m: x.masked_select(m), [r(3, 4), mask.long()])

# ---- take / nonzero ----
for name, dt in FLOATS:
    c.case(f"take_{name}", "take", lambda x, i: x.take(i), [r(3, 4, dtype=dt), torch.tensor([[0, 11], [-1, 5]])])
c.case("take_strided", "take_transposed", lambda x, i: x.t().take(i), [r(3, 4), torch.tensor([1, 2, 2, 7])])
c.case("take_int64", "take", lambda x, i: x.take(i), [ints(5), torch.tensor([4, 0])])
c.error_case("take_err_range", "take", lambda x, i: x.take(i), [r(3, 4), torch.tensor([12])])
c.error_case("take_err_dtype", "take", lambda x, i: x.take(i), [r(3, 4), torch.tensor([1.0])])
c.error_case("take_err_empty", "take", lambda x, i: x.take(i), [r(0), torch.tensor([0])])
c.case("nonzero_f32", "nonzero", lambda x: x.nonzero(), [torch.tensor([[0.0, 1.5, 0.0], [-2.0, 0.0, float("nan")]])], grad=[False])
c.case("nonzero_int64", "nonzero", lambda x: x.nonzero(), [torch.tensor([0, 3, 0, -1])])
c.case("nonzero_bool_3d", "nonzero", lambda x: x.nonzero(), [torch.rand(2, 2, 3) > 0.5])
c.case("nonzero_scalar", "nonzero", lambda x: x.nonzero(), [torch.tensor(2.0)], grad=[False])
c.case("nonzero_empty", "nonzero", lambda x: x.nonzero(), [torch.zeros(0, 3)], grad=[False])

# ---- chunk / split / unbind: one case per piece ----
def pieces(id, op, fn, x, attrs, count):
    for k in range(count):
        c.case(f"{id}_{k}", op, lambda t, k=k: fn(t)[k], [x], {**attrs, "index": k})


pieces("chunk_f32", "chunk", lambda t: t.chunk(3, 1), r(2, 7), {"chunks": 3, "dim": 1}, 3)
pieces("chunk_f64_neg_dim", "chunk", lambda t: t.chunk(2, -2), r(5, 2, dtype=torch.float64), {"chunks": 2, "dim": -2}, 2)
pieces("chunk_fewer", "chunk", lambda t: t.chunk(5, 0), r(3, 4), {"chunks": 5, "dim": 0}, 3)
pieces("chunk_int64", "chunk", lambda t: t.chunk(2), ints(4, 2), {"chunks": 2, "dim": 0}, 2)
pieces("chunk_empty", "chunk", lambda t: t.chunk(2), r(0, 3), {"chunks": 2, "dim": 0}, 2)
pieces("split_f32", "split", lambda t: t.split(2, 1), r(3, 5), {"split_size": 2, "dim": 1}, 3)
pieces("split_f64", "split", lambda t: t.split(3), r(4, 2, dtype=torch.float64), {"split_size": 3, "dim": 0}, 2)
pieces("split_sizes", "split_sizes", lambda t: t.split([1, 0, 3], -1), r(2, 4), {"split_sizes": [1, 0, 3], "dim": -1}, 3)
pieces("split_sizes_int64", "split_sizes", lambda t: t.split([2, 1]), ints(3, 2), {"split_sizes": [2, 1], "dim": 0}, 2)
pieces("unbind_f32", "unbind", lambda t: t.unbind(1), r(2, 3), {"dim": 1}, 3)
pieces("unbind_f64_neg", "unbind", lambda t: t.unbind(-1), r(3, 2, dtype=torch.float64), {"dim": -1}, 2)
pieces("iterate_rows", "iterate", lambda t: list(t), r(3, 2), {}, 3)
pieces("unbind_int64", "unbind", lambda t: t.unbind(), ints(2, 3), {"dim": 0}, 2)
c.error_case("chunk_err_zero", "chunk", lambda t: t.chunk(0), [r(3, 4)], {"chunks": 0, "dim": 0, "index": 0})
c.error_case("chunk_err_scalar", "chunk", lambda t: t.chunk(2), [torch.tensor(1.0)], {"chunks": 2, "dim": 0, "index": 0})
c.error_case("split_err_negative", "split", lambda t: t.split(-1), [r(3, 4)], {"split_size": -1, "dim": 0, "index": 0})
c.error_case("split_err_zero", "split", lambda t: t.split(0), [r(3, 4)], {"split_size": 0, "dim": 0, "index": 0})
c.error_case("split_sizes_err_sum", "split_sizes", lambda t: t.split([1, 2], 1), [r(3, 4)], {"split_sizes": [1, 2], "dim": 1, "index": 0})
c.error_case("split_sizes_err_negative", "split_sizes", lambda t: t.split([1, -1, 4], 1), [r(3, 4)], {"split_sizes": [1, -1, 4], "dim": 1, "index": 0})
c.error_case("unbind_err_scalar", "unbind", lambda t: t.unbind(), [torch.tensor(1.0)], {"dim": 0, "index": 0})
c.error_case("unbind_err_dim", "unbind", lambda t: t.unbind(2), [r(3, 4)], {"dim": 2, "index": 0})

# ---- repeat / tile / flip / roll ----
for name, dt in FLOATS:
    c.case(f"repeat_{name}", "repeat", lambda x: x.repeat(2, 1, 3), [r(2, 3, dtype=dt)], {"repeats": [2, 1, 3]})
    c.case(f"tile_{name}", "tile", lambda x: x.tile(2), [r(2, 3, dtype=dt)], {"repeats": [2]})
    c.case(f"flip_{name}", "flip", lambda x: x.flip(0, -1), [r(2, 3, 2, dtype=dt)], {"dims": [0, -1]})
    c.case(f"roll_{name}", "roll", lambda x: x.roll((1, -4), (1, 0)), [r(3, 4, dtype=dt)], {"shifts": [1, -4], "dims": [1, 0]})
c.case("repeat_int64", "repeat", lambda x: x.repeat(3), [ints(2)], {"repeats": [3]})
c.case("repeat_zero", "repeat", lambda x: x.repeat(0, 2), [r(2, 3)], {"repeats": [0, 2]})
c.case("repeat_scalar", "repeat", lambda x: x.repeat(2, 2), [torch.tensor(1.5)], {"repeats": [2, 2]})
c.case("tile_ones", "tile", lambda x: x.tile(1, 1), [r(2, 3)], {"repeats": [1, 1]})
c.case("tile_int64_more", "tile", lambda x: x.tile(2, 1, 2), [ints(2, 2)], {"repeats": [2, 1, 2]})
c.case("flip_int64", "flip", lambda x: x.flip(1), [ints(2, 3)], {"dims": [1]})
c.case("flip_empty", "flip", lambda x: x.flip(0), [r(0, 3)], {"dims": [0]})
c.case("flip_none", "flip", lambda x: x.flip([]), [r(2, 2)], {"dims": []})
c.case("roll_flat", "roll", lambda x: x.roll(5), [r(3, 4)], {"shifts": [5], "dims": []})
c.case("roll_int64", "roll", lambda x: x.roll(-1, 0), [ints(4)], {"shifts": [-1], "dims": [0]})
c.case("roll_same_dim", "roll", lambda x: x.roll((1, 1), (0, 0)), [r(3, 2)], {"shifts": [1, 1], "dims": [0, 0]})
c.case("roll_empty", "roll", lambda x: x.roll(1, 0), [r(0, 3)], {"shifts": [1], "dims": [0]})
c.error_case("repeat_err_few", "repeat", lambda x: x.repeat(2), [r(3, 4)], {"repeats": [2]})
c.error_case("repeat_err_negative", "repeat", lambda x: x.repeat(2, -1), [r(3, 4)], {"repeats": [2, -1]})
c.error_case("flip_err_repeated", "flip", lambda x: x.flip(0, -2), [r(3, 4)], {"dims": [0, -2]})
c.error_case("flip_err_dim", "flip", lambda x: x.flip(2), [r(3, 4)], {"dims": [2]})
c.error_case("roll_err_align", "roll", lambda x: x.roll((1, 2), (0,)), [r(3, 4)], {"shifts": [1, 2], "dims": [0]})
c.error_case("roll_err_dim", "roll", lambda x: x.roll(1, 3), [r(3, 4)], {"shifts": [1], "dims": [3]})

# ---- tril / triu / diag / diagonal / movedim ----
for name, dt in FLOATS:
    c.case(f"tril_{name}", "tril", lambda x: x.tril(), [r(3, 4, dtype=dt)], {"diagonal": 0})
    c.case(f"triu_{name}", "triu", lambda x: x.triu(1), [r(2, 3, 3, dtype=dt)], {"diagonal": 1})
    c.case(f"diag_vector_{name}", "diag", lambda x: x.diag(1), [r(3, dtype=dt)], {"diagonal": 1})
    c.case(f"diag_matrix_{name}", "diag", lambda x: x.diag(-1), [r(3, 4, dtype=dt)], {"diagonal": -1})
    c.case(f"diagonal_{name}", "diagonal", lambda x: x.diagonal(1, 0, 2), [r(3, 2, 4, dtype=dt)], {"offset": 1, "dim1": 0, "dim2": 2})
    c.case(f"movedim_{name}", "movedim", lambda x: x.movedim(0, -1), [r(2, 3, 4, dtype=dt)], {"source": [0], "destination": [-1]})
c.case("tril_negative", "tril", lambda x: x.tril(-1), [r(4, 3)], {"diagonal": -1})
c.case("triu_int64", "triu", lambda x: x.triu(-1), [ints(3, 3)], {"diagonal": -1})
c.case("tril_empty", "tril", lambda x: x.tril(), [r(0, 3)], {"diagonal": 0})
c.case("diag_int64", "diag", lambda x: x.diag(), [ints(2, 2)], {"diagonal": 0})
c.case("diag_vector_negative", "diag", lambda x: x.diag(-2), [r(2)], {"diagonal": -2})
c.case("diagonal_negative", "diagonal", lambda x: x.diagonal(-1, -1, -2), [r(3, 4)], {"offset": -1, "dim1": -1, "dim2": -2})
c.case("diagonal_int64", "diagonal", lambda x: x.diagonal(), [ints(3, 3)], {"offset": 0, "dim1": 0, "dim2": 1})
c.case("diagonal_out", "diagonal", lambda x: x.diagonal(5), [r(3, 4)], {"offset": 5, "dim1": 0, "dim2": 1})
c.case("movedim_many", "movedim", lambda x: x.movedim((0, 1), (2, 0)), [r(2, 3, 4)], {"source": [0, 1], "destination": [2, 0]})
c.case("movedim_int64", "movedim", lambda x: x.movedim(1, 0), [ints(2, 3)], {"source": [1], "destination": [0]})
c.case("movedim_same", "movedim", lambda x: x.movedim(0, 0), [r(2, 3)], {"source": [0], "destination": [0]})
c.error_case("tril_err_vector", "tril", lambda x: x.tril(), [r(3)], {"diagonal": 0})
c.error_case("diag_err_3d", "diag", lambda x: x.diag(), [r(2, 2, 2)], {"diagonal": 0})
c.error_case("diagonal_err_same", "diagonal", lambda x: x.diagonal(0, 0, -2), [r(3, 4)], {"offset": 0, "dim1": 0, "dim2": -2})
c.error_case("movedim_err_count", "movedim", lambda x: x.movedim((0, 1), (1,)), [r(3, 4)], {"source": [0, 1], "destination": [1]})
c.error_case("movedim_err_repeated", "movedim", lambda x: x.movedim((0, 0), (1, 0)), [r(3, 4)], {"source": [0, 0], "destination": [1, 0]})
c.error_case("movedim_err_destination", "movedim", lambda x: x.movedim((0, 1), (1, 1)), [r(3, 4)], {"source": [0, 1], "destination": [1, 1]})

# ---- in-place variants and index_fill ----
# "on" says where the in-place op writes: "clone" a clone of the input (the result keeps the op's
# own node), "leaf" the leaf itself (PyTorch's error when it requires grad), "rows" rows 1: of
# y = x * 1 and returns y (CopySlices), "rows_view" the same but returns the written view.
def written(on, x, f):
    if on == "clone":
        return f(x.clone())
    if on == "leaf":
        return f(x)
    y = x * 1
    view = f(y[1:])
    return y if on == "rows" else view


def inplace(id, op, f, inputs, attrs, on="clone", **kw):
    call = lambda x, *rest: written(on, x, lambda t: f(t, *rest))
    (c.error_case if on == "leaf" else c.case)(id, op, call, inputs, {**attrs, "on": on}, **kw)


fi = torch.tensor([1, 3])
for name, dt in FLOATS:
    c.case(f"index_fill_{name}", "index_fill", lambda x, i: x.index_fill(1, i, -2.5), [r(3, 4, dtype=dt), fi], {"dim": 1, "value": -2.5})
    inplace(f"scatter__{name}", "scatter_", lambda t, i, s: t.scatter_(0, i, s), [r(3, 4, dtype=dt), si, r(2, 4, dtype=dt)], {"dim": 0})
c.case("index_fill_negative_repeated", "index_fill", lambda x, i: x.index_fill(0, i, 1.0), [r(3, 2), torch.tensor([-1, 2, 0, 2])], {"dim": 0, "value": 1.0})
c.case("index_fill_scalar_index", "index_fill", lambda x, i: x.index_fill(-1, i, 0.5), [r(2, 3), torch.tensor(1)], {"dim": -1, "value": 0.5})
c.case("index_fill_int64", "index_fill", lambda x, i: x.index_fill(0, i, 1.5), [ints(3, 2), torch.tensor([0, 2])], {"dim": 0, "value": 1.5})
c.case("index_fill_0d_self", "index_fill", lambda x, i: x.index_fill(0, i, 3.0), [torch.tensor(5.0), torch.tensor([0])], {"dim": 0, "value": 3.0})
c.case("index_fill_empty_index", "index_fill", lambda x, i: x.index_fill(1, i, 3.0), [r(2, 3), torch.zeros(0, dtype=L)], {"dim": 1, "value": 3.0})
c.case("index_fill_tensor", "index_fill_tensor", lambda x, i, v: x.index_fill(1, i, v), [r(3, 4), torch.tensor([2, 0, 2]), torch.tensor(0.25)], {"dim": 1})
c.error_case("index_fill_err_range", "index_fill", lambda x, i: x.index_fill(1, i, 1.0), [r(3, 4), torch.tensor([0, 4])], {"dim": 1, "value": 1.0})
c.error_case("index_fill_err_negative", "index_fill", lambda x, i: x.index_fill(1, i, 1.0), [r(3, 4), torch.tensor([-5])], {"dim": 1, "value": 1.0})
c.error_case("index_fill_err_matrix", "index_fill", lambda x, i: x.index_fill(1, i, 1.0), [r(3, 4), torch.tensor([[0, 1]])], {"dim": 1, "value": 1.0})
c.error_case("index_fill_err_dtype", "index_fill", lambda x, i: x.index_fill(1, i, 1.0), [r(3, 4), torch.tensor([0.0])], {"dim": 1, "value": 1.0})
c.error_case("index_fill_err_dim", "index_fill", lambda x, i: x.index_fill(2, i, 1.0), [r(3, 4), fi], {"dim": 2, "value": 1.0})
c.error_case("index_fill_err_value_dim", "index_fill_tensor", lambda x, i, v: x.index_fill(1, i, v), [r(3, 4), fi, torch.tensor([1.0])], {"dim": 1})

inplace("scatter__value", "scatter_value_", lambda t, i: t.scatter_(1, i, 4.0), [r(2, 4), torch.tensor([[3], [0]])], {"dim": 1, "value": 4.0})
inplace("scatter__int64", "scatter_", lambda t, i, s: t.scatter_(0, i, s), [ints(3, 4), si, ints(2, 4)], {"dim": 0})
inplace("scatter_add__f32", "scatter_add_", lambda t, i, s: t.scatter_add_(1, i, s), [r(2, 3), torch.tensor([[0, 0, 2, 2], [1, 1, 1, 0]]), r(2, 4)], {"dim": 1})
inplace("index_add__alpha", "index_add_", lambda t, s, i: t.index_add_(0, i, s, alpha=-1.5), [r(4, 3), r(3, 3), torch.tensor([0, 2, 0])], {"dim": 0, "alpha": -1.5})
inplace("index_fill__f32", "index_fill_", lambda t, i: t.index_fill_(1, i, 7.0), [r(3, 4), fi], {"dim": 1, "value": 7.0})
inplace("index_fill__tensor", "index_fill_tensor_", lambda t, i, v: t.index_fill_(0, i, v), [r(3, 2), torch.tensor([1]), torch.tensor(-3.0)], {"dim": 0})
inplace("masked_fill__f32", "masked_fill_", lambda t, m: t.masked_fill_(m, -1.5), [r(3, 4), mask], {"value": -1.5})
inplace("masked_fill__broadcast", "masked_fill_", lambda t, m: t.masked_fill_(m, 2.0), [r(3, 4), torch.tensor([True, False, False, True])], {"value": 2.0})
inplace("masked_fill__tensor", "masked_fill_tensor_", lambda t, m, v: t.masked_fill_(m, v), [r(3, 4), mask, torch.tensor(3.0)], {})
inplace("index_put__accumulate", "index_put_", lambda t, v, i: t.index_put_((i,), v, accumulate=True), [r(3, 2), r(3, 2), torch.tensor([2, 0, 2])], {"accumulate": True})
inplace("index_put__overwrite", "index_put_", lambda t, v, i: t.index_put_((i,), v), [r(3, 2), r(2), torch.tensor([1])], {"accumulate": False})
# Rows 1: of a 3 x 4 (or 4 x 3) tensor: the index and mask shapes fit the 2-row view.
rows_mask = torch.tensor([[True, False, True, False], [False, True, True, False]])
for on in ("rows", "rows_view"):
    inplace(f"scatter__{on}", "scatter_", lambda t, i, s: t.scatter_(0, i, s), [r(3, 4), torch.tensor([[1, 0, 1, 1]]), r(1, 4)], {"dim": 0}, on=on)
    inplace(f"scatter_add__{on}", "scatter_add_", lambda t, i, s: t.scatter_add_(1, i, s), [r(3, 4), torch.tensor([[0, 0], [3, 3]]), r(2, 2)], {"dim": 1}, on=on)
    inplace(f"index_add__{on}", "index_add_", lambda t, s, i: t.index_add_(1, i, s), [r(3, 4), r(2, 2), torch.tensor([3, 3])], {"dim": 1, "alpha": 1.0}, on=on)
    inplace(f"index_fill__{on}", "index_fill_", lambda t, i: t.index_fill_(0, i, 0.5), [r(3, 4), torch.tensor([0])], {"dim": 0, "value": 0.5}, on=on)
    inplace(f"masked_fill__{on}", "masked_fill_", lambda t, m: t.masked_fill_(m, 9.0), [r(3, 4), rows_mask], {"value": 9.0}, on=on)
    inplace(f"masked_fill__tensor_{on}", "masked_fill_tensor_", lambda t, m, v: t.masked_fill_(m, v), [r(3, 4), rows_mask, torch.tensor(-2.0)], {}, on=on)
for op, f, inputs, attrs in [
        ("scatter_", lambda t, i, s: t.scatter_(0, i, s), [r(3, 4), si, r(2, 4)], {"dim": 0}),
        ("scatter_add_", lambda t, i, s: t.scatter_add_(0, i, s), [r(3, 4), si, r(2, 4)], {"dim": 0}),
        ("index_add_", lambda t, s, i: t.index_add_(0, i, s), [r(3, 4), r(1, 4), torch.tensor([1])], {"dim": 0, "alpha": 1.0}),
        ("index_fill_", lambda t, i: t.index_fill_(0, i, 1.0), [r(3, 4), torch.tensor([1])], {"dim": 0, "value": 1.0}),
        ("masked_fill_", lambda t, m: t.masked_fill_(m, 1.0), [r(3, 4), mask], {"value": 1.0})]:
    inplace(f"{op}_err_leaf", op, f, inputs, attrs, on="leaf")
c.error_case("masked_fill__err_view_of_leaf", "masked_fill_", lambda x, m: x[1:].masked_fill_(m, 1.0), [r(3, 4), rows_mask], {"value": 1.0, "on": "leaf_rows"})
c.error_case("masked_fill__err_broadcast", "masked_fill_", lambda x, m: x.clone().masked_fill_(m, 1.0), [r(3, 4), torch.ones(2, 3, 4, dtype=torch.bool)], {"value": 1.0, "on": "clone"})
c.error_case("scatter__err_dtype", "scatter_", lambda x, i, s: x.clone().scatter_(0, i, s), [r(3, 4), si, r(2, 4, dtype=torch.float64)], {"dim": 0, "on": "clone"})

# ---- index assignment with a Python scalar (C#: y[1] = 7 through the implicit scalar conversions) ----
def assigned(x, where, value):
    y = x * 1
    if where == "row":
        y[1] = value
    elif where == "column":
        y[:, 1] = value
    elif where == "element":
        y[0, 2] = value
    elif where == "mask":
        y[y > 0] = value
    else:
        y[torch.tensor([2, 0])] = value
    return y


for id, where, x, value in [("setitem_row_int", "row", r(3, 4), 7), ("setitem_column_float", "column", r(3, 4, dtype=torch.float64), 0.1),
                            ("setitem_element_float", "element", r(2, 3), -2.5), ("setitem_mask_int", "mask", r(3, 4), 0),
                            ("setitem_index_float", "index", r(3, 2), 1.5), ("setitem_int64_float", "row", ints(3, 2), 2.7),
                            ("setitem_int64_mask", "mask", ints(3, 4), -1), ("setitem_bool", "element", torch.rand(2, 3) > 0.5, True)]:
    c.case(id, "setitem_scalar", lambda t, where=where, value=value: assigned(t, where, value), [x],
           {"where": where, "value": value, "kind": type(value).__name__})

# ---- views taken before an in-place write elsewhere in their base: PyTorch regenerates their grad_fn
# (AsStridedBackward0 from the base's new history) when it is read.
def stale(x, scenario):
    y = x * 1
    if scenario == "sibling":          # v = y[0], then rows 1: written through another view
        v = y[0]
        y[1:].mul_(2)
        return v
    if scenario == "sibling_product":  # two row views, one written in place, used together
        v, u = y[0], y[1]
        v.mul_(5)
        return u * v
    if scenario == "base_written":     # a view of a view, then the base itself in place
        b = y[1:][0]
        y.add_(1)
        return b * 3
    if scenario == "transposed":
        v = y.t()
        y[0].zero_()
        return v
    if scenario == "base_no_grad":     # the base changed under no_grad (the case records inputs after the call, so not the leaf)
        v = y[:2]
        with torch.no_grad():
            y.mul_(2)
        return v
    raise ValueError(scenario)


for scenario in ("sibling", "sibling_product", "base_written", "transposed", "base_no_grad"):
    c.case(f"stale_view_{scenario}", "stale_view", lambda t, s=scenario: stale(t, s), [r(3, 2)], {"scenario": scenario})

# ---- narrow ----
for name, dt in FLOATS:
    c.case(f"narrow_{name}", "narrow", lambda x: x.narrow(1, 1, 2), [r(3, 4, dtype=dt)], {"dim": 1, "start": 1, "length": 2})
c.case("narrow_negative", "narrow", lambda x: x.narrow(-2, -2, 2), [r(3, 4)], {"dim": -2, "start": -2, "length": 2})
c.case("narrow_empty", "narrow", lambda x: x.narrow(0, 3, 0), [r(3, 4)], {"dim": 0, "start": 3, "length": 0})
c.case("narrow_int64", "narrow", lambda x: x.narrow(0, 0, 1), [ints(2, 3)], {"dim": 0, "start": 0, "length": 1})
c.error_case("narrow_err_length", "narrow", lambda x: x.narrow(1, 2, 3), [r(3, 4)], {"dim": 1, "start": 2, "length": 3})
c.error_case("narrow_err_start", "narrow", lambda x: x.narrow(1, 5, 0), [r(3, 4)], {"dim": 1, "start": 5, "length": 0})
c.error_case("narrow_err_scalar", "narrow", lambda x: x.narrow(0, 0, 1), [torch.tensor(1.0)], {"dim": 0, "start": 0, "length": 1})
c.error_case("narrow_err_negative_length", "narrow", lambda x: x.narrow(0, 0, -1), [r(3, 4)], {"dim": 0, "start": 0, "length": -1})

# ---- tensors mixed with integers, slices, ... and None in one index ----
i2, i3 = torch.tensor([2, 0]), torch.tensor([[1], [0]])
MIXED = {  # scenario: (getter, input shape)
    "rows_then_slice": (lambda x: x[i2, 1:], (3, 4)),
    "slice_then_rows": (lambda x: x[:, i2], (3, 4)),
    "select_then_index": (lambda x: x[1, i2], (2, 3, 4)),
    "apart": (lambda x: x[i2, :, i3], (3, 2, 4)),
    "ellipsis": (lambda x: x[..., i2], (2, 3, 4)),
    # PyTorch applies the slice to the mask's second dimension (one place per tensor in applySlicing).
    "mask_then_slice": (lambda x: x[torch.tensor([[True, False, True], [False, True, False]]), 1:], (2, 4, 3)),
    "zero_dim_index": (lambda x: x[torch.tensor(1), i2], (2, 3)),
    "zero_dim_true": (lambda x: x[torch.tensor(True)], (2, 3)),
    "zero_dim_false": (lambda x: x[torch.tensor(False), 1:], (3, 2)),
    "new_axis": (lambda x: x[None, i2], (3, 2)),
    "int_between": (lambda x: x[i2, 0, i3], (3, 2, 4)),
}
for scenario, (get, shape) in MIXED.items():
    c.case(f"index_mixed_{scenario}", "index_mixed", lambda x, g=get: g(x), [r(*shape)], {"scenario": scenario})
c.error_case("index_mixed_err_broadcast", "index_mixed", lambda x: x[torch.tensor(False), i2], [r(3, 2)], {"scenario": "zero_dim_false_then_index"})
c.error_case("index_err_broadcast", "index", lambda x, i, j: x[i, j], [r(3, 4), torch.tensor([0, 1]), torch.tensor([0, 1, 2])], {})


def mixed_set(x, scenario, v):
    y = x * 1
    if scenario == "rows_then_slice":
        y[i2, 1:] = v
    elif scenario == "slice_then_rows":
        y[:, i2] = v
    else:
        y[i2, :, i3] = v
    return y


for scenario, shape, vshape in [("rows_then_slice", (3, 4), (3,)), ("slice_then_rows", (3, 4), (3, 2)), ("apart", (3, 2, 4), (2, 2, 2))]:
    c.case(f"index_mixed_set_{scenario}", "index_mixed_set", lambda x, v, s=scenario: mixed_set(x, s, v), [r(*shape), r(*vshape)], {"scenario": scenario})

c.write(__file__)
