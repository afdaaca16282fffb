// ng_binary on AVX-512: 16 floats / 8 doubles per vector, mask-register loads and stores for the
// tail. Compiled with the AVX-512 flags; reached only through the AVX-512 kernel table.
#include "kernels/simd.h"
#include "kernels/elementwise.h"
#include "kernels/kernels.h"

namespace ng::kernels::avx512 {

#define NG_DEFINE_BINARY(op, name, functor)                                            \
    void name##_f32(const float* a, const float* b, float* out, int64_t count) {       \
        binary_vector_loop<F32x16>(functor{}, a, b, out, count);                       \
    }                                                                                  \
    void name##_f64(const double* a, const double* b, double* out, int64_t count) {    \
        binary_vector_loop<F64x8>(functor{}, a, b, out, count);                        \
    }
NG_BINARY_OP_LIST(NG_DEFINE_BINARY)
#undef NG_DEFINE_BINARY

}  // namespace ng::kernels::avx512
