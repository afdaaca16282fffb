// ng_where, AVX-512 tier (see where_loops.h). Compiled with the AVX-512 flags; reached only through the
// AVX-512 table.
// Constant data: the table is filled at compile time, so no code of this file runs before dispatch.
#include "kernels/where_loops.h"

namespace ng::kernels::avx512 {

constinit const WhereKernels where_kernels = make_where_kernels();

}  // namespace ng::kernels::avx512
