// ng_binary and ng_add_scaled, AVX-512 tier (see binary_loops.h). Compiled with the AVX-512 flags; reached only through the
// AVX-512 table.
// Constant data: the table is filled at compile time, so no code of this file runs before dispatch.
#include "kernels/simd.h"
#include "kernels/binary_loops.h"

// What this tier vectorises (a functor that stopped compiling for vectors would silently fall back
// to the element loop): arithmetic (add_scaled too), maximum/minimum and comparisons, but not pow.
static_assert(BinaryVectorForm<AddOp, F32x16> && BinaryVectorForm<MulOp, F64x8> && BinaryVectorForm<SubOp, F32x16> &&
              BinaryVectorForm<DivOp, F64x8> && BinaryVectorForm<MaximumOp, F32x16> &&
              BinaryVectorForm<MinimumOp, F64x8> && BinaryVectorForm<EqOp, F32x16> && BinaryVectorForm<NeOp, F64x8> &&
              BinaryVectorForm<LtOp, F32x16> && BinaryVectorForm<GeOp, F64x8> && !BinaryVectorForm<PowOp, F32x16> &&
              BinaryVectorForm<AddScaledOp<float>, F32x16> && BinaryVectorForm<AddScaledOp<double>, F64x8>);

namespace ng::kernels::avx512 {

constinit const BinaryKernels binary_kernels = make_binary_kernels<Avx512Vectors>();

}  // namespace ng::kernels::avx512
