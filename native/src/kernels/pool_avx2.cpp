// 2-D pooling for the avx2 tier: the shared loops of pool_loops.h, compiled with -mavx2 -mfma.
#include "kernels/pool_loops.h"

NG_DEFINE_POOL_KERNELS(avx2)
