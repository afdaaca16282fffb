// im2col / col2im for the avx2 tier: the shared loops of conv_loops.h, compiled with -mavx2 -mfma.
#include "kernels/conv_loops.h"

NG_DEFINE_CONV_KERNELS(avx2)
