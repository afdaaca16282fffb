// ng_copy's row kernels for any tier: dst[i * dst_stride] = convert(src[i * src_stride]).
//
// Conversions: float to int64 truncates toward zero, and NaN or a value outside int64's range
// gives INT64_MIN (what x86's CVTTSD2SI gives, and so PyTorch on x86), without undefined
// behaviour; anything to bool is (value != 0), so NaN is true; bool to anything is 0 or 1; the
// rest are C++ conversions (double to float rounds to nearest). A same-dtype copy moves bits.
//
// Fast paths: contiguous same-dtype rows are memcpy; contiguous F32 <-> F64 rows use the tier's
// vector conversions; a stride-0 source (a fill) converts once. A tier file defines its part of
// the table as `make_copy_kernels<ItsVectors>()`.
#ifndef NATIVEGRAD_SRC_KERNELS_COPY_LOOPS_H
#define NATIVEGRAD_SRC_KERNELS_COPY_LOOPS_H

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "kernels/elementwise.h"
#include "kernels/kernels.h"

namespace {

template <class F>
int64_t truncate_to_int64(F x) {
    // -2^63 and 2^63 are exact in float and double; NaN fails both comparisons.
    if (x >= static_cast<F>(-9223372036854775808.0) && x < static_cast<F>(9223372036854775808.0)) {
        return static_cast<int64_t>(x);
    }
    return INT64_MIN;
}

template <class S, class D>
D convert(S x) {
    if constexpr (std::is_same_v<S, D>) return x;
    else if constexpr (std::is_same_v<D, uint8_t>) return x != S(0) ? 1 : 0;
    else if constexpr (std::is_same_v<S, uint8_t>) return x != 0 ? D(1) : D(0);
    else if constexpr (std::is_same_v<D, int64_t> && std::is_floating_point_v<S>) return truncate_to_int64(x);
    else return static_cast<D>(x);
}

// F32 -> F64 or F64 -> F32 over contiguous rows, kWidth doubles at a time.
template <class V, class S, class D>
void convert_vector_loop(const S* src, D* dst, int64_t count) {
    constexpr int64_t w = V::kWidth;
    int64_t i = 0;
    for (; i + w <= count; i += w) {
        if constexpr (std::is_same_v<S, float>) V::load_from_float(src + i).store(dst + i);
        else V::load(src + i).store_to_float(dst + i);
    }
    if (i < count) {
        const int64_t n = count - i;
        if constexpr (std::is_same_v<S, float>) V::load_partial_from_float(src + i, n).store_partial(dst + i, n);
        else V::load_partial(src + i, n).store_partial_to_float(dst + i, n);
    }
}

template <class Tier, class S, class D>
void copy_row(int64_t count, const void* src_void, int64_t src_stride, void* dst_void, int64_t dst_stride) {
    if (count <= 0) return;
    const S* src = static_cast<const S*>(src_void);
    D* dst = static_cast<D*>(dst_void);
    if constexpr (std::is_same_v<S, D>) {
        if (src_stride == 1 && dst_stride == 1) {
            std::memcpy(dst, src, static_cast<size_t>(count) * sizeof(S));
            return;
        }
    }
    using V = typename Tier::template Vector<double>;
    if constexpr (!std::is_void_v<V> && std::is_floating_point_v<S> && std::is_floating_point_v<D> &&
                  !std::is_same_v<S, D>) {
        if (src_stride == 1 && dst_stride == 1) return convert_vector_loop<V>(src, dst, count);
    }
    if (src_stride == 0) {
        const D value = convert<S, D>(src[0]);
        if (dst_stride == 1) {
            for (int64_t i = 0; i < count; ++i) dst[i] = value;
        } else {
            for (int64_t i = 0; i < count; ++i) dst[i * dst_stride] = value;
        }
    } else if (src_stride == 1 && dst_stride == 1) {
        for (int64_t i = 0; i < count; ++i) dst[i] = convert<S, D>(src[i]);
    } else {
        for (int64_t i = 0; i < count; ++i) dst[i * dst_stride] = convert<S, D>(src[i * src_stride]);
    }
}

template <class Tier>
constexpr ng::CopyKernels make_copy_kernels() {
    ng::CopyKernels kernels{};
    for_each_dtype<ng::kAllDtypes>([&](auto src_type, ng_dtype src) {
        for_each_dtype<ng::kAllDtypes>([&](auto dst_type, ng_dtype dst) {
            using S = decltype(src_type);
            using D = decltype(dst_type);
            if constexpr (std::is_same_v<S, D>) {
                using Bits = typename SameSizeBits<S>::type;
                kernels.row[src][dst] = &copy_row<Tier, Bits, Bits>;
            } else {
                kernels.row[src][dst] = &copy_row<Tier, S, D>;
            }
        });
    });
    return kernels;
}

}  // namespace

#endif
