// ng_gemm on AVX-512 (see gemm_simd.h). Compiled with the AVX-512 flags.
#include "kernels/simd.h"
#include "kernels/gemm_simd.h"

namespace ng::kernels::avx512 {

void gemm_f32(const GemmArgs<float>& args) { SimdGemm<F32x16>::run(args); }
void gemm_f64(const GemmArgs<double>& args) { SimdGemm<F64x8>::run(args); }

}  // namespace ng::kernels::avx512
