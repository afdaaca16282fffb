// ng_copy, AVX-512 tier (see copy_loops.h). Compiled with the AVX-512 flags; reached only through the
// AVX-512 table.
// Constant data: the table is filled at compile time, so no code of this file runs before dispatch.
#include "kernels/simd.h"
#include "kernels/copy_loops.h"

namespace ng::kernels::avx512 {

constinit const CopyKernels copy_kernels = make_copy_kernels<Avx512Vectors>();

}  // namespace ng::kernels::avx512
