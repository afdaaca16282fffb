// ng_copy, scalar reference tier (see copy_loops.h): plain C++, the tier every other one is tested against.
// Constant data: the table is filled at compile time, so no code of this file runs before dispatch.
#include "kernels/copy_loops.h"

namespace ng::kernels::scalar {

constinit const CopyKernels copy_kernels = make_copy_kernels<NoVectors>();

}  // namespace ng::kernels::scalar
