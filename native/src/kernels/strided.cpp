#include "kernels/strided.h"

namespace ng {
namespace {

// The loops only read through input pointers; one pointer type keeps for_each_row simple.
char* bytes_of(const void* pointer) { return static_cast<char*>(const_cast<void*>(pointer)); }

}  // namespace

StridedLayout coalesce(int32_t ndim, const int64_t* shape, int operands, const int64_t* const* strides) {
    StridedLayout layout;
    int n = 0;
    for (int d = 0; d < ndim; ++d) {
        if (shape[d] == 0) {
            layout.empty = true;
            return layout;
        }
        if (shape[d] == 1) continue;
        layout.shape[n] = shape[d];
        for (int k = 0; k < operands; ++k) layout.strides[k][n] = strides[k][d];
        ++n;
    }
    if (n == 0) return layout;

    // Merge dimension d into the kept dimension m before it when every operand steps over m as
    // over d's whole extent; the merged dimension keeps d's (inner) strides.
    int m = 0;
    for (int d = 1; d < n; ++d) {
        bool mergeable = true;
        for (int k = 0; k < operands && mergeable; ++k)
            mergeable = layout.strides[k][m] == layout.strides[k][d] * layout.shape[d];
        if (!mergeable) ++m;
        layout.shape[m] = mergeable ? layout.shape[m] * layout.shape[d] : layout.shape[d];
        for (int k = 0; k < operands; ++k) layout.strides[k][m] = layout.strides[k][d];
    }
    layout.ndim = m + 1;
    return layout;
}

void contiguous_strides(int32_t ndim, const int64_t* shape, int64_t* out) {
    int64_t stride = 1;
    for (int d = ndim - 1; d >= 0; --d) {
        out[d] = stride;
        stride *= shape[d] > 1 ? shape[d] : 1;  // validated: the product fits in int64
    }
}

namespace {

// Calls row(count, a, a_stride, b, b_stride, out) over the rows of a two-operand op whose output
// is contiguous (so its stride along every row is 1) with elements of out_size bytes.
template <class Row>
void for_each_binary_row(ng_dtype dtype, int64_t out_size, int32_t ndim, const int64_t* shape, const void* a,
                         const int64_t* a_strides, const void* b, const int64_t* b_strides, void* out, Row&& row) {
    int64_t out_strides[NG_MAX_DIMS];
    contiguous_strides(ndim, shape, out_strides);
    const int64_t* strides[] = {a_strides, b_strides, out_strides};
    const StridedLayout layout = coalesce(ndim, shape, 3, strides);
    const int64_t size = dtype_size(dtype);
    char* const base[] = {bytes_of(a), bytes_of(b), bytes_of(out)};
    const int64_t sizes[] = {size, size, out_size};
    parallel_for_each_row(layout, base, sizes, [&](int64_t count, char* const* p, const int64_t* s) {
        row(count, p[0], s[0], p[1], s[1], p[2]);
    });
}

}  // namespace

void run_binary(const KernelTable& kernels, ng_binary_op op, ng_dtype dtype, int32_t ndim, const int64_t* shape,
                const void* a, const int64_t* a_strides, const void* b, const int64_t* b_strides, void* out) {
    const BinaryRowKernel kernel = kernels.binary(op, dtype);
    for_each_binary_row(dtype, is_comparison(op) ? int64_t{1} : dtype_size(dtype), ndim, shape, a, a_strides, b,
                        b_strides, out, kernel);
}

void run_add_scaled(const KernelTable& kernels, ng_dtype dtype, int32_t ndim, const int64_t* shape, const void* a,
                    const int64_t* a_strides, const void* b, const int64_t* b_strides, const void* alpha, void* out) {
    const AddScaledRowKernel kernel = kernels.add_scaled(dtype);
    for_each_binary_row(dtype, dtype_size(dtype), ndim, shape, a, a_strides, b, b_strides, out,
                        [&](int64_t count, const void* x, int64_t x_stride, const void* y, int64_t y_stride,
                            void* result) { kernel(count, x, x_stride, y, y_stride, alpha, result); });
}

void run_where(const KernelTable& kernels, ng_dtype dtype, int32_t ndim, const int64_t* shape, const void* cond,
               const int64_t* cond_strides, const void* a, const int64_t* a_strides, const void* b,
               const int64_t* b_strides, void* out) {
    int64_t out_strides[NG_MAX_DIMS];
    contiguous_strides(ndim, shape, out_strides);
    const int64_t* strides[] = {cond_strides, a_strides, b_strides, out_strides};
    const StridedLayout layout = coalesce(ndim, shape, 4, strides);
    const WhereRowKernel kernel = kernels.where(dtype);
    const int64_t size = dtype_size(dtype);
    char* const base[] = {bytes_of(cond), bytes_of(a), bytes_of(b), bytes_of(out)};
    const int64_t sizes[] = {1, size, size, size};
    parallel_for_each_row(layout, base, sizes, [&](int64_t count, char* const* p, const int64_t* s) {
        kernel(count, reinterpret_cast<const uint8_t*>(p[0]), s[0], p[1], s[1], p[2], s[2], p[3]);
    });
}

void run_copy(const KernelTable& kernels, int32_t ndim, const int64_t* shape, ng_dtype src_dtype, const void* src,
              const int64_t* src_strides, ng_dtype dst_dtype, void* dst, const int64_t* dst_strides) {
    const int64_t* strides[] = {src_strides, dst_strides};
    const StridedLayout layout = coalesce(ndim, shape, 2, strides);
    const CopyRowKernel kernel = kernels.copy(src_dtype, dst_dtype);
    char* const base[] = {bytes_of(src), bytes_of(dst)};
    const int64_t sizes[] = {dtype_size(src_dtype), dtype_size(dst_dtype)};
    parallel_for_each_row(layout, base, sizes, [&](int64_t count, char* const* p, const int64_t* s) {
        kernel(count, p[0], s[0], p[1], s[1]);
    });
}

}  // namespace ng
