// ng_unary, AVX2 tier (see unary_loops.h). Compiled with -mavx2 -mfma; reached only through the AVX2 table.
// Constant data: the table is filled at compile time, so no code of this file runs before dispatch.
#include "kernels/simd.h"
#include "kernels/unary_loops.h"

// What this tier vectorises (a functor that stopped compiling for vectors would silently fall back
// to the element loop): the algebraic ops and the float32 transcendentals of transcendentals.h,
// but not float64's (the C library's) nor sin and cos.
static_assert(UnaryVectorForm<NegOp, F32x8> && UnaryVectorForm<AbsOp, F64x4> && UnaryVectorForm<ReluOp, F32x8> &&
              UnaryVectorForm<SqrtOp, F64x4> && UnaryVectorForm<ReciprocalOp, F32x8> &&
              UnaryVectorForm<SignOp, F64x4> && UnaryVectorForm<ExpOp, F32x8> && UnaryVectorForm<LogOp, F32x8> &&
              UnaryVectorForm<TanhOp, F32x8> && UnaryVectorForm<SigmoidOp, F32x8> && UnaryVectorForm<ErfOp, F32x8> &&
              UnaryVectorForm<GeluOp, F32x8> && !UnaryVectorForm<ExpOp, F64x4> && !UnaryVectorForm<GeluOp, F64x4> &&
              !UnaryVectorForm<SinOp, F32x8>);

namespace ng::kernels::avx2 {

constinit const UnaryKernels unary_kernels = make_unary_kernels<Avx2Vectors>();

}  // namespace ng::kernels::avx2
