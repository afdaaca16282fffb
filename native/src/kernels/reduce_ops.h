// What the ng_reduce loops (reduce_loops.h for rows, reduce_columns.h for columns) share: the ops
// as types, and double accumulators loaded from and stored to either float dtype.
#ifndef NATIVEGRAD_SRC_KERNELS_REDUCE_OPS_H
#define NATIVEGRAD_SRC_KERNELS_REDUCE_OPS_H

#include <cstdint>
#include <type_traits>

#include "kernels/elementwise.h"

namespace {

struct SumReduce {};

// better(x, best): whether x replaces the best so far (not on ties: the first extreme wins), as a
// bool for scalars and a mask for vectors.
struct MaxReduce {
    template <class T>
    static auto better(T x, T best) { return cmp_gt(x, best); }
    template <class T>
    static T extreme(T a, T b) { return max_raw(a, b); }
};

struct MinReduce {
    template <class T>
    static auto better(T x, T best) { return cmp_lt(x, best); }
    template <class T>
    static T extreme(T a, T b) { return min_raw(a, b); }
};

// D is the tier's double vector; T is float (widened on load, rounded on store) or double; n of
// D's lanes.
template <class D, class T>
D load_as_double(const T* p, int64_t n) {
    if constexpr (std::is_same_v<T, float>) {
        return n == D::kWidth ? D::load_from_float(p) : D::load_partial_from_float(p, n);
    } else {
        return n == D::kWidth ? D::load(p) : D::load_partial(p, n);
    }
}

template <class D, class T>
void store_from_double(D v, T* p, int64_t n) {
    if constexpr (std::is_same_v<T, float>) {
        if (n == D::kWidth) v.store_to_float(p);
        else v.store_partial_to_float(p, n);
    } else {
        if (n == D::kWidth) v.store(p);
        else v.store_partial(p, n);
    }
}

}  // namespace

#endif
