// ng_unary, ng_binary, ng_add_scaled, ng_where and ng_copy: validate, then run the active tier's kernels (the
// strided ones through kernels/strided.h).
#include <cstdint>
#include <limits>
#include <utility>

#include "api/guard.h"
#include "api/validate.h"
#include "cpu_dispatch.h"
#include "kernels/strided.h"

namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

}  // namespace

extern "C" {

NG_API ng_status ng_unary(ng_unary_op op, ng_dtype dtype, const void* x, void* out, int64_t count) {
    return ng::api::guarded("ng_unary", [&] {
        const char* op_name = ng::api::require_unary_op(op);
        const int64_t element_size = ng::api::require_dtype(dtype, ng::kUnaryOpDtypes[op], op_name);
        ng::api::require_non_negative(count, "count");
        if (count > kInt64Max / element_size) {
            ng::fail(NG_STATUS_INVALID_SIZE, "count (", count, ") times the ", element_size,
                     "-byte element size overflows int64");
        }
        if (count == 0) return;
        for (auto [pointer, name] : {std::pair<const void*, const char*>{x, "x"}, {out, "out"}}) {
            if (pointer == nullptr) {
                ng::fail(NG_STATUS_NULL_POINTER, name, " must not be NULL when count (", count, ") > 0");
            }
        }
        const ng::UnaryKernel kernel = ng::active_kernels().unary(op, dtype);
        const char* in = static_cast<const char*>(x);
        char* result = static_cast<char*>(out);
        ng::parallel_elements(count, [&](int64_t begin, int64_t end) {
            kernel(in + begin * element_size, result + begin * element_size, end - begin);
        });
    });
}

NG_API ng_status ng_binary(ng_binary_op op, ng_dtype dtype, int32_t ndim, const int64_t* shape, const void* a,
                           const int64_t* a_strides, const void* b, const int64_t* b_strides, void* out) {
    return ng::api::guarded("ng_binary", [&] {
        const char* op_name = ng::api::require_binary_op(op);
        const int64_t size = ng::api::require_dtype(dtype, ng::kBinaryOpDtypes[op], op_name);
        const int64_t count = ng::api::require_shape(ndim, shape, size);
        ng::api::require_strides(a_strides, "a_strides", ndim, shape, count, size);
        ng::api::require_strides(b_strides, "b_strides", ndim, shape, count, size);
        ng::api::require_data(a, "a", ndim, shape, count);
        ng::api::require_data(b, "b", ndim, shape, count);
        ng::api::require_data(out, "out", ndim, shape, count);
        if (count == 0) return;
        ng::run_binary(ng::active_kernels(), op, dtype, ndim, shape, a, a_strides, b, b_strides, out);
    });
}

NG_API ng_status ng_add_scaled(ng_dtype dtype, int32_t ndim, const int64_t* shape, const void* a,
                               const int64_t* a_strides, const void* b, const int64_t* b_strides, const void* alpha,
                               void* out) {
    return ng::api::guarded("ng_add_scaled", [&] {
        const int64_t size = ng::api::require_dtype(dtype, ng::kNumericDtypes, "ng_add_scaled");
        const int64_t count = ng::api::require_shape(ndim, shape, size);
        ng::api::require_strides(a_strides, "a_strides", ndim, shape, count, size);
        ng::api::require_strides(b_strides, "b_strides", ndim, shape, count, size);
        if (alpha == nullptr) ng::fail(NG_STATUS_NULL_POINTER, "alpha must not be NULL");
        ng::api::require_data(a, "a", ndim, shape, count);
        ng::api::require_data(b, "b", ndim, shape, count);
        ng::api::require_data(out, "out", ndim, shape, count);
        if (count == 0) return;
        ng::run_add_scaled(ng::active_kernels(), dtype, ndim, shape, a, a_strides, b, b_strides, alpha, out);
    });
}

NG_API ng_status ng_where(ng_dtype dtype, int32_t ndim, const int64_t* shape, const void* cond,
                          const int64_t* cond_strides, const void* a, const int64_t* a_strides, const void* b,
                          const int64_t* b_strides, void* out) {
    return ng::api::guarded("ng_where", [&] {
        const int64_t size = ng::api::require_dtype(dtype, ng::kAllDtypes);
        const int64_t count = ng::api::require_shape(ndim, shape, size);
        ng::api::require_strides(cond_strides, "cond_strides", ndim, shape, count, 1);
        ng::api::require_strides(a_strides, "a_strides", ndim, shape, count, size);
        ng::api::require_strides(b_strides, "b_strides", ndim, shape, count, size);
        ng::api::require_data(cond, "cond", ndim, shape, count);
        ng::api::require_data(a, "a", ndim, shape, count);
        ng::api::require_data(b, "b", ndim, shape, count);
        ng::api::require_data(out, "out", ndim, shape, count);
        if (count == 0) return;
        ng::run_where(ng::active_kernels(), dtype, ndim, shape, cond, cond_strides, a, a_strides, b, b_strides, out);
    });
}

NG_API ng_status ng_copy(int32_t ndim, const int64_t* shape, ng_dtype src_dtype, const void* src,
                         const int64_t* src_strides, ng_dtype dst_dtype, void* dst, const int64_t* dst_strides) {
    return ng::api::guarded("ng_copy", [&] {
        const int64_t src_size = ng::api::require_dtype(src_dtype, ng::kAllDtypes, nullptr, "src_dtype");
        const int64_t dst_size = ng::api::require_dtype(dst_dtype, ng::kAllDtypes, nullptr, "dst_dtype");
        const int64_t count = ng::api::require_shape(ndim, shape, src_size > dst_size ? src_size : dst_size);
        ng::api::require_strides(src_strides, "src_strides", ndim, shape, count, src_size);
        ng::api::require_strides(dst_strides, "dst_strides", ndim, shape, count, dst_size);
        ng::api::require_data(src, "src", ndim, shape, count);
        ng::api::require_data(dst, "dst", ndim, shape, count);
        if (count == 0) return;
        ng::run_copy(ng::active_kernels(), ndim, shape, src_dtype, src, src_strides, dst_dtype, dst, dst_strides);
    });
}

}  // extern "C"
