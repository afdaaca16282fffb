// ng_reduce: validate, then call the active tier's kernel for the op and dtype.
#include <cstdint>
#include <limits>

#include "api/guard.h"
#include "api/validate.h"
#include "cpu_dispatch.h"

extern "C" {

NG_API ng_status ng_reduce(ng_reduce_op op, ng_dtype dtype, const void* x, int64_t rows, int64_t length, void* out,
                           int64_t* out_indices) {
    return ng::api::guarded("ng_reduce", [&] {
        const char* op_name = ng::api::require_reduce_op(op);
        const int64_t size = ng::api::require_dtype(dtype, ng::kReduceOpDtypes[op], op_name);
        ng::api::require_non_negative(rows, "rows");
        ng::api::require_non_negative(length, "length");
        if (length > 0 && rows > std::numeric_limits<int64_t>::max() / size / length) {
            ng::fail(NG_STATUS_INVALID_SIZE, "rows (", rows, ") x length (", length, ") times the ", size,
                     "-byte element size overflows int64");
        }
        if (op != NG_REDUCE_SUM && length == 0 && rows > 0) {
            ng::fail(NG_STATUS_INVALID_ARGUMENT, "length must be > 0 for ", op_name, " when rows (", rows,
                     ") > 0: an empty row has no ", op == NG_REDUCE_MAX ? "maximum" : "minimum");
        }
        if (rows == 0) return;
        if (x == nullptr && length > 0) {
            ng::fail(NG_STATUS_NULL_POINTER, "x must not be NULL when rows (", rows, ") x length (", length, ") > 0");
        }
        if (out == nullptr) ng::fail(NG_STATUS_NULL_POINTER, "out must not be NULL when rows (", rows, ") > 0");
        ng::active_kernels().reduce(op, dtype)(x, rows, length, out, op == NG_REDUCE_SUM ? nullptr : out_indices);
    });
}

}  // extern "C"
