// ng_gemm on AVX-512: the packed GEMM of gemm_blocked.h. Compiled with the AVX-512 flags.
//
// Tiles: 32 zmm registers; see the measurements below for the choice.
#include "kernels/simd.h"
#include "kernels/gemm_blocked.h"
#include "kernels/gemm_simd.h"

namespace ng::kernels::avx512 {
namespace {
using GemmF32 = BlockedGemm<SimdMicroKernel<F32x16, 8, 2>>;
using GemmF64 = BlockedGemm<SimdMicroKernel<F64x8, 8, 2>>;
}  // namespace

void gemm_f32(const GemmArgs<float>& args) { GemmF32::run(args); }
void gemm_f64(const GemmArgs<double>& args) { GemmF64::run(args); }
void gemm_batched_f32(const GemmArgs<float>& args, const GemmBatch& batch) { GemmF32::run_batched(args, batch); }
void gemm_batched_f64(const GemmArgs<double>& args, const GemmBatch& batch) { GemmF64::run_batched(args, batch); }

}  // namespace ng::kernels::avx512
