// im2col and col2im, written once and compiled into each tier's conv_<tier>.cpp with that tier's
// flags: the inner loops are plain copies and adds over a row, which the compiler vectorises for
// the tier (there is no arithmetic a hand-written intrinsic would do better). Anonymous namespace:
// each tier keeps its own copy (see kernels.h).
#ifndef NATIVEGRAD_SRC_KERNELS_CONV_LOOPS_H
#define NATIVEGRAD_SRC_KERNELS_CONV_LOOPS_H

#include <cstdint>

#include "kernels/conv_pool.h"

namespace {

// The output positions [first, last) of a row of `out` windows whose element lands at
// position * stride + base inside [0, size). Everything outside is padding.
struct ValidRange {
    int64_t first, last;
};

ValidRange valid_range(int64_t base, int64_t stride, int64_t size, int64_t out) {
    int64_t first = base >= 0 ? 0 : (-base + stride - 1) / stride;
    int64_t remaining = size - base;
    int64_t last = remaining <= 0 ? 0 : (remaining + stride - 1) / stride;
    if (last > out) last = out;
    if (first > last) first = last;
    return {first, last};
}

// Calls visit(first column entry, input row or null when the row is padding, column offset of the
// window element, valid range) for every output row of every column-matrix row; shared by im2col
// and col2im so both walk exactly the same positions.
template <class T, class Image, class Visit>
void for_each_window_row(const ng::Geometry2d& g, Image* image, Visit&& visit) {
    const ng_window2d& w = g.window;
    const int64_t plane_size = g.in_h * g.in_w;
    const int64_t columns_per_row = g.out_h * g.out_w;
    const int64_t group_channels = g.channels / g.groups;
    int64_t row_index = 0;
    for (int64_t block = 0; block < g.images * g.groups; ++block) {
        Image* group_image = image + block * group_channels * plane_size;
        for (int64_t i = 0; i < w.kernel_h; ++i) {
            for (int64_t j = 0; j < w.kernel_w; ++j) {
                const int64_t column_base = j * w.dilation_w - w.pad_w;
                const ValidRange range = valid_range(column_base, w.stride_w, g.in_w, g.out_w);
                for (int64_t c = 0; c < group_channels; ++c, ++row_index) {
                    Image* source = group_image + c * plane_size;
                    for (int64_t oh = 0; oh < g.out_h; ++oh) {
                        const int64_t ih = oh * w.stride_h - w.pad_h + i * w.dilation_h;
                        const int64_t column = row_index * columns_per_row + oh * g.out_w;
                        if (ih < 0 || ih >= g.in_h) visit(column, nullptr, column_base, ValidRange{0, 0});
                        else visit(column, source + ih * g.in_w, column_base, range);
                    }
                }
            }
        }
    }
}

template <class T>
void im2col(const ng::Geometry2d& g, const T* image, T* columns) {
    const int64_t stride = g.window.stride_w, out_w = g.out_w;
    for_each_window_row<T>(g, image, [&](int64_t column, const T* row, int64_t base, ValidRange range) {
        T* out = columns + column;
        for (int64_t ow = 0; ow < range.first; ++ow) out[ow] = T(0);
        // A padding row has no input (row is NULL, the range empty): form no pointer from it, nor
        // one before the row's first valid element (base may be negative).
        if (stride == 1 && range.first < range.last) {
            const T* in = row + (base + range.first);
            for (int64_t ow = range.first; ow < range.last; ++ow) out[ow] = in[ow - range.first];
        } else {
            for (int64_t ow = range.first; ow < range.last; ++ow) out[ow] = row[ow * stride + base];
        }
        for (int64_t ow = range.last; ow < out_w; ++ow) out[ow] = T(0);
    });
}

template <class T>
void col2im(const ng::Geometry2d& g, const T* columns, T* image) {
    const int64_t total = g.images * g.channels * g.in_h * g.in_w;
    for (int64_t e = 0; e < total; ++e) image[e] = T(0);
    const int64_t stride = g.window.stride_w;
    for_each_window_row<T>(g, image, [&](int64_t column, T* row, int64_t base, ValidRange range) {
        const T* in = columns + column;
        if (stride == 1 && range.first < range.last) {  // as in im2col
            T* out = row + (base + range.first);
            for (int64_t ow = range.first; ow < range.last; ++ow) out[ow - range.first] += in[ow];
        } else {
            for (int64_t ow = range.first; ow < range.last; ++ow) row[ow * stride + base] += in[ow];
        }
    });
}

}  // namespace

#define NG_DEFINE_CONV_KERNELS(tier)                                                   \
    namespace ng::kernels::tier {                                                      \
    constinit const ConvKernels<float> conv_f32{&im2col<float>, &col2im<float>};       \
    constinit const ConvKernels<double> conv_f64{&im2col<double>, &col2im<double>};    \
    }

#endif
