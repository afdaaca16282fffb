// Kernel tables for the window families: im2col / col2im (convolution) and 2-D pooling. Kept
// apart from kernels.h so the families have their own small table, filled per tier like the
// others: each tier's conv_<tier>.cpp and pool_<tier>.cpp define constant parts, and
// conv_pool_kernels() hands out the one for a tier.
#ifndef NATIVEGRAD_SRC_KERNELS_CONV_POOL_H
#define NATIVEGRAD_SRC_KERNELS_CONV_POOL_H

#include <cstdint>

#include "nativegrad.h"

namespace ng {

// The validated arguments every window kernel shares: `images` blocks of `channels` planes
// (pooling has channels == 1 and images == planes), a window with fields in range, sizes >= 0.
struct Geometry2d {
    int64_t images;
    int64_t channels;
    int64_t groups;  // im2col / col2im only: channels / groups consecutive planes per group
    int64_t in_h, in_w;
    int64_t out_h, out_w;
    ng_window2d window;
};

// How average pooling divides: by `divisor_override` when > 0, else by the padded window size
// (count_include_pad) or by the number of input elements covered.
struct AvgDivisor {
    bool count_include_pad;
    int64_t divisor_override;
};

// One tier's convolution part (im2col, col2im) and pooling part (the rest).
template <class T>
struct ConvKernels {
    void (*im2col)(const Geometry2d& g, const T* image, T* columns);
    void (*col2im)(const Geometry2d& g, const T* columns, T* image);
};
template <class T>
struct PoolKernels {
    void (*max_pool)(const Geometry2d& g, const T* input, T* output, int64_t* indices);
    void (*max_pool_backward)(const Geometry2d& g, const T* grad_output, const int64_t* indices, T* grad_input);
    void (*avg_pool)(const Geometry2d& g, AvgDivisor divisor, const T* input, T* output);
    void (*avg_pool_backward)(const Geometry2d& g, AvgDivisor divisor, const T* grad_output, T* grad_input);
    void (*adaptive_avg_pool)(const Geometry2d& g, const T* input, T* output);
    void (*adaptive_avg_pool_backward)(const Geometry2d& g, const T* grad_output, T* grad_input);
};

struct ConvPoolTable {
    const ConvKernels<float>* conv_f32;
    const ConvKernels<double>* conv_f64;
    const PoolKernels<float>* pool_f32;
    const PoolKernels<double>* pool_f64;

    template <class T>
    const ConvKernels<T>& conv() const {
        if constexpr (sizeof(T) == 4) return *conv_f32;
        else return *conv_f64;
    }
    template <class T>
    const PoolKernels<T>& pool() const {
        if constexpr (sizeof(T) == 4) return *pool_f32;
        else return *pool_f64;
    }
};

// The table of one tier, whether or not this CPU can run it.
const ConvPoolTable& conv_pool_kernels(ng_cpu_tier tier);

#define NG_DECLARE_TIER_WINDOW_KERNELS(tier)         \
    namespace kernels::tier {                        \
    extern const ConvKernels<float> conv_f32;        \
    extern const ConvKernels<double> conv_f64;       \
    extern const PoolKernels<float> pool_f32;        \
    extern const PoolKernels<double> pool_f64;       \
    }

NG_DECLARE_TIER_WINDOW_KERNELS(scalar)
NG_DECLARE_TIER_WINDOW_KERNELS(avx2)
NG_DECLARE_TIER_WINDOW_KERNELS(avx512)

#undef NG_DECLARE_TIER_WINDOW_KERNELS

}  // namespace ng

#endif
