// ng_unary, AVX2 tier (see unary_loops.h). Compiled with -mavx2 -mfma; reached only through the AVX2 table.
// Constant data: the table is filled at compile time, so no code of this file runs before dispatch.
#include "kernels/simd.h"
#include "kernels/unary_loops.h"

// What this tier vectorises (a functor that stopped compiling for vectors would silently fall back
// to the element loop): the algebraic ops, but not the transcendentals.
static_assert(UnaryVectorForm<NegOp, F32x8> && UnaryVectorForm<AbsOp, F64x4> && UnaryVectorForm<ReluOp, F32x8> &&
              UnaryVectorForm<SqrtOp, F64x4> && UnaryVectorForm<ReciprocalOp, F32x8> &&
              UnaryVectorForm<SignOp, F64x4> && !UnaryVectorForm<ExpOp, F32x8> && !UnaryVectorForm<GeluOp, F64x4>);

namespace ng::kernels::avx2 {

constinit const UnaryKernels unary_kernels = make_unary_kernels<Avx2Vectors>();

}  // namespace ng::kernels::avx2
