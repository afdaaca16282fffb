// ng_unary, AVX-512 tier (see unary_loops.h). Compiled with the AVX-512 flags; reached only through the
// AVX-512 table.
// Constant data: the table is filled at compile time, so no code of this file runs before dispatch.
#include "kernels/simd.h"
#include "kernels/unary_loops.h"

// What this tier vectorises (a functor that stopped compiling for vectors would silently fall back
// to the element loop): the algebraic ops and the float32 transcendentals of transcendentals.h,
// but not float64's (the C library's) nor sin and cos.
static_assert(UnaryVectorForm<NegOp, F32x16> && UnaryVectorForm<AbsOp, F64x8> && UnaryVectorForm<ReluOp, F32x16> &&
              UnaryVectorForm<SqrtOp, F64x8> && UnaryVectorForm<ReciprocalOp, F32x16> &&
              UnaryVectorForm<SignOp, F64x8> && UnaryVectorForm<ExpOp, F32x16> && UnaryVectorForm<LogOp, F32x16> &&
              UnaryVectorForm<TanhOp, F32x16> && UnaryVectorForm<SigmoidOp, F32x16> && UnaryVectorForm<ErfOp, F32x16> &&
              UnaryVectorForm<GeluOp, F32x16> && !UnaryVectorForm<ExpOp, F64x8> && !UnaryVectorForm<GeluOp, F64x8> &&
              !UnaryVectorForm<SinOp, F32x16>);

namespace ng::kernels::avx512 {

constinit const UnaryKernels unary_kernels = make_unary_kernels<Avx512Vectors>();

}  // namespace ng::kernels::avx512
