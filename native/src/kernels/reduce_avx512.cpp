// ng_reduce, AVX-512 tier (see reduce_loops.h). Compiled with the AVX-512 flags; reached only through the
// AVX-512 table.
// Constant data: the table is filled at compile time, so no code of this file runs before dispatch.
#include "kernels/simd.h"
#include "kernels/reduce_loops.h"

namespace ng::kernels::avx512 {

constinit const ReduceKernels reduce_kernels = make_reduce_kernels<Avx512Vectors>();

}  // namespace ng::kernels::avx512
