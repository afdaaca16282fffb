// ng_reduce's and ng_reduce_dim's kernels for any tier: the middle axis of a contiguous
// outer x length x inner block reduced, out[o * inner + j] = op over k of x[(o * length + k) * inner + j].
// inner == 1 reduces contiguous rows (here); inner > 1 reduces down columns (reduce_columns.h).
//
// SUM: F32 accumulates in double, I64 wraps. The scalar reference adds in order; the SIMD tiers
// keep several vector accumulators along a row, so row sums may differ from the reference in the
// last bits (of the double: after rounding to F32 they practically never do). That is the order
// PyTorch's printed results were matched with: it sums in float by a cascade, whose result is
// within an ulp of the exact sum, which double accumulation rounds to almost always. A row longer
// than 2 kSumBlock is summed in fixed blocks (whose partials are added in order) so the result is
// the same however many threads share the blocks.
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
#include "kernels/reduce_columns.h"
#include "kernels/reduce_ops.h"
#include "parallel.h"

namespace {

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

// The sum in double (F32, F64) before rounding to T.
template <class D, class T>
double sum_vector(const T* x, int64_t length) {
    constexpr int64_t w = D::kWidth;
    // Eight: enough independent adds in flight to keep up with memory on either tier.
    constexpr int kAccumulators = 8;
    D acc[kAccumulators];
    for (int k = 0; k < kAccumulators; ++k) acc[k] = D::zero();
    int64_t i = 0;
    for (; i + kAccumulators * w <= length; i += kAccumulators * w) {
        for (int k = 0; k < kAccumulators; ++k) acc[k] = acc[k] + load_as_double<D>(x + i + k * w, w);
    }
    for (; i < length; i += w) acc[0] = acc[0] + load_as_double<D>(x + i, length - i < w ? length - i : w);
    alignas(64) double lanes[w];
    (((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))).store(lanes);
    double sum = 0;
    for (int64_t k = 0; k < w; ++k) sum += lanes[k];
    return sum;
}

constexpr int64_t kSumBlock = int64_t{1} << 16;
constexpr int64_t kMaxSumBlocks = 1024;

template <class D, class T>
T sum_row_vector(const T* x, int64_t length) {
    if (length < 2 * kSumBlock) return static_cast<T>(sum_vector<D>(x, length));
    // Depends on the length only, never on the thread count.
    int64_t block = kSumBlock;
    while ((length + block - 1) / block > kMaxSumBlocks) block *= 2;
    const int64_t blocks = (length + block - 1) / block;
    double partials[kMaxSumBlocks];
    ng::parallel_for(blocks, 1, [&](int64_t begin, int64_t end) {
        for (int64_t b = begin; b < end; ++b) {
            const int64_t start = b * block;
            partials[b] = sum_vector<D>(x + start, length - start < block ? length - start : block);
        }
    });
    double sum = 0;
    for (int64_t b = 0; b < blocks; ++b) sum += partials[b];
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
int64_t extreme_vector_two_pass(const typename V::Scalar* x, int64_t length) {
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

// One pass: each lane keeps its best value and where it was (in a vector of T, exact below 2^24
// for float), by the reference's rule; then the first position among the lanes holding the
// extreme (or a NaN). The last w elements are visited again for the tail, at their own positions,
// which changes no lane's first extreme.
template <class V, class Op>
int64_t extreme_vector(const typename V::Scalar* x, int64_t length) {
    using T = typename V::Scalar;
    constexpr int64_t w = V::kWidth;
    if (length < w) return extreme_reference<Op>(x, length);
    if (sizeof(T) == 4 && length > (int64_t{1} << 24)) return extreme_vector_two_pass<V, Op>(x, length);
    alignas(64) T lane_positions[w];
    for (int64_t k = 0; k < w; ++k) lane_positions[k] = static_cast<T>(k);
    const V lanes = V::load(lane_positions);
    V best = V::load(x);
    V where = lanes;
    auto visit = [&](int64_t i) {
        const V v = V::load(x + i);
        const auto take = either(Op::better(v, best), both(is_nan(v), cmp_eq(best, best)));
        best = select(take, v, best);
        where = select(take, lanes + V::broadcast(static_cast<T>(i)), where);
    };
    int64_t i = w;
    for (; i + w <= length; i += w) visit(i);
    if (i < length) visit(length - w);
    alignas(64) T values[w], positions[w];
    best.store(values);
    where.store(positions);
    bool nan = false;
    T extreme = values[0];
    for (int64_t k = 0; k < w; ++k) {
        nan = nan || is_nan(values[k]);
        extreme = Op::extreme(extreme, values[k]);
    }
    T first = static_cast<T>(length);
    for (int64_t k = 0; k < w; ++k) {
        const bool holds = nan ? is_nan(values[k]) : values[k] == extreme;
        if (holds && positions[k] < first) first = positions[k];
    }
    return static_cast<int64_t>(first);
}

// ---- The kernel ---------------------------------------------------------------------------------

// Work below this many elements stays on one thread.
constexpr int64_t kParallelGrain = int64_t{1} << 16;

template <class Tier, class Op, class T>
void reduce_row(const T* row, int64_t length, T* out, int64_t* index_out) {
    using V = typename Tier::template Vector<T>;
    if constexpr (std::is_same_v<Op, SumReduce>) {
        using D = typename Tier::template Vector<double>;
        if constexpr (!std::is_void_v<V>) *out = sum_row_vector<D>(row, length);
        else *out = sum_reference(row, length);
    } else {
        int64_t index;
        if constexpr (!std::is_void_v<V>) index = extreme_vector<V, Op>(row, length);
        else index = extreme_reference<Op>(row, length);
        *out = row[index];
        if (index_out != nullptr) *index_out = index;
    }
}

template <class Tier, class Op, class T>
void reduce_columns(const T* x, int64_t length, int64_t stride, int64_t columns, T* out, int64_t* indices) {
    using V = typename Tier::template Vector<T>;
    if constexpr (std::is_same_v<Op, SumReduce>) {
        using D = typename Tier::template Vector<double>;
        if constexpr (!std::is_void_v<V>) sum_columns_vector<D>(x, length, stride, columns, out);
        else sum_columns_reference(x, length, stride, columns, out);
    } else {
        if constexpr (!std::is_void_v<V>) {
            // Positions ride in lanes of T, exact below 2^24 for float.
            if (sizeof(T) == 8 || length <= (int64_t{1} << 24)) {
                extreme_columns_vector<V, Op>(x, length, stride, columns, out, indices);
                return;
            }
        }
        extreme_columns_reference<Op>(x, length, stride, columns, out, indices);
    }
}

template <class Tier, class Op, class T>
void reduce_kernel(const void* x_void, int64_t outer, int64_t length, int64_t inner, void* out_void,
                   int64_t* indices) {
    const T* x = static_cast<const T*>(x_void);
    T* out = static_cast<T*>(out_void);
    const int64_t row_work = length > 0 ? length : 1;
    if (inner == 1) {
        ng::parallel_for(outer, kParallelGrain / row_work + 1, [&](int64_t begin, int64_t end) {
            for (int64_t r = begin; r < end; ++r)
                reduce_row<Tier, Op>(x + r * length, length, out + r, indices != nullptr ? indices + r : nullptr);
        });
        return;
    }
    // Chunks of columns are disjoint outputs; each column is still reduced whole, in order.
    for (int64_t o = 0; o < outer; ++o) {
        const T* block = x + o * length * inner;
        ng::parallel_for(inner, kParallelGrain / row_work + 512, [&](int64_t begin, int64_t end) {
            reduce_columns<Tier, Op>(block + begin, length, inner, end - begin, out + o * inner + begin,
                                     indices != nullptr ? indices + o * inner + begin : nullptr);
        });
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
