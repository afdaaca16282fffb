// ng_softmax, AVX2 tier; compiled with -mavx2 -mfma, reached only through the AVX2 table (see softmax_loops.h).
#include "kernels/simd.h"
#include "kernels/softmax_loops.h"

namespace ng::kernels::avx2 {

constinit const SoftmaxKernels softmax_kernels = make_softmax_kernels<Avx2Vectors>();

}  // namespace ng::kernels::avx2
