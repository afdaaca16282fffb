// ng_gemm on AVX2 + FMA: the packed GEMM of gemm_blocked.h. Compiled with -mavx2 -mfma.
//
// Tiles: 16 ymm registers hold 6 x 2 accumulators, 2 rows of B and a broadcast, the most FMAs
// per step that fit (6 x 16 floats, 6 x 8 doubles). Measured on Zen 4 (n = 64 / 256 / 512 /
// 1024, GFLOP/s): 6 x 16 84 / 102 / 97 / 101; 4 x 24, the other 12-accumulator tile,
// 75 / 98 / 97 / 101.
#include "kernels/simd.h"
#include "kernels/gemm_blocked.h"
#include "kernels/gemm_dot.h"
#include "kernels/gemm_simd.h"

namespace ng::kernels::avx2 {
namespace {
using GemmF32 = BlockedGemm<SimdMicroKernel<F32x8, 6, 2>>;
using GemmF64 = BlockedGemm<SimdMicroKernel<F64x4, 6, 2>>;
// 2 rows of A by 5 of B: 10 accumulators, 2 rows of A and a row of B in 13 registers.
using GemmF32Dot = DotGemm<F32x8, 2, 5>;

// A @ Bᵀ as dot products (gemm_dot.h) only for fewer than 16 columns, which the 6 x 16 tile
// pads: measured on Zen 4, 64 x 10 x 256 39 -> 72 GFLOP/s. With 16 registers the dot tiles lose
// to packing on wide products (64 x 256 x 784: 88 packed, 77-83 for 2 x 4 to 3 x 4 tiles).
bool dot_pays(const GemmArgs<float>& g) { return GemmF32Dot::applies(g) && g.n < 16; }
}  // namespace

void gemm_f32(const GemmArgs<float>& args) {
    if (dot_pays(args)) return GemmF32Dot::run(args);
    GemmF32::run(args);
}
void gemm_f64(const GemmArgs<double>& args) { GemmF64::run(args); }
void gemm_batched_f32(const GemmArgs<float>& args, const GemmBatch& batch) { GemmF32::run_batched(args, batch); }
void gemm_batched_f64(const GemmArgs<double>& args, const GemmBatch& batch) { GemmF64::run_batched(args, batch); }

}  // namespace ng::kernels::avx2
