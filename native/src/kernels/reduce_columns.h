// ng_reduce_dim's loops for a reduced axis that is not the last: `length` rows (`stride` elements
// apart) of `columns` contiguous columns reduced to one row of `columns`, reading each row once, front to back, with
// vertical (lane by lane) vector adds, maxima and minima - no transposed copy.
//
// Every column is reduced in order k = 0, 1, ..., length - 1, as in the scalar reference below, so
// SUM (F32 accumulating in double, like the row kernels) and MAX / MIN (first extreme, first NaN)
// give the same bits in every tier.
#ifndef NATIVEGRAD_SRC_KERNELS_REDUCE_COLUMNS_H
#define NATIVEGRAD_SRC_KERNELS_REDUCE_COLUMNS_H

#include <cstdint>
#include <type_traits>

#include "kernels/elementwise.h"
#include "kernels/reduce_ops.h"

namespace {

// Columns per pass of the reference: its accumulators live on the stack.
constexpr int64_t kReferenceColumns = 256;

template <class T>
using SumType = std::conditional_t<std::is_same_v<T, float>, double, T>;

template <class T>
void sum_columns_reference(const T* x, int64_t length, int64_t stride, int64_t columns, T* out) {
    for (int64_t j0 = 0; j0 < columns; j0 += kReferenceColumns) {
        const int64_t n = columns - j0 < kReferenceColumns ? columns - j0 : kReferenceColumns;
        SumType<T> acc[kReferenceColumns] = {};
        for (int64_t k = 0; k < length; ++k) {
            const T* row = x + k * stride + j0;
            if constexpr (std::is_same_v<T, int64_t>) {
                for (int64_t j = 0; j < n; ++j) acc[j] = wrap(bits(acc[j]) + bits(row[j]));
            } else {
                for (int64_t j = 0; j < n; ++j) acc[j] += row[j];
            }
        }
        for (int64_t j = 0; j < n; ++j) out[j0 + j] = static_cast<T>(acc[j]);
    }
}

// MaxReduce / MinReduce's rule per column: a later element replaces the best when it is better,
// or when it is NaN and the best is not yet.
template <class Op, class T>
void extreme_columns_reference(const T* x, int64_t length, int64_t stride, int64_t columns, T* out, int64_t* indices) {
    for (int64_t j0 = 0; j0 < columns; j0 += kReferenceColumns) {
        const int64_t n = columns - j0 < kReferenceColumns ? columns - j0 : kReferenceColumns;
        T best[kReferenceColumns];
        int64_t where[kReferenceColumns] = {};
        for (int64_t j = 0; j < n; ++j) best[j] = x[j0 + j];
        for (int64_t k = 1; k < length; ++k) {
            const T* row = x + k * stride + j0;
            for (int64_t j = 0; j < n; ++j) {
                if (Op::better(row[j], best[j]) || (is_nan(row[j]) && !is_nan(best[j]))) {
                    best[j] = row[j];
                    where[j] = k;
                }
            }
        }
        for (int64_t j = 0; j < n; ++j) {
            out[j0 + j] = best[j];
            if (indices != nullptr) indices[j0 + j] = where[j];
        }
    }
}

// Blocks of kBlock columns: each row's part of the block is one contiguous run, so up to 4096
// columns the block is read in memory order (the prefetcher streams it; a few vectors' worth of
// columns at a large stride ran at half the speed), into double accumulators that stay in L1/L2.
template <class D, class T>
void sum_columns_vector(const T* x, int64_t length, int64_t stride, int64_t columns, T* out) {
    constexpr int64_t w = D::kWidth;
    constexpr int64_t kBlock = 4096;
    alignas(64) double acc[kBlock];
    for (int64_t j0 = 0; j0 < columns; j0 += kBlock) {
        const int64_t n = columns - j0 < kBlock ? columns - j0 : kBlock;
        for (int64_t j = 0; j < n; ++j) acc[j] = 0;
        // Four rows per trip through the accumulators, still added one after another.
        int64_t k = 0;
        for (; k + 4 <= length; k += 4) {
            const T* row = x + k * stride + j0;
            int64_t j = 0;
            for (; j + w <= n; j += w) {
                D sum = D::load(acc + j) + load_as_double<D>(row + j, w);
                sum = sum + load_as_double<D>(row + stride + j, w);
                sum = sum + load_as_double<D>(row + 2 * stride + j, w);
                (sum + load_as_double<D>(row + 3 * stride + j, w)).store(acc + j);
            }
            for (int64_t r = 0; r < 4 && j < n; ++r) {
                (D::load_partial(acc + j, n - j) + load_as_double<D>(row + r * stride + j, n - j)).store_partial(acc + j, n - j);
            }
        }
        for (; k < length; ++k) {
            const T* row = x + k * stride + j0;
            int64_t j = 0;
            for (; j + w <= n; j += w) (D::load(acc + j) + load_as_double<D>(row + j, w)).store(acc + j);
            if (j < n) (D::load_partial(acc + j, n - j) + load_as_double<D>(row + j, n - j)).store_partial(acc + j, n - j);
        }
        int64_t j = 0;
        for (; j + w <= n; j += w) store_from_double(D::load(acc + j), out + j0 + j, w);
        if (j < n) store_from_double(D::load_partial(acc + j, n - j), out + j0 + j, n - j);
    }
}

// The position k is carried in a vector of the value type (exact below 2^24 for float, which
// reduce_kernel checks).
template <class V, class Op>
void extreme_columns_vector(const typename V::Scalar* x, int64_t length, int64_t stride, int64_t columns, typename V::Scalar* out,
                            int64_t* indices) {
    using T = typename V::Scalar;
    constexpr int64_t w = V::kWidth;
    for (int64_t j = 0; j < columns; j += w) {
        const int64_t n = columns - j < w ? columns - j : w;
        auto load = [&](int64_t k) { return n == w ? V::load(x + k * stride + j) : V::load_partial(x + k * stride + j, n); };
        V best = load(0);
        V where = V::zero();
        for (int64_t k = 1; k < length; ++k) {
            const V v = load(k);
            const auto take = either(Op::better(v, best), both(is_nan(v), cmp_eq(best, best)));
            best = select(take, v, best);
            where = select(take, V::broadcast(static_cast<T>(k)), where);
        }
        alignas(64) T values[w], positions[w];
        best.store(values);
        where.store(positions);
        for (int64_t l = 0; l < n; ++l) {
            out[j + l] = values[l];
            if (indices != nullptr) indices[j + l] = static_cast<int64_t>(positions[l]);
        }
    }
}

}  // namespace

#endif
