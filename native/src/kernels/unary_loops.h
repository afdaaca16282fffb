// ng_unary's kernels for any tier: the op's vector form over contiguous data when the functor has
// one and the tier has vectors for the dtype, the element-by-element loop otherwise. A tier file
// defines its part of the table as `make_unary_kernels<ItsVectors>()`.
#ifndef NATIVEGRAD_SRC_KERNELS_UNARY_LOOPS_H
#define NATIVEGRAD_SRC_KERNELS_UNARY_LOOPS_H

#include <cstdint>
#include <type_traits>

#include "kernels/elementwise.h"
#include "kernels/kernels.h"

namespace {

// Each vector is loaded before it is stored, so out == x is safe.
template <class V, class Op>
void unary_vector_loop(Op op, const typename V::Scalar* x, typename V::Scalar* out, int64_t count) {
    constexpr int64_t w = V::kWidth;
    int64_t i = 0;
    for (; i + 2 * w <= count; i += 2 * w) {
        const V lo = op(V::load(x + i));
        const V hi = op(V::load(x + i + w));
        lo.store(out + i);
        hi.store(out + i + w);
    }
    if (i + w <= count) {
        op(V::load(x + i)).store(out + i);
        i += w;
    }
    if (i < count) op(V::load_partial(x + i, count - i)).store_partial(out + i, count - i);
}

template <class Tier, class Op, class T>
void unary_kernel(const void* x_void, void* out_void, int64_t count) {
    const T* x = static_cast<const T*>(x_void);
    T* out = static_cast<T*>(out_void);
    using V = typename Tier::template Vector<T>;
    if constexpr (!std::is_void_v<V>) {
        if constexpr (UnaryVectorForm<Op, V>) {
            unary_vector_loop<V>(Op{}, x, out, count);
            return;
        }
    }
    const Op op{};
    for (int64_t i = 0; i < count; ++i) out[i] = op(x[i]);
}

template <class Tier>
constexpr ng::UnaryKernels make_unary_kernels() {
    ng::UnaryKernels kernels{};
#define NG_FILL_UNARY(op, functor, dtypes)                                                             \
    for_each_dtype<dtypes>([&](auto type, ng_dtype dtype) {                                            \
        kernels.kernel[op][dtype] = &unary_kernel<Tier, functor, decltype(type)>;                      \
    });
    NG_UNARY_OP_LIST(NG_FILL_UNARY)
#undef NG_FILL_UNARY
    return kernels;
}

}  // namespace

#endif
