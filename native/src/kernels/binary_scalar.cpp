// ng_binary and ng_add_scaled, scalar reference tier (see binary_loops.h): plain C++, the tier every other one is tested against.
// Constant data: the table is filled at compile time, so no code of this file runs before dispatch.
#include "kernels/binary_loops.h"

namespace ng::kernels::scalar {

constinit const BinaryKernels binary_kernels = make_binary_kernels<NoVectors>();

}  // namespace ng::kernels::scalar
