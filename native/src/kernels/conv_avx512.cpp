// im2col / col2im for the avx512 tier: the shared loops of conv_loops.h, compiled with -mavx512f and friends.
#include "kernels/conv_loops.h"

NG_DEFINE_CONV_KERNELS(avx512)
