// ng_binary and ng_add_scaled, AVX2 tier (see binary_loops.h). Compiled with -mavx2 -mfma; reached only through the AVX2 table.
// Constant data: the table is filled at compile time, so no code of this file runs before dispatch.
#include "kernels/simd.h"
#include "kernels/binary_loops.h"

// What this tier vectorises (a functor that stopped compiling for vectors would silently fall back
// to the element loop): arithmetic (add_scaled too), maximum/minimum and comparisons, but not pow.
static_assert(BinaryVectorForm<AddOp, F32x8> && BinaryVectorForm<MulOp, F64x4> && BinaryVectorForm<SubOp, F32x8> &&
              BinaryVectorForm<DivOp, F64x4> && BinaryVectorForm<MaximumOp, F32x8> &&
              BinaryVectorForm<MinimumOp, F64x4> && BinaryVectorForm<EqOp, F32x8> && BinaryVectorForm<NeOp, F64x4> &&
              BinaryVectorForm<LtOp, F32x8> && BinaryVectorForm<GeOp, F64x4> && !BinaryVectorForm<PowOp, F32x8> &&
              BinaryVectorForm<AddScaledOp<float>, F32x8> && BinaryVectorForm<AddScaledOp<double>, F64x4>);

namespace ng::kernels::avx2 {

constinit const BinaryKernels binary_kernels = make_binary_kernels<Avx2Vectors>();

}  // namespace ng::kernels::avx2
