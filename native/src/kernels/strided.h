// N-d strided iteration, in one place for ng_binary, ng_add_scaled, ng_where and ng_copy.
//
// coalesce() drops size-1 dimensions and merges each pair of neighbouring dimensions that are
// contiguous with each other in every operand (outer stride == inner stride * inner size), so a
// contiguous tensor becomes one row and a row-broadcast becomes rows with a stride-0 operand.
// for_each_row() then walks the outer dimensions and hands each innermost row - count, the
// operands' first elements, their strides along the row - to a tier's row kernel, which picks its
// fast path from those strides. Zero-sized shapes do nothing; a 0-d shape is one row of one.
//
// Compiled with baseline flags only (it is not a tier file): the row kernels are the tier's.
#ifndef NATIVEGRAD_SRC_KERNELS_STRIDED_H
#define NATIVEGRAD_SRC_KERNELS_STRIDED_H

#include <cstdint>

#include "kernels/kernels.h"
#include "nativegrad.h"
#include "parallel.h"

namespace ng {

inline constexpr int kMaxOperands = 4;

struct StridedLayout {
    bool empty = false;  // some dimension is 0: there is nothing to do
    int ndim = 0;        // 0: a single element
    int64_t shape[NG_MAX_DIMS];
    int64_t strides[kMaxOperands][NG_MAX_DIMS];  // in elements, per operand
};

// shape has ndim entries (each >= 0); strides[k] has ndim entries for each of `operands` operands
// (ignored, and may be null, when ndim == 0).
StridedLayout coalesce(int32_t ndim, const int64_t* shape, int operands, const int64_t* const* strides);

// Row-major contiguous strides (in elements) of shape, into out[0 .. ndim).
void contiguous_strides(int32_t ndim, const int64_t* shape, int64_t* out);

// The number of innermost rows: the product of every dimension but the last (1 for ndim <= 1).
inline int64_t row_count(const StridedLayout& layout) {
    int64_t rows = 1;
    for (int d = 0; d + 1 < layout.ndim; ++d) rows *= layout.shape[d];
    return rows;
}

// Calls row(count, pointers, strides) once per innermost row in [first_row, last_row) (rows
// numbered in row-major order), where pointers[k] is operand k's first element of the row and
// strides[k] its stride (in elements) along the row. base[k] is operand k's element at index
// (0, 0, ...) and element_size[k] its size in bytes.
template <int N, class Row>
void for_each_row(const StridedLayout& layout, char* const (&base)[N], const int64_t (&element_size)[N],
                  int64_t first_row, int64_t last_row, Row&& row) {
    if (layout.empty || first_row >= last_row) return;
    char* pointers[N];
    int64_t inner[N];
    for (int k = 0; k < N; ++k) pointers[k] = base[k];
    if (layout.ndim == 0) {
        for (int k = 0; k < N; ++k) inner[k] = 0;
        row(int64_t{1}, pointers, inner);
        return;
    }
    const int last = layout.ndim - 1;
    for (int k = 0; k < N; ++k) inner[k] = layout.strides[k][last];
    int64_t index[NG_MAX_DIMS] = {};
    for (int64_t rest = first_row, d = last - 1; d >= 0; --d) {
        index[d] = rest % layout.shape[d];
        rest /= layout.shape[d];
        for (int k = 0; k < N; ++k) pointers[k] += layout.strides[k][d] * index[d] * element_size[k];
    }
    for (int64_t r = first_row;;) {
        row(layout.shape[last], pointers, inner);
        if (++r == last_row) return;
        for (int d = last - 1; d >= 0; --d) {
            if (++index[d] < layout.shape[d]) {
                for (int k = 0; k < N; ++k) pointers[k] += layout.strides[k][d] * element_size[k];
                break;
            }
            index[d] = 0;
            for (int k = 0; k < N; ++k) pointers[k] -= layout.strides[k][d] * (layout.shape[d] - 1) * element_size[k];
        }
    }
}

template <int N, class Row>
void for_each_row(const StridedLayout& layout, char* const (&base)[N], const int64_t (&element_size)[N], Row&& row) {
    for_each_row(layout, base, element_size, 0, row_count(layout), row);
}

// Elementwise work is split across threads above this many elements (about 256 KB of float32 per
// operand: below it, waking a worker costs more than the work).
inline constexpr int64_t kElementwiseGrain = int64_t{1} << 16;

// Calls body(begin, end) over chunks of [0, count) split across threads, every chunk but the last
// starting and ending on a multiple of 64 elements. A row kernel then puts each element in its
// vector body or its scalar tail exactly as one call over the whole range would, so results do
// not depend on the split even where the two paths round differently.
template <class Body>
void parallel_elements(int64_t count, const Body& body) {
    constexpr int64_t kBlock = 64;
    parallel_for((count + kBlock - 1) / kBlock, kElementwiseGrain / kBlock, [&](int64_t begin, int64_t end) {
        const int64_t last = end * kBlock < count ? end * kBlock : count;
        body(begin * kBlock, last);
    });
}

// for_each_row over every row, split across threads: by rows when there are several, by pieces
// of the row (parallel_elements) when the layout is one long row.
template <int N, class Row>
void parallel_for_each_row(const StridedLayout& layout, char* const (&base)[N], const int64_t (&element_size)[N],
                           Row&& row) {
    if (layout.empty) return;
    const int64_t rows = row_count(layout);
    if (layout.ndim == 1) {
        parallel_elements(layout.shape[0], [&](int64_t begin, int64_t end) {
            char* pointers[N];
            int64_t strides[N];
            for (int k = 0; k < N; ++k) {
                strides[k] = layout.strides[k][0];
                pointers[k] = base[k] + begin * strides[k] * element_size[k];
            }
            row(end - begin, pointers, strides);
        });
        return;
    }
    const int64_t length = layout.ndim == 0 ? 1 : layout.shape[layout.ndim - 1];
    const int64_t rows_per_grain = kElementwiseGrain / length > 1 ? kElementwiseGrain / length : 1;
    parallel_for(rows, rows_per_grain,
                 [&](int64_t first, int64_t last) { for_each_row(layout, base, element_size, first, last, row); });
}

// The strided families on a given tier's kernels (the exports pass the active tier's; the tests
// pass each tier's). Arguments must already be validated as the exports do.
void run_binary(const KernelTable& kernels, ng_binary_op op, ng_dtype dtype, int32_t ndim, const int64_t* shape,
                const void* a, const int64_t* a_strides, const void* b, const int64_t* b_strides, void* out);
void run_add_scaled(const KernelTable& kernels, ng_dtype dtype, int32_t ndim, const int64_t* shape, const void* a,
                    const int64_t* a_strides, const void* b, const int64_t* b_strides, const void* alpha, void* out);
void run_where(const KernelTable& kernels, ng_dtype dtype, int32_t ndim, const int64_t* shape, const void* cond,
               const int64_t* cond_strides, const void* a, const int64_t* a_strides, const void* b,
               const int64_t* b_strides, void* out);
void run_copy(const KernelTable& kernels, int32_t ndim, const int64_t* shape, ng_dtype src_dtype, const void* src,
              const int64_t* src_strides, ng_dtype dst_dtype, void* dst, const int64_t* dst_strides);

}  // namespace ng

#endif
