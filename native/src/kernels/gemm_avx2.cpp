// ng_gemm on AVX2 + FMA (see gemm_simd.h). Compiled with -mavx2 -mfma.
#include "kernels/simd.h"
#include "kernels/gemm_simd.h"

namespace ng::kernels::avx2 {

void gemm_f32(const GemmArgs<float>& args) { SimdGemm<F32x8>::run(args); }
void gemm_f64(const GemmArgs<double>& args) { SimdGemm<F64x4>::run(args); }

}  // namespace ng::kernels::avx2
