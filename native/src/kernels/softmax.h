// The softmax family's kernel table (ng_softmax, ng_softmax_backward), kept apart from kernels.h like conv_pool.h: each
// tier's softmax_<tier>.cpp defines a constant part and softmax_kernels() hands out a tier's.
#ifndef NATIVEGRAD_SRC_KERNELS_SOFTMAX_H
#define NATIVEGRAD_SRC_KERNELS_SOFTMAX_H

#include <cstdint>

#include "kernels/kernels.h"
#include "nativegrad.h"

namespace ng {

// Each of `rows` contiguous rows of `length` (> 0) elements of x into the same place of out (which
// may be x): softmax, or log-softmax when `log`; see softmax_loops.h for the arithmetic.
using SoftmaxKernel = void (*)(const void* x, int64_t rows, int64_t length, void* out);

// The gradient of those rows: from grad (of the output) and out (the output) into grad_input,
// which overlaps neither; see softmax_loops.h for the arithmetic.
using SoftmaxBackwardKernel = void (*)(const void* grad, const void* out, int64_t rows, int64_t length,
                                       void* grad_input);

struct SoftmaxKernels {
    SoftmaxKernel softmax[kDtypeCount];
    SoftmaxKernel log_softmax[kDtypeCount];
    SoftmaxBackwardKernel softmax_backward[kDtypeCount];
    SoftmaxBackwardKernel log_softmax_backward[kDtypeCount];
};

const SoftmaxKernels& softmax_kernels(ng_cpu_tier tier);

#define NG_DECLARE_SOFTMAX_KERNELS(tier)          \
    namespace kernels::tier {                     \
    extern const SoftmaxKernels softmax_kernels;  \
    }
NG_DECLARE_SOFTMAX_KERNELS(scalar)
NG_DECLARE_SOFTMAX_KERNELS(avx2)
NG_DECLARE_SOFTMAX_KERNELS(avx512)
#undef NG_DECLARE_SOFTMAX_KERNELS

}  // namespace ng

#endif
