// ng_gather and ng_scatter: validate (the indices too, before anything is written), then run
// kernels/gather.h.
#include <cstdint>
#include <limits>

#include "api/guard.h"
#include "api/validate.h"
#include "kernels/gather.h"
#include "kernels/kernels.h"

namespace {

// The checks both exports share; returns the number of (outer, inner) positions.
int64_t require_positions(ng_dtype dtype, int64_t outer, int64_t length, int64_t inner, const int64_t* index) {
    const int64_t size = ng::api::require_dtype(dtype, ng::kNumericDtypes);
    ng::api::require_non_negative(outer, "outer");
    ng::api::require_non_negative(length, "length");
    ng::api::require_non_negative(inner, "inner");
    const int64_t max = std::numeric_limits<int64_t>::max() / size;
    if ((inner > 0 && outer > max / inner) || (inner > 0 && length > 0 && outer * inner > max / length)) {
        ng::fail(NG_STATUS_INVALID_SIZE, "outer (", outer, ") x length (", length, ") x inner (", inner,
                 ") times the ", size, "-byte element size overflows int64");
    }
    const int64_t positions = outer * inner;
    if (positions == 0) return 0;
    if (index == nullptr) ng::fail(NG_STATUS_NULL_POINTER, "index must not be NULL when there are positions");
    for (int64_t p = 0; p < positions; ++p) {
        if (index[p] < -1 || index[p] >= length) {
            ng::fail(NG_STATUS_INVALID_ARGUMENT, "index[", p, "] is ", index[p], ", outside [-1, length (", length, "))");
        }
    }
    return positions;
}

void require_pointer(const void* pointer, const char* name) {
    if (pointer == nullptr) ng::fail(NG_STATUS_NULL_POINTER, name, " must not be NULL when there are positions");
}

}  // namespace

extern "C" {

NG_API ng_status ng_gather(ng_dtype dtype, int64_t outer, int64_t length, int64_t inner, const void* x,
                           const int64_t* x_strides, const int64_t* index, void* out) {
    return ng::api::guarded("ng_gather", [&] {
        if (require_positions(dtype, outer, length, inner, index) == 0) return;
        require_pointer(x_strides, "x_strides");
        require_pointer(out, "out");
        // x's offsets must stay countable, as every strided operand's do: a stride whose reach
        // overflows int64 cannot describe a real buffer, and its index arithmetic would overflow.
        const int64_t x_shape[] = {outer, length, inner};
        ng::api::require_strides(x_strides, "x_strides", 3, x_shape, outer * length * inner,
                                 ng::dtype_size(dtype));
        // x is read only where an index is not -1, so it may be NULL when every index is.
        for (int64_t p = 0; p < outer * inner && x == nullptr; ++p) {
            if (index[p] >= 0) require_pointer(x, "x");
        }
        ng::gather(dtype, outer, inner, x, x_strides, index, out);
    });
}

NG_API ng_status ng_scatter(ng_dtype dtype, int64_t outer, int64_t length, int64_t inner, const void* values,
                            const int64_t* index, void* out) {
    return ng::api::guarded("ng_scatter", [&] {
        if (require_positions(dtype, outer, length, inner, index) == 0) return;
        require_pointer(values, "values");
        if (length > 0) require_pointer(out, "out");
        ng::scatter(dtype, outer, length, inner, values, index, out);
    });
}

}  // extern "C"
