// ng_gemm on AVX-512: the packed GEMM of gemm_blocked.h. Compiled with the AVX-512 flags.
//
// Tiles: 8 x 32 floats (16 zmm accumulators) and 8 x 16 doubles. Measured single-threaded on
// Zen 4, best of 5 on a shared machine (n = 64 / 256 / 512 / 1024, GFLOP/s; FMA peak 116):
// 8 x 32 92 / 105 / 99 / 100, 6 x 64 86 / 103 / 99 / 102, 12 x 32 70 / 97 / 100 / 97, 14 x 32
// worse at small n. Zen 4 runs a zmm FMA as two 256-bit halves, so any tile with >= 12
// accumulators saturates the FMA pipes at large n; 8 rows win at small n because packing
// untransposed A is then one 8 x 8 transpose per 8 depth steps (gemm_pack_x86.h) and the edge
// tiles waste the least of m = 64. Products at most 16 wide take an 8 x 16 tile instead (the
// MLP's 64 x 10 x 256 with B transposed: 43 -> 66-73 GFLOP/s on Zen 5, where 8 x 32 pads 10
// columns to 32).
#include "kernels/simd.h"
#include "kernels/gemm_blocked.h"
#include "kernels/gemm_dot.h"
#include "kernels/gemm_simd.h"

namespace ng::kernels::avx512 {
namespace {
using GemmF32 = BlockedGemm<SimdMicroKernel<F32x16, 8, 2>>;
using GemmF32Narrow = BlockedGemm<SimdMicroKernel<F32x16, 8, 1>>;
// 9 to 12 rows (the MLP's 10 x 256 x 64 weight gradient of its last layer, A transposed) waste
// less of a 12 x 32 tile than of two 8-row ones: 50 -> 58 GFLOP/s on Zen 4. Taller products lose
// with it (256 x 784 x 64: 101 -> 97).
using GemmF32Tall = BlockedGemm<SimdMicroKernel<F32x16, 12, 2>>;
// 4 rows of A by 6 of B: 24 accumulators and 10 loaded rows in 32 registers.
using GemmF32Dot = DotGemm<F32x16, 4, 6>;
using GemmF64 = BlockedGemm<SimdMicroKernel<F64x8, 8, 2>>;

// A @ Bᵀ as dot products (gemm_dot.h) where that beat packing, measured on Zen 4 (one thread,
// best of 3, GFLOP/s packed -> dot): fewer than 16 columns, which the 8 x 16 tile pads
// (64 x 10 x 256 55 -> 81, 64 x 10 x 64 51 -> 59, 1024 x 10 x 256 69 -> 78; at 16 columns
// 101 -> 88), and a short A with a deep product, where packing Bᵀ is a sixth of the work
// (64 x 256 x 784 99 -> 104-108, 32 x 1024 x 1024 90 -> 99; 64 x 128 x 512 102 -> 96,
// 256 x 256 x 256 109 -> 98).
bool dot_pays(const GemmArgs<float>& g) {
    return GemmF32Dot::applies(g) && (g.n < 16 || (g.k >= 768 && g.m <= 128));
}
}  // namespace

void gemm_f32(const GemmArgs<float>& args) {
    if (dot_pays(args)) return GemmF32Dot::run(args);
    if (args.m > 8 && args.m <= 12 && args.n > 16) return GemmF32Tall::run(args);
    args.n <= 16 ? GemmF32Narrow::run(args) : GemmF32::run(args);
}
void gemm_f64(const GemmArgs<double>& args) { GemmF64::run(args); }
void gemm_batched_f32(const GemmArgs<float>& args, const GemmBatch& batch) { GemmF32::run_batched(args, batch); }
void gemm_batched_f64(const GemmArgs<double>& args, const GemmBatch& batch) { GemmF64::run_batched(args, batch); }

}  // namespace ng::kernels::avx512
