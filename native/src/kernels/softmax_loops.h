// ng_softmax's and ng_softmax_backward's kernels for any tier: three passes over each row, nothing
// allocated.
//
// The arithmetic is exactly that of the composition it replaces (and that the conformance data
// was matched with): m = max of the row (NaN if any, by reduce_loops.h's max), e = exp(x - m) in
// the dtype (ExpOp: transcendentals.h for F32), s = the sum of e accumulated in double (as
// ng_reduce's SUM) and rounded to the dtype; softmax = e / s, log-softmax = (x - m) - log(s).
// A tier file defines its part as `make_softmax_kernels<ItsVectors>()`.
#ifndef NATIVEGRAD_SRC_KERNELS_SOFTMAX_LOOPS_H
#define NATIVEGRAD_SRC_KERNELS_SOFTMAX_LOOPS_H

#include <cstdint>
#include <type_traits>

#include "kernels/elementwise.h"
#include "kernels/reduce_loops.h"
#include "kernels/softmax.h"
#include "parallel.h"

namespace {

// out[i] = op(x[i]) for a functor of a vector or a scalar, vectorised when the tier has V.
template <class V, class T, class Op>
void map_row(const T* x, T* out, int64_t length, Op op) {
    int64_t i = 0;
    if constexpr (!std::is_void_v<V>) {
        constexpr int64_t w = V::kWidth;
        for (; i + w <= length; i += w) op(V::load(x + i)).store(out + i);
        if (i < length) op(V::load_partial(x + i, length - i)).store_partial(out + i, length - i);
        return;
    }
    for (; i < length; ++i) out[i] = op(x[i]);
}

// out[i] = op(x[i], y[i]), vectorised like map_row.
template <class V, class T, class Op>
void map_rows(const T* x, const T* y, T* out, int64_t length, Op op) {
    int64_t i = 0;
    if constexpr (!std::is_void_v<V>) {
        constexpr int64_t w = V::kWidth;
        for (; i + w <= length; i += w) op(V::load(x + i), V::load(y + i)).store(out + i);
        if (i < length) {
            const int64_t n = length - i;
            op(V::load_partial(x + i, n), V::load_partial(y + i, n)).store_partial(out + i, n);
        }
        return;
    }
    for (; i < length; ++i) out[i] = op(x[i], y[i]);
}

// The sum in double of exp(x[i] - max), without writing anything: log-softmax reads x again
// afterwards, and out may be x. Chunks of the exponentials go through a buffer on the stack.
template <class Tier, class ExpV, class T>
double sum_of_shifted_exp(const T* x, int64_t length, T max) {
    constexpr int64_t kChunk = 1024;
    alignas(64) T buffer[kChunk];
    double sum = 0;
    for (int64_t start = 0; start < length; start += kChunk) {
        const int64_t n = length - start < kChunk ? length - start : kChunk;
        map_row<ExpV>(x + start, buffer, n, [max](auto v) { return ExpOp{}(v - splat<decltype(v)>(max)); });
        using D = typename Tier::template Vector<double>;
        if constexpr (!std::is_void_v<typename Tier::template Vector<T>>) {
            sum += sum_vector<D>(buffer, n);
        } else {
            for (int64_t i = 0; i < n; ++i) sum += buffer[i];
        }
    }
    return sum;
}

template <class Tier, bool kLog, class T>
void softmax_row(const T* x, T* out, int64_t length) {
    using V = typename Tier::template Vector<T>;
    // Vectors only where the tier vectorises exp for T (F32); F64's libm exp runs per element.
    constexpr bool kVectorExp = !std::is_void_v<V> && UnaryVectorForm<ExpOp, V>;
    using ExpV = std::conditional_t<kVectorExp, V, void>;
    T max;
    reduce_row<Tier, MaxReduce>(x, length, &max, nullptr);
    if constexpr (kLog) {
        const T log_sum = LogOp{}(static_cast<T>(sum_of_shifted_exp<Tier, ExpV>(x, length, max)));
        map_row<ExpV>(x, out, length, [max, log_sum](auto v) {
            using W = decltype(v);
            return (v - splat<W>(max)) - splat<W>(log_sum);
        });
    } else {
        // Each element is read before its place is written, so out == x is safe.
        map_row<ExpV>(x, out, length, [max](auto v) { return ExpOp{}(v - splat<decltype(v)>(max)); });
        T sum;
        reduce_row<Tier, SumReduce>(out, length, &sum, nullptr);
        map_row<V>(out, out, length, [sum](auto v) { return v / splat<decltype(v)>(sum); });
    }
}

// The backward of one row, step for step the composed rules of the derivative table (the same
// functors and the same row sum), so the two agree bit for bit:
//   log-softmax: s = sum(grad), grad_input = grad - exp(out) * s
//   softmax:     s = sum(grad * out), grad_input = out * (grad - s)
// The products grad * out are held in grad_input until the sum has read them.
template <class Tier, bool kLog, class T>
void softmax_backward_row(const T* grad, const T* out, T* grad_input, int64_t length) {
    using V = typename Tier::template Vector<T>;
    constexpr bool kVectorExp = !std::is_void_v<V> && UnaryVectorForm<ExpOp, V>;
    using ExpV = std::conditional_t<kVectorExp, V, void>;
    T sum;
    if constexpr (kLog) {
        reduce_row<Tier, SumReduce>(grad, length, &sum, nullptr);
        map_rows<ExpV>(grad, out, grad_input, length, [sum](auto g, auto o) {
            using W = decltype(g);
            return g - ExpOp{}(o) * splat<W>(sum);
        });
    } else {
        map_rows<V>(grad, out, grad_input, length, [](auto g, auto o) { return g * o; });
        reduce_row<Tier, SumReduce>(grad_input, length, &sum, nullptr);
        map_rows<V>(grad, out, grad_input, length, [sum](auto g, auto o) {
            using W = decltype(g);
            return o * (g - splat<W>(sum));
        });
    }
}

// Rows are independent; chunks of them are disjoint outputs.
template <class Tier, bool kLog, class T>
void softmax_backward_kernel(const void* grad_void, const void* out_void, int64_t rows, int64_t length,
                             void* grad_input_void) {
    const T* grad = static_cast<const T*>(grad_void);
    const T* out = static_cast<const T*>(out_void);
    T* grad_input = static_cast<T*>(grad_input_void);
    ng::parallel_for(rows, (int64_t{1} << 14) / length + 1, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) {
            softmax_backward_row<Tier, kLog>(grad + r * length, out + r * length, grad_input + r * length, length);
        }
    });
}

// Rows are independent; chunks of them are disjoint outputs.
template <class Tier, bool kLog, class T>
void softmax_kernel(const void* x_void, int64_t rows, int64_t length, void* out_void) {
    const T* x = static_cast<const T*>(x_void);
    T* out = static_cast<T*>(out_void);
    ng::parallel_for(rows, (int64_t{1} << 14) / length + 1, [&](int64_t begin, int64_t end) {
        for (int64_t r = begin; r < end; ++r) softmax_row<Tier, kLog>(x + r * length, out + r * length, length);
    });
}

template <class Tier>
constexpr ng::SoftmaxKernels make_softmax_kernels() {
    ng::SoftmaxKernels kernels{};
    for_each_dtype<ng::kFloatDtypes>([&](auto type, ng_dtype dtype) {
        kernels.softmax[dtype] = &softmax_kernel<Tier, false, decltype(type)>;
        kernels.log_softmax[dtype] = &softmax_kernel<Tier, true, decltype(type)>;
        kernels.softmax_backward[dtype] = &softmax_backward_kernel<Tier, false, decltype(type)>;
        kernels.log_softmax_backward[dtype] = &softmax_backward_kernel<Tier, true, decltype(type)>;
    });
    return kernels;
}

}  // namespace

#endif
