// ng_reduce's kernels for any tier: each of `rows` contiguous rows of `length` reduced to one value.
//
// SUM: F32 accumulates in double, I64 wraps. The scalar reference adds in order; the SIMD tiers
// keep several vector accumulators, so sums may differ from the reference in the last bits.
// MAX / MIN: the first position of the extreme, or of the first NaN when there is one, and the
// value at that position - identical in every tier. The SIMD form finds the extreme with vector
// max/min (noting NaNs on the way), then scans for the first element equal to it (or the first
// NaN); equality makes -0 and +0 ties, so the first of them wins, as in the reference.
// A tier file defines its part of the table as `make_reduce_kernels<ItsVectors>()`.
#ifndef NATIVEGRAD_SRC_KERNELS_REDUCE_LOOPS_H
#define NATIVEGRAD_SRC_KERNELS_REDUCE_LOOPS_H

#include <cstdint>
#include <type_traits>

#include "kernels/elementwise.h"
#include "kernels/kernels.h"

namespace {

struct SumReduce {};

struct MaxReduce {
    template <class T>
    static bool better(T x, T best) { return x > best; }
    template <class T>
    static T extreme(T a, T b) { return max_raw(a, b); }
};

struct MinReduce {
    template <class T>
    static bool better(T x, T best) { return x < best; }
    template <class T>
    static T extreme(T a, T b) { return min_raw(a, b); }
};

// ---- SUM ----------------------------------------------------------------------------------------

template <class T>
T sum_reference(const T* x, int64_t length) {
    if constexpr (std::is_same_v<T, int64_t>) {
        uint64_t sum = 0;
        for (int64_t i = 0; i < length; ++i) sum += bits(x[i]);
        return wrap(sum);
    } else {
        double sum = 0;  // F32 accumulates in double; F64 in itself
        for (int64_t i = 0; i < length; ++i) sum += x[i];
        return static_cast<T>(sum);
    }
}

// D is the tier's double vector; T is float (widened on load) or double.
template <class D, class T>
D load_as_double(const T* p, int64_t n) {
    if constexpr (std::is_same_v<T, float>) {
        return n == D::kWidth ? D::load_from_float(p) : D::load_partial_from_float(p, n);
    } else {
        return n == D::kWidth ? D::load(p) : D::load_partial(p, n);
    }
}

template <class D, class T>
T sum_vector(const T* x, int64_t length) {
    constexpr int64_t w = D::kWidth;
    constexpr int kAccumulators = 4;
    D acc[kAccumulators] = {D::zero(), D::zero(), D::zero(), D::zero()};
    int64_t i = 0;
    for (; i + kAccumulators * w <= length; i += kAccumulators * w) {
        for (int k = 0; k < kAccumulators; ++k) acc[k] = acc[k] + load_as_double<D>(x + i + k * w, w);
    }
    for (; i < length; i += w) acc[0] = acc[0] + load_as_double<D>(x + i, length - i < w ? length - i : w);
    alignas(64) double lanes[w];
    ((acc[0] + acc[1]) + (acc[2] + acc[3])).store(lanes);
    double sum = 0;
    for (int64_t k = 0; k < w; ++k) sum += lanes[k];
    return static_cast<T>(sum);
}

// ---- MAX / MIN ----------------------------------------------------------------------------------

template <class Op, class T>
int64_t extreme_reference(const T* x, int64_t length) {
    T best = x[0];
    int64_t index = 0;
    for (int64_t i = 1; i < length && !is_nan(best); ++i) {
        if (is_nan(x[i]) || Op::better(x[i], best)) {
            best = x[i];
            index = i;
        }
    }
    return index;
}

// The first i with found(x[i]) (which must exist), a vector of lanes at a time.
template <class V, class Found>
int64_t first_index(const typename V::Scalar* x, int64_t length, Found found) {
    constexpr int64_t w = V::kWidth;
    int64_t i = 0;
    for (; i + w <= length; i += w) {
        const auto mask = found(V::load(x + i));
        if (any_of(mask)) return i + first_of(mask);
    }
    for (; i < length; ++i)
        if (any_of(found(V::broadcast(x[i])))) return i;
    return 0;  // unreachable when the element exists
}

template <class V, class Op>
int64_t extreme_vector(const typename V::Scalar* x, int64_t length) {
    using T = typename V::Scalar;
    constexpr int64_t w = V::kWidth;
    if (length < w) return extreme_reference<Op>(x, length);
    V acc = V::load(x);
    auto nan = is_nan(acc);
    int64_t i = w;
    for (; i + w <= length; i += w) {
        const V v = V::load(x + i);
        nan = either(nan, is_nan(v));
        acc = Op::extreme(acc, v);
    }
    if (i < length) {  // the last w elements again: max and min do not mind repeats
        const V v = V::load(x + length - w);
        nan = either(nan, is_nan(v));
        acc = Op::extreme(acc, v);
    }
    if (any_of(nan)) return first_index<V>(x, length, [](V v) { return is_nan(v); });
    alignas(64) T lanes[w];
    acc.store(lanes);
    T best = lanes[0];
    for (int64_t k = 1; k < w; ++k) best = Op::extreme(best, lanes[k]);
    const V target = V::broadcast(best);
    return first_index<V>(x, length, [target](V v) { return cmp_eq(v, target); });
}

// ---- The kernel ---------------------------------------------------------------------------------

template <class Tier, class Op, class T>
void reduce_kernel(const void* x_void, int64_t rows, int64_t length, void* out_void, int64_t* indices) {
    const T* x = static_cast<const T*>(x_void);
    T* out = static_cast<T*>(out_void);
    using V = typename Tier::template Vector<T>;
    for (int64_t r = 0; r < rows; ++r) {
        const T* row = x + r * length;
        if constexpr (std::is_same_v<Op, SumReduce>) {
            using D = typename Tier::template Vector<double>;
            if constexpr (!std::is_void_v<V>) out[r] = sum_vector<D>(row, length);
            else out[r] = sum_reference(row, length);
        } else {
            int64_t index;
            if constexpr (!std::is_void_v<V>) index = extreme_vector<V, Op>(row, length);
            else index = extreme_reference<Op>(row, length);
            out[r] = row[index];
            if (indices != nullptr) indices[r] = index;
        }
    }
}

template <class Tier>
constexpr ng::ReduceKernels make_reduce_kernels() {
    ng::ReduceKernels kernels{};
#define NG_FILL_REDUCE(op, functor, dtypes)                                                            \
    for_each_dtype<dtypes>([&](auto type, ng_dtype dtype) {                                            \
        kernels.kernel[op][dtype] = &reduce_kernel<Tier, functor, decltype(type)>;                     \
    });
    NG_REDUCE_OP_LIST(NG_FILL_REDUCE)
#undef NG_FILL_REDUCE
    return kernels;
}

}  // namespace

#endif
