// ng_gemm on AVX-512: the packed GEMM of gemm_blocked.h. Compiled with the AVX-512 flags.
//
// Tiles: 8 x 32 floats (16 zmm accumulators) and 8 x 16 doubles. Measured single-threaded on
// Zen 4 (n = 64 / 256 / 512 / 1024, GFLOP/s, FMA peak 116): 8 x 32 91 / 105 / 99 / 100 and
// 6 x 64 80 / 104 / 105 / 100 were alike once packing was fast, 12 x 32 (70 / 97 / 100 / 97) and
// 14 x 32 lost at small n to their zero-padded edge tiles; 8 rows won because packing
// untransposed A then is one 8 x 8 transpose per 8 depth steps (gemm_pack_x86.h).
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
