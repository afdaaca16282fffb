// ng_softmax, AVX-512 tier; compiled with the AVX-512 flags, reached only through the AVX-512 table (see softmax_loops.h).
#include "kernels/simd.h"
#include "kernels/softmax_loops.h"

namespace ng::kernels::avx512 {

constinit const SoftmaxKernels softmax_kernels = make_softmax_kernels<Avx512Vectors>();

}  // namespace ng::kernels::avx512
