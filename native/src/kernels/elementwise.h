// Elementwise ops as functors that work on a scalar and on any simd.h vector alike, and the two
// loops that apply them: the scalar reference loop and the vector loop with a masked tail.
// Anonymous namespace for the same reason as simd.h: each tier compiles its own copy.
#ifndef NATIVEGRAD_SRC_KERNELS_ELEMENTWISE_H
#define NATIVEGRAD_SRC_KERNELS_ELEMENTWISE_H

#include <cstdint>

namespace {

struct AddOp {
    template <class T>
    T operator()(T a, T b) const { return a + b; }
};

struct MulOp {
    template <class T>
    T operator()(T a, T b) const { return a * b; }
};

template <class T, class Op>
void binary_scalar_loop(Op op, const T* a, const T* b, T* out, int64_t count) {
    for (int64_t i = 0; i < count; ++i) out[i] = op(a[i], b[i]);
}

// Both vectors of a step are loaded before either is stored, so out == a or out == b is safe.
template <class V, class Op>
void binary_vector_loop(Op op, const typename V::Scalar* a, const typename V::Scalar* b,
                        typename V::Scalar* out, int64_t count) {
    constexpr int64_t w = V::kWidth;
    int64_t i = 0;
    for (; i + 2 * w <= count; i += 2 * w) {
        const V lo = op(V::load(a + i), V::load(b + i));
        const V hi = op(V::load(a + i + w), V::load(b + i + w));
        lo.store(out + i);
        hi.store(out + i + w);
    }
    if (i + w <= count) {
        op(V::load(a + i), V::load(b + i)).store(out + i);
        i += w;
    }
    if (i < count) {
        const int64_t rest = count - i;
        op(V::load_partial(a + i, rest), V::load_partial(b + i, rest)).store_partial(out + i, rest);
    }
}

}  // namespace

#endif
