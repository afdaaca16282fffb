// The three softmax tables (see softmax.h), constant data like kernel_tables.cpp's.
#include "kernels/softmax.h"

namespace ng {

const SoftmaxKernels& softmax_kernels(ng_cpu_tier tier) {
#if defined(NG_HAVE_X86_KERNELS)
    switch (tier) {
        case NG_CPU_TIER_AVX2: return kernels::avx2::softmax_kernels;
        case NG_CPU_TIER_AVX512: return kernels::avx512::softmax_kernels;
        default: return kernels::scalar::softmax_kernels;
    }
#else
    (void)tier;
    return kernels::scalar::softmax_kernels;
#endif
}

}  // namespace ng
