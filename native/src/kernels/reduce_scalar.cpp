// ng_reduce, scalar reference tier (see reduce_loops.h): plain C++, the tier every other one is tested against.
// Constant data: the table is filled at compile time, so no code of this file runs before dispatch.
#include "kernels/reduce_loops.h"

namespace ng::kernels::scalar {

constinit const ReduceKernels reduce_kernels = make_reduce_kernels<NoVectors>();

}  // namespace ng::kernels::scalar
