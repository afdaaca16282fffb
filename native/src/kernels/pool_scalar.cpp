// 2-D pooling for the scalar tier: the shared loops of pool_loops.h, compiled with the portable build.
#include "kernels/pool_loops.h"

NG_DEFINE_POOL_KERNELS(scalar)
