// ng_softmax: validate, then call the active tier's kernel for the dtype.
#include <cstdint>
#include <limits>

#include "api/guard.h"
#include "api/validate.h"
#include "cpu_dispatch.h"
#include "kernels/softmax.h"

extern "C" {

NG_API ng_status ng_softmax(ng_dtype dtype, int32_t log_softmax, const void* x, int64_t rows, int64_t length,
                            void* out) {
    return ng::api::guarded("ng_softmax", [&] {
        if (log_softmax != 0 && log_softmax != 1) {
            ng::fail(NG_STATUS_INVALID_ARGUMENT, "log_softmax must be 0 or 1, got ", log_softmax);
        }
        const int64_t size = ng::api::require_dtype(dtype, ng::kFloatDtypes);
        ng::api::require_non_negative(rows, "rows");
        ng::api::require_non_negative(length, "length");
        if (length > 0 && rows > std::numeric_limits<int64_t>::max() / size / length) {
            ng::fail(NG_STATUS_INVALID_SIZE, "rows (", rows, ") x length (", length, ") times the ", size,
                     "-byte element size overflows int64");
        }
        if (rows == 0) return;
        if (length == 0) {
            ng::fail(NG_STATUS_INVALID_ARGUMENT, "length must be > 0 when rows (", rows,
                     ") > 0: softmax normalises over a row");
        }
        if (x == nullptr) ng::fail(NG_STATUS_NULL_POINTER, "x must not be NULL when rows (", rows, ") > 0");
        if (out == nullptr) ng::fail(NG_STATUS_NULL_POINTER, "out must not be NULL when rows (", rows, ") > 0");
        const ng::SoftmaxKernels& kernels = ng::softmax_kernels(ng::active_kernels().tier);
        (log_softmax != 0 ? kernels.log_softmax : kernels.softmax)[dtype](x, rows, length, out);
    });
}

}  // extern "C"
