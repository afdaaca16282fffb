// 2-D pooling for the avx512 tier: the shared loops of pool_loops.h, compiled with -mavx512f and friends.
#include "kernels/pool_loops.h"

NG_DEFINE_POOL_KERNELS(avx512)
