// ng_binary's and ng_add_scaled's row kernels for any tier. A row is `count` elements of a and b at their own element
// strides, written to a contiguous out (bytes 0/1 for comparisons). Fast paths:
//   - both contiguous, or one a stride-0 scalar and the other contiguous: the op's vector form,
//     when the functor has one and the tier has vectors for the dtype;
//   - otherwise the element loop, specialised for those same stride patterns so the compiler can
//     vectorise what it may (integers), and a plain strided loop for everything else.
// A tier file defines its part of the table as `make_binary_kernels<ItsVectors>()`.
#ifndef NATIVEGRAD_SRC_KERNELS_BINARY_LOOPS_H
#define NATIVEGRAD_SRC_KERNELS_BINARY_LOOPS_H

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "kernels/elementwise.h"
#include "kernels/kernels.h"

namespace {

template <class Op, class T>
using BinaryResult = std::conditional_t<Comparison<Op>, uint8_t, T>;

enum class Broadcast { kNone, kA, kB };  // which operand (if any) is one element repeated

template <class V>
void store_result(V value, typename V::Scalar* out, int64_t n) {
    if (n == V::kWidth) value.store(out);
    else value.store_partial(out, n);
}
template <class Mask>
void store_result(Mask mask, uint8_t* out, int64_t n) {
    store_mask_bytes(mask, out, n);
}

// Results of a call writing this much go around the caches (non-temporal stores): they would not
// fit there for the next op anyway, and skipping the read-for-ownership of each output line saves
// a quarter of the memory traffic of a + b.
inline constexpr int64_t kStreamingStoreBytes = int64_t{8} << 20;

template <class V, class R>
bool should_stream(const R* out, int64_t count) {
    if constexpr (!std::is_same_v<R, typename V::Scalar>) {
        return false;  // comparisons store bytes through masks
    } else {
        return count * static_cast<int64_t>(sizeof(R)) >= kStreamingStoreBytes &&
               reinterpret_cast<uintptr_t>(out) % sizeof(V) == 0;
    }
}

// Both vectors of a step are loaded before either is stored, so out == a or out == b is safe.
template <class V, Broadcast kBroadcast, class Op, class R>
void binary_vector_loop(Op op, const typename V::Scalar* a, const typename V::Scalar* b, R* out, int64_t count) {
    if constexpr (std::is_same_v<R, typename V::Scalar>) {
        if (should_stream<V>(out, count)) {
            constexpr int64_t w = V::kWidth;
            int64_t i = 0;
            for (; i + w <= count; i += w) {
                const V x = kBroadcast == Broadcast::kA ? V::broadcast(a[0]) : V::load(a + i);
                const V y = kBroadcast == Broadcast::kB ? V::broadcast(b[0]) : V::load(b + i);
                op(x, y).store_stream(out + i);
            }
            V::stream_fence();
            if (i < count) {
                binary_vector_loop<V, kBroadcast>(op, kBroadcast == Broadcast::kA ? a : a + i,
                                                  kBroadcast == Broadcast::kB ? b : b + i, out + i, count - i);
            }
            return;
        }
    }
    constexpr int64_t w = V::kWidth;
    const V a0 = kBroadcast == Broadcast::kA ? V::broadcast(a[0]) : V::zero();
    const V b0 = kBroadcast == Broadcast::kB ? V::broadcast(b[0]) : V::zero();
    auto load_a = [&](int64_t i, int64_t n) {
        if constexpr (kBroadcast == Broadcast::kA) return a0;
        else return n == w ? V::load(a + i) : V::load_partial(a + i, n);
    };
    auto load_b = [&](int64_t i, int64_t n) {
        if constexpr (kBroadcast == Broadcast::kB) return b0;
        else return n == w ? V::load(b + i) : V::load_partial(b + i, n);
    };
    int64_t i = 0;
    for (; i + 2 * w <= count; i += 2 * w) {
        const auto lo = op(load_a(i, w), load_b(i, w));
        const auto hi = op(load_a(i + w, w), load_b(i + w, w));
        store_result(lo, out + i, w);
        store_result(hi, out + i + w, w);
    }
    for (; i < count; i += w) {
        const int64_t n = count - i < w ? count - i : w;
        store_result(op(load_a(i, n), load_b(i, n)), out + i, n);
    }
}

template <class Op, class T, class R>
void binary_element_loop(Op op, const T* a, int64_t a_stride, const T* b, int64_t b_stride, R* out, int64_t count) {
    if (a_stride == 1 && b_stride == 1) {
        for (int64_t i = 0; i < count; ++i) out[i] = static_cast<R>(op(a[i], b[i]));
    } else if (a_stride == 0 && b_stride == 1) {
        const T x = a[0];
        for (int64_t i = 0; i < count; ++i) out[i] = static_cast<R>(op(x, b[i]));
    } else if (a_stride == 1 && b_stride == 0) {
        const T y = b[0];
        for (int64_t i = 0; i < count; ++i) out[i] = static_cast<R>(op(a[i], y));
    } else {
        for (int64_t i = 0; i < count; ++i) out[i] = static_cast<R>(op(a[i * a_stride], b[i * b_stride]));
    }
}

// One row with a given functor (stateless for ng_binary, carrying alpha for ng_add_scaled).
template <class Tier, class T, class Op>
void binary_row_with(Op op, int64_t count, const void* a_void, int64_t a_stride, const void* b_void, int64_t b_stride,
                     void* out_void) {
    if (count <= 0) return;
    using R = BinaryResult<Op, T>;
    const T* a = static_cast<const T*>(a_void);
    const T* b = static_cast<const T*>(b_void);
    R* out = static_cast<R*>(out_void);
    using V = typename Tier::template Vector<T>;
    if constexpr (!std::is_void_v<V>) {
        if constexpr (BinaryVectorForm<Op, V>) {
            if (a_stride == 1 && b_stride == 1) return binary_vector_loop<V, Broadcast::kNone>(op, a, b, out, count);
            if (a_stride == 0 && b_stride == 1) return binary_vector_loop<V, Broadcast::kA>(op, a, b, out, count);
            if (a_stride == 1 && b_stride == 0) return binary_vector_loop<V, Broadcast::kB>(op, a, b, out, count);
        }
    }
    binary_element_loop(op, a, a_stride, b, b_stride, out, count);
}

template <class Tier, class Op, class T>
void binary_row(int64_t count, const void* a, int64_t a_stride, const void* b, int64_t b_stride, void* out) {
    binary_row_with<Tier, T>(Op{}, count, a, a_stride, b, b_stride, out);
}

template <class Tier, class T>
void add_scaled_row(int64_t count, const void* a, int64_t a_stride, const void* b, int64_t b_stride,
                    const void* alpha, void* out) {
    binary_row_with<Tier, T>(AddScaledOp<T>{*static_cast<const T*>(alpha)}, count, a, a_stride, b, b_stride, out);
}

template <class Tier>
constexpr ng::BinaryKernels make_binary_kernels() {
    ng::BinaryKernels kernels{};
#define NG_FILL_BINARY(op, functor, dtypes)                                                            \
    for_each_dtype<dtypes>([&](auto type, ng_dtype dtype) {                                            \
        kernels.row[op][dtype] = &binary_row<Tier, functor, decltype(type)>;                           \
    });
    NG_BINARY_OP_LIST(NG_FILL_BINARY)
#undef NG_FILL_BINARY
    for_each_dtype<ng::kNumericDtypes>(
        [&](auto type, ng_dtype dtype) { kernels.add_scaled[dtype] = &add_scaled_row<Tier, decltype(type)>; });
    return kernels;
}

}  // namespace

#endif
