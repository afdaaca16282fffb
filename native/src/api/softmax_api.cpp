// ng_softmax and ng_softmax_backward: validate, then call the active tier's kernel for the dtype.
#include <cstdint>
#include <limits>

#include "api/guard.h"
#include "api/validate.h"
#include "cpu_dispatch.h"
#include "kernels/softmax.h"

namespace {

// The checks ng_softmax and ng_softmax_backward share; false when there is no row to do.
bool require_rows(ng_dtype dtype, int32_t log_softmax, int64_t rows, int64_t length) {
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
    if (rows == 0) return false;
    if (length == 0) {
        ng::fail(NG_STATUS_INVALID_ARGUMENT, "length must be > 0 when rows (", rows,
                 ") > 0: softmax normalises over a row");
    }
    return true;
}

void require_pointer(const void* pointer, const char* name, int64_t rows) {
    if (pointer == nullptr) ng::fail(NG_STATUS_NULL_POINTER, name, " must not be NULL when rows (", rows, ") > 0");
}

}  // namespace

extern "C" {

NG_API ng_status ng_softmax(ng_dtype dtype, int32_t log_softmax, const void* x, int64_t rows, int64_t length,
                            void* out) {
    return ng::api::guarded("ng_softmax", [&] {
        if (!require_rows(dtype, log_softmax, rows, length)) return;
        require_pointer(x, "x", rows);
        require_pointer(out, "out", rows);
        const ng::SoftmaxKernels& kernels = ng::softmax_kernels(ng::active_kernels().tier);
        (log_softmax != 0 ? kernels.log_softmax : kernels.softmax)[dtype](x, rows, length, out);
    });
}

NG_API ng_status ng_softmax_backward(ng_dtype dtype, int32_t log_softmax, const void* grad, const void* out,
                                     int64_t rows, int64_t length, void* grad_input) {
    return ng::api::guarded("ng_softmax_backward", [&] {
        if (!require_rows(dtype, log_softmax, rows, length)) return;
        require_pointer(grad, "grad", rows);
        require_pointer(out, "out", rows);
        require_pointer(grad_input, "grad_input", rows);
        const ng::SoftmaxKernels& kernels = ng::softmax_kernels(ng::active_kernels().tier);
        (log_softmax != 0 ? kernels.log_softmax_backward : kernels.softmax_backward)[dtype](grad, out, rows, length,
                                                                                           grad_input);
    });
}

}  // extern "C"
