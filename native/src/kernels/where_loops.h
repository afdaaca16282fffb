// ng_where's row kernels for any tier: out[i] = cond[i] ? a[i] : b[i] with each input at its own
// element stride and out contiguous. The choice copies bits, so it depends only on the element
// size (NaN payloads and bool bytes pass through untouched). Plain loops, specialised for the
// contiguous and scalar-operand stride patterns so that the compiler can vectorise them with the
// tier's flags. A tier file defines its part of the table as `make_where_kernels()`.
#ifndef NATIVEGRAD_SRC_KERNELS_WHERE_LOOPS_H
#define NATIVEGRAD_SRC_KERNELS_WHERE_LOOPS_H

#include <cstdint>

#include "kernels/elementwise.h"
#include "kernels/kernels.h"

namespace {

template <class Bits>
void where_row(int64_t count, const uint8_t* cond, int64_t cond_stride, const void* a_void, int64_t a_stride,
               const void* b_void, int64_t b_stride, void* out_void) {
    if (count <= 0) return;
    const Bits* a = static_cast<const Bits*>(a_void);
    const Bits* b = static_cast<const Bits*>(b_void);
    Bits* out = static_cast<Bits*>(out_void);
    if (cond_stride == 1 && a_stride == 1 && b_stride == 1) {
        for (int64_t i = 0; i < count; ++i) out[i] = cond[i] != 0 ? a[i] : b[i];
    } else if (cond_stride == 1 && a_stride == 1 && b_stride == 0) {
        const Bits y = b[0];
        for (int64_t i = 0; i < count; ++i) out[i] = cond[i] != 0 ? a[i] : y;
    } else if (cond_stride == 1 && a_stride == 0 && b_stride == 1) {
        const Bits x = a[0];
        for (int64_t i = 0; i < count; ++i) out[i] = cond[i] != 0 ? x : b[i];
    } else {
        for (int64_t i = 0; i < count; ++i) out[i] = cond[i * cond_stride] != 0 ? a[i * a_stride] : b[i * b_stride];
    }
}

constexpr ng::WhereKernels make_where_kernels() {
    ng::WhereKernels kernels{};
    for_each_dtype<ng::kAllDtypes>([&](auto type, ng_dtype dtype) {
        kernels.row[dtype] = &where_row<typename SameSizeBits<decltype(type)>::type>;
    });
    return kernels;
}

}  // namespace

#endif
