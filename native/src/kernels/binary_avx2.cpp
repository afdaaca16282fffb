// ng_binary on AVX2: 8 floats / 4 doubles per vector, masked loads and stores for the tail.
// Compiled with -mavx2 -mfma; reached only through the AVX2 kernel table.
#include "kernels/simd.h"
#include "kernels/elementwise.h"
#include "kernels/kernels.h"

namespace ng::kernels::avx2 {

#define NG_DEFINE_BINARY(op, name, functor)                                            \
    void name##_f32(const float* a, const float* b, float* out, int64_t count) {       \
        binary_vector_loop<F32x8>(functor{}, a, b, out, count);                        \
    }                                                                                  \
    void name##_f64(const double* a, const double* b, double* out, int64_t count) {    \
        binary_vector_loop<F64x4>(functor{}, a, b, out, count);                        \
    }
NG_BINARY_OP_LIST(NG_DEFINE_BINARY)
#undef NG_DEFINE_BINARY

}  // namespace ng::kernels::avx2
