// 2-D pooling loops (max with indices, average, adaptive average, and their gradients), written
// once and compiled into each tier's pool_<tier>.cpp with that tier's flags. Windows are small and
// strided, so the work is scalar per window; the tiers share this portable code rather than carry
// intrinsics that would not pay. Anonymous namespace: each tier keeps its own copy (see kernels.h).
// The arithmetic follows PyTorch's CPU kernels step for step, so results match to the last bit.
#ifndef NATIVEGRAD_SRC_KERNELS_POOL_LOOPS_H
#define NATIVEGRAD_SRC_KERNELS_POOL_LOOPS_H

#include <cstdint>

#include "kernels/conv_pool.h"

namespace {

int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

template <class T>
void max_pool(const ng::Geometry2d& g, const T* input, T* output, int64_t* indices) {
    const ng_window2d& w = g.window;
    const T negative_infinity = -static_cast<T>(__builtin_inf());
    for (int64_t p = 0; p < g.images; ++p) {
        const T* in = input + p * g.in_h * g.in_w;
        for (int64_t oh = 0; oh < g.out_h; ++oh) {
            int64_t h0 = oh * w.stride_h - w.pad_h;
            const int64_t h1 = min64(h0 + (w.kernel_h - 1) * w.dilation_h + 1, g.in_h);
            while (h0 < 0) h0 += w.dilation_h;
            for (int64_t ow = 0; ow < g.out_w; ++ow) {
                int64_t w0 = ow * w.stride_w - w.pad_w;
                const int64_t w1 = min64(w0 + (w.kernel_w - 1) * w.dilation_w + 1, g.in_w);
                while (w0 < 0) w0 += w.dilation_w;
                T best = negative_infinity;
                int64_t best_index = (h0 < h1 && w0 < w1) ? h0 * g.in_w + w0 : -1;
                for (int64_t ih = h0; ih < h1; ih += w.dilation_h) {
                    for (int64_t iw = w0; iw < w1; iw += w.dilation_w) {
                        const T value = in[ih * g.in_w + iw];
                        // NaN wins, as in PyTorch (a later NaN takes the index).
                        if (value > best || value != value) {
                            best = value;
                            best_index = ih * g.in_w + iw;
                        }
                    }
                }
                const int64_t o = (p * g.out_h + oh) * g.out_w + ow;
                output[o] = best;
                if (indices != nullptr) indices[o] = best_index;
            }
        }
    }
}

template <class T>
void max_pool_backward(const ng::Geometry2d& g, const T* grad_output, const int64_t* indices, T* grad_input) {
    const int64_t plane = g.in_h * g.in_w, out_plane = g.out_h * g.out_w;
    for (int64_t e = 0; e < g.images * plane; ++e) grad_input[e] = T(0);
    for (int64_t p = 0; p < g.images; ++p) {
        T* gin = grad_input + p * plane;
        for (int64_t o = p * out_plane; o < (p + 1) * out_plane; ++o)
            if (indices[o] >= 0) gin[indices[o]] += grad_output[o];
    }
}

// One average-pooling window clipped to the plane, and what its sum is divided by (PyTorch's
// avg_pool2d: the size counts padding up to the padded edge, not past it).
struct AvgWindow {
    int64_t h0, h1, w0, w1;
    int64_t divisor;
};

AvgWindow avg_window(const ng::Geometry2d& g, ng::AvgDivisor d, int64_t oh, int64_t ow) {
    const ng_window2d& w = g.window;
    int64_t h0 = oh * w.stride_h - w.pad_h, w0 = ow * w.stride_w - w.pad_w;
    int64_t h1 = min64(h0 + w.kernel_h, g.in_h + w.pad_h), w1 = min64(w0 + w.kernel_w, g.in_w + w.pad_w);
    const int64_t padded_size = (h1 - h0) * (w1 - w0);
    h0 = max64(h0, 0);
    w0 = max64(w0, 0);
    h1 = min64(h1, g.in_h);
    w1 = min64(w1, g.in_w);
    const int64_t divisor = d.divisor_override > 0 ? d.divisor_override
                            : d.count_include_pad  ? padded_size
                                                   : (h1 - h0) * (w1 - w0);
    return {h0, h1, w0, w1, divisor};
}

template <class T>
void avg_pool(const ng::Geometry2d& g, ng::AvgDivisor d, const T* input, T* output) {
    for (int64_t p = 0; p < g.images; ++p) {
        const T* in = input + p * g.in_h * g.in_w;
        for (int64_t oh = 0; oh < g.out_h; ++oh) {
            for (int64_t ow = 0; ow < g.out_w; ++ow) {
                const AvgWindow a = avg_window(g, d, oh, ow);
                T& out = output[(p * g.out_h + oh) * g.out_w + ow];
                if (a.h0 >= a.h1 || a.w0 >= a.w1) {
                    out = T(0);
                    continue;
                }
                T sum = T(0);
                for (int64_t ih = a.h0; ih < a.h1; ++ih)
                    for (int64_t iw = a.w0; iw < a.w1; ++iw) sum += in[ih * g.in_w + iw];
                out = sum / static_cast<T>(a.divisor);
            }
        }
    }
}

template <class T>
void avg_pool_backward(const ng::Geometry2d& g, ng::AvgDivisor d, const T* grad_output, T* grad_input) {
    const int64_t plane = g.in_h * g.in_w;
    for (int64_t e = 0; e < g.images * plane; ++e) grad_input[e] = T(0);
    for (int64_t p = 0; p < g.images; ++p) {
        T* gin = grad_input + p * plane;
        for (int64_t oh = 0; oh < g.out_h; ++oh) {
            for (int64_t ow = 0; ow < g.out_w; ++ow) {
                const AvgWindow a = avg_window(g, d, oh, ow);
                if (a.h0 >= a.h1 || a.w0 >= a.w1) continue;
                const T share = grad_output[(p * g.out_h + oh) * g.out_w + ow] / static_cast<T>(a.divisor);
                for (int64_t ih = a.h0; ih < a.h1; ++ih)
                    for (int64_t iw = a.w0; iw < a.w1; ++iw) gin[ih * g.in_w + iw] += share;
            }
        }
    }
}

// Adaptive windows: [floor(o * in / out), ceil((o + 1) * in / out)).
int64_t adaptive_start(int64_t o, int64_t in, int64_t out) { return o * in / out; }
int64_t adaptive_end(int64_t o, int64_t in, int64_t out) { return ((o + 1) * in + out - 1) / out; }

template <class T>
void adaptive_avg_pool(const ng::Geometry2d& g, const T* input, T* output) {
    for (int64_t p = 0; p < g.images; ++p) {
        const T* in = input + p * g.in_h * g.in_w;
        for (int64_t oh = 0; oh < g.out_h; ++oh) {
            const int64_t h0 = adaptive_start(oh, g.in_h, g.out_h), h1 = adaptive_end(oh, g.in_h, g.out_h);
            for (int64_t ow = 0; ow < g.out_w; ++ow) {
                const int64_t w0 = adaptive_start(ow, g.in_w, g.out_w), w1 = adaptive_end(ow, g.in_w, g.out_w);
                T sum = T(0);
                for (int64_t ih = h0; ih < h1; ++ih)
                    for (int64_t iw = w0; iw < w1; ++iw) sum += in[ih * g.in_w + iw];
                output[(p * g.out_h + oh) * g.out_w + ow] = sum / static_cast<T>((h1 - h0) * (w1 - w0));
            }
        }
    }
}

template <class T>
void adaptive_avg_pool_backward(const ng::Geometry2d& g, const T* grad_output, T* grad_input) {
    const int64_t plane = g.in_h * g.in_w;
    for (int64_t e = 0; e < g.images * plane; ++e) grad_input[e] = T(0);
    for (int64_t p = 0; p < g.images; ++p) {
        T* gin = grad_input + p * plane;
        for (int64_t oh = 0; oh < g.out_h; ++oh) {
            const int64_t h0 = adaptive_start(oh, g.in_h, g.out_h), h1 = adaptive_end(oh, g.in_h, g.out_h);
            for (int64_t ow = 0; ow < g.out_w; ++ow) {
                const int64_t w0 = adaptive_start(ow, g.in_w, g.out_w), w1 = adaptive_end(ow, g.in_w, g.out_w);
                const T share = grad_output[(p * g.out_h + oh) * g.out_w + ow] / static_cast<T>((h1 - h0) * (w1 - w0));
                for (int64_t ih = h0; ih < h1; ++ih)
                    for (int64_t iw = w0; iw < w1; ++iw) gin[ih * g.in_w + iw] += share;
            }
        }
    }
}

}  // namespace

#define NG_DEFINE_POOL_KERNELS(tier)                                                                   \
    namespace ng::kernels::tier {                                                                      \
    constinit const PoolKernels<float> pool_f32{&max_pool<float>, &max_pool_backward<float>,           \
                                                &avg_pool<float>, &avg_pool_backward<float>,           \
                                                &adaptive_avg_pool<float>,                             \
                                                &adaptive_avg_pool_backward<float>};                   \
    constinit const PoolKernels<double> pool_f64{&max_pool<double>, &max_pool_backward<double>,        \
                                                 &avg_pool<double>, &avg_pool_backward<double>,        \
                                                 &adaptive_avg_pool<double>,                           \
                                                 &adaptive_avg_pool_backward<double>};                 \
    }

#endif
