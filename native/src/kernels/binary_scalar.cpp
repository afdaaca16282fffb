// Scalar reference for ng_binary: plain C++, the tier every other one is tested against.
#include "kernels/elementwise.h"
#include "kernels/kernels.h"

namespace ng::kernels::scalar {

#define NG_DEFINE_BINARY(op, name, functor)                                            \
    void name##_f32(const float* a, const float* b, float* out, int64_t count) {       \
        binary_scalar_loop(functor{}, a, b, out, count);                               \
    }                                                                                  \
    void name##_f64(const double* a, const double* b, double* out, int64_t count) {    \
        binary_scalar_loop(functor{}, a, b, out, count);                               \
    }
NG_BINARY_OP_LIST(NG_DEFINE_BINARY)
#undef NG_DEFINE_BINARY

}  // namespace ng::kernels::scalar
