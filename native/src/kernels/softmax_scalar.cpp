// ng_softmax, scalar reference tier: plain C++ (see softmax_loops.h).
#include "kernels/softmax_loops.h"

namespace ng::kernels::scalar {

constinit const SoftmaxKernels softmax_kernels = make_softmax_kernels<NoVectors>();

}  // namespace ng::kernels::scalar
