// ng_where, scalar reference tier (see where_loops.h): plain C++, the tier every other one is tested against.
// Constant data: the table is filled at compile time, so no code of this file runs before dispatch.
#include "kernels/where_loops.h"

namespace ng::kernels::scalar {

constinit const WhereKernels where_kernels = make_where_kernels();

}  // namespace ng::kernels::scalar
