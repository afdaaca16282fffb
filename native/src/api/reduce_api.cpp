// ng_reduce and ng_reduce_dim: validate, then call the active tier's kernel for the op and dtype.
#include <cstdint>
#include <limits>

#include "api/guard.h"
#include "api/validate.h"
#include "cpu_dispatch.h"

namespace {

// ng_reduce is ng_reduce_dim with inner == 1, its outer axis called rows in messages.
void reduce_checked(ng_reduce_op op, ng_dtype dtype, const void* x, int64_t outer, int64_t length,
                    int64_t inner, void* out, int64_t* out_indices, const char* outer_name) {
    const char* op_name = ng::api::require_reduce_op(op);
    const int64_t size = ng::api::require_dtype(dtype, ng::kReduceOpDtypes[op], op_name);
    ng::api::require_non_negative(outer, outer_name);
    ng::api::require_non_negative(length, "length");
    ng::api::require_non_negative(inner, "inner");
    const int64_t max = std::numeric_limits<int64_t>::max();
    // out's bytes (outer x inner) and x's (outer x length x inner): out's count even when length
    // is 0, as every row of an empty input still writes its sum.
    if (inner > 0 && (outer > max / size / inner || (length > 0 && outer * inner > max / size / length))) {
        if (inner == 1) {
            ng::fail(NG_STATUS_INVALID_SIZE, outer_name, " (", outer, ") x length (", length, ") times the ", size,
                     "-byte element size overflows int64");
        }
        ng::fail(NG_STATUS_INVALID_SIZE, outer_name, " (", outer, ") x length (", length, ") x inner (", inner,
                 ") times the ", size, "-byte element size overflows int64");
    }
    const int64_t outputs = outer * inner;
    if (op != NG_REDUCE_SUM && length == 0 && outputs > 0) {
        ng::fail(NG_STATUS_INVALID_ARGUMENT, "length must be > 0 for ", op_name, " when ", outer_name, " (", outer,
                 ")", inner == 1 ? "" : " x inner", " > 0: an empty ", inner == 1 ? "row" : "column", " has no ",
                 op == NG_REDUCE_MAX ? "maximum" : "minimum");
    }
    if (outputs == 0) return;
    if (x == nullptr && length > 0) {
        ng::fail(NG_STATUS_NULL_POINTER, "x must not be NULL when ", outer_name, " (", outer, ") x length (", length,
                 ") > 0");
    }
    if (out == nullptr) ng::fail(NG_STATUS_NULL_POINTER, "out must not be NULL when ", outer_name, " (", outer, ") > 0");
    ng::active_kernels().reduce(op, dtype)(x, outer, length, inner, out, op == NG_REDUCE_SUM ? nullptr : out_indices);
}

}  // namespace

extern "C" {

NG_API ng_status ng_reduce(ng_reduce_op op, ng_dtype dtype, const void* x, int64_t rows, int64_t length, void* out,
                           int64_t* out_indices) {
    return ng::api::guarded("ng_reduce", [&] { reduce_checked(op, dtype, x, rows, length, 1, out, out_indices, "rows"); });
}

NG_API ng_status ng_reduce_dim(ng_reduce_op op, ng_dtype dtype, const void* x, int64_t outer, int64_t length,
                               int64_t inner, void* out, int64_t* out_indices) {
    return ng::api::guarded("ng_reduce_dim",
                            [&] { reduce_checked(op, dtype, x, outer, length, inner, out, out_indices, "outer"); });
}

}  // extern "C"
