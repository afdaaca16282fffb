// ng_reduce, AVX2 tier (see reduce_loops.h). Compiled with -mavx2 -mfma; reached only through the AVX2 table.
// Constant data: the table is filled at compile time, so no code of this file runs before dispatch.
#include "kernels/simd.h"
#include "kernels/reduce_loops.h"

namespace ng::kernels::avx2 {

constinit const ReduceKernels reduce_kernels = make_reduce_kernels<Avx2Vectors>();

}  // namespace ng::kernels::avx2
