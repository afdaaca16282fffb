// ng_unary, scalar reference tier (see unary_loops.h): plain C++, the tier every other one is tested against.
// Constant data: the table is filled at compile time, so no code of this file runs before dispatch.
#include "kernels/unary_loops.h"

namespace ng::kernels::scalar {

constinit const UnaryKernels unary_kernels = make_unary_kernels<NoVectors>();

}  // namespace ng::kernels::scalar
