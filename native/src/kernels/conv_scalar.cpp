// im2col / col2im for the scalar tier: the shared loops of conv_loops.h, compiled with the portable build.
#include "kernels/conv_loops.h"

NG_DEFINE_CONV_KERNELS(scalar)
