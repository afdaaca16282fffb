// ng_where, AVX2 tier (see where_loops.h). Compiled with -mavx2 -mfma; reached only through the AVX2 table.
// Constant data: the table is filled at compile time, so no code of this file runs before dispatch.
#include "kernels/where_loops.h"

namespace ng::kernels::avx2 {

constinit const WhereKernels where_kernels = make_where_kernels();

}  // namespace ng::kernels::avx2
