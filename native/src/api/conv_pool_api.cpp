// The window exports (ng_im2col, ng_col2im and the pooling family): validate the geometry and
// buffers once, then call the active tier's kernel for the dtype.
#include <cstdint>
#include <limits>

#include "api/guard.h"
#include "api/validate.h"
#include "cpu_dispatch.h"
#include "kernels/conv_pool.h"

namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

// a * b, failing with NG_STATUS_INVALID_SIZE when it cannot be counted in an int64 of bytes.
int64_t checked_product(int64_t a, int64_t b, const char* what) {
    if (a != 0 && b > kInt64Max / a) ng::fail(NG_STATUS_INVALID_SIZE, what, " overflows int64");
    return a * b;
}

void require_window_field(int64_t value, int64_t minimum, const char* name) {
    if (value < minimum) ng::fail(NG_STATUS_INVALID_ARGUMENT, "window->", name, " must be >= ", minimum, ", got ", value);
}

void require_window(const ng_window2d* window) {
    ng::api::require_not_null(window, "window");
    require_window_field(window->kernel_h, 1, "kernel_h");
    require_window_field(window->kernel_w, 1, "kernel_w");
    require_window_field(window->stride_h, 1, "stride_h");
    require_window_field(window->stride_w, 1, "stride_w");
    require_window_field(window->pad_h, 0, "pad_h");
    require_window_field(window->pad_w, 0, "pad_w");
    require_window_field(window->dilation_h, 1, "dilation_h");
    require_window_field(window->dilation_w, 1, "dilation_w");
    constexpr int64_t kLimit = int64_t{1} << 31;
    if (window->kernel_h > kLimit || window->kernel_w > kLimit || window->stride_h > kLimit ||
        window->stride_w > kLimit || window->pad_h > kLimit || window->pad_w > kLimit ||
        window->dilation_h > kLimit || window->dilation_w > kLimit) {
        ng::fail(NG_STATUS_INVALID_ARGUMENT, "window fields must be at most 2^31");
    }
}

// Checks the counts and sizes, and that each buffer's bytes are countable; returns the geometry
// with the element counts of the input side (images * channels planes of in_h x in_w) and the
// output side (images * channels planes of out_h x out_w) in *in_count and *out_count.
ng::Geometry2d require_geometry(const char* images_name, int64_t images, int64_t channels, int64_t in_h, int64_t in_w, int64_t out_h,
                                int64_t out_w, int64_t element_size, int64_t* in_count, int64_t* out_count) {
    ng::api::require_non_negative(images, images_name);
    ng::api::require_non_negative(channels, "channels");
    ng::api::require_non_negative(in_h, "in_h");
    ng::api::require_non_negative(in_w, "in_w");
    ng::api::require_non_negative(out_h, "out_h");
    ng::api::require_non_negative(out_w, "out_w");
    // Positions are out * stride + kernel * dilation with fields up to 2^31: sizes up to 2^31
    // keep every position far inside int64.
    constexpr int64_t kLimit = int64_t{1} << 31;
    if (in_h > kLimit || in_w > kLimit || out_h > kLimit || out_w > kLimit)
        ng::fail(NG_STATUS_INVALID_SIZE, "in_h, in_w, out_h and out_w must be at most 2^31");
    const int64_t planes = checked_product(images, channels, "images x channels");
    *in_count = checked_product(planes, checked_product(in_h, in_w, "in_h x in_w"), "the input's element count");
    *out_count = checked_product(planes, checked_product(out_h, out_w, "out_h x out_w"), "the output's element count");
    checked_product(*in_count, element_size, "the input's byte count");
    checked_product(*out_count, element_size, "the output's byte count");
    return ng::Geometry2d{images, channels, 1, in_h, in_w, out_h, out_w, {}};
}

void require_buffer(const void* pointer, int64_t count, const char* name) {
    if (pointer == nullptr && count > 0) ng::fail(NG_STATUS_NULL_POINTER, name, " must not be NULL when it has ", count, " elements");
}

template <class Run>
void with_float_type(ng_dtype dtype, Run&& run) {
    if (dtype == NG_DTYPE_F32) run(float{});
    else run(double{});
}

const ng::ConvPoolTable& active_window_kernels() { return ng::conv_pool_kernels(ng::active_kernels().tier); }

// im2col and col2im share every check; `to_columns` says which way the copy goes.
void run_columns(bool to_columns, ng_dtype dtype, int64_t images, int64_t channels, int64_t groups, int64_t in_h, int64_t in_w,
                 const ng_window2d* window, int64_t out_h, int64_t out_w, const void* from, void* to) {
    const int64_t size = ng::api::float_element_size(dtype);
    require_window(window);
    int64_t image_count = 0, unused = 0;
    ng::Geometry2d g = require_geometry("images", images, channels, in_h, in_w, out_h, out_w, size, &image_count, &unused);
    g.window = *window;
    if (groups < 1) ng::fail(NG_STATUS_INVALID_ARGUMENT, "groups must be >= 1, got ", groups);
    if (channels % groups != 0)
        ng::fail(NG_STATUS_SHAPE_MISMATCH, "channels (", channels, ") must be a multiple of groups (", groups, ")");
    g.groups = groups;
    const int64_t taps = checked_product(window->kernel_h, window->kernel_w, "kernel_h x kernel_w");
    const int64_t rows = checked_product(checked_product(images, channels, "images x channels"), taps, "the column rows");
    const int64_t column_count = checked_product(rows, checked_product(out_h, out_w, "out_h x out_w"), "the column count");
    checked_product(column_count, size, "the columns' byte count");
    require_buffer(to_columns ? from : to, image_count, "image");
    require_buffer(to_columns ? to : from, column_count, "columns");
    if (column_count == 0 && (to_columns || image_count == 0)) return;
    with_float_type(dtype, [&](auto type) {
        using T = decltype(type);
        const auto& kernels = active_window_kernels().conv<T>();
        if (to_columns) kernels.im2col(g, static_cast<const T*>(from), static_cast<T*>(to));
        else kernels.col2im(g, static_cast<const T*>(from), static_cast<T*>(to));
    });
}

ng::AvgDivisor require_divisor(const ng_window2d* window, int32_t count_include_pad, int64_t divisor_override) {
    if (count_include_pad != 0 && count_include_pad != 1)
        ng::fail(NG_STATUS_INVALID_ARGUMENT, "count_include_pad must be 0 or 1, got ", count_include_pad);
    if (divisor_override < 0) ng::fail(NG_STATUS_INVALID_ARGUMENT, "divisor_override must be >= 0, got ", divisor_override);
    if (window->dilation_h != 1 || window->dilation_w != 1)
        ng::fail(NG_STATUS_INVALID_ARGUMENT, "average pooling has no dilation: window->dilation_h and dilation_w must be 1, got ",
                 window->dilation_h, " and ", window->dilation_w);
    return {count_include_pad == 1, divisor_override};
}

void require_adaptive(int64_t in_h, int64_t in_w, int64_t out_count) {
    if (out_count > 0 && (in_h == 0 || in_w == 0))
        ng::fail(NG_STATUS_SHAPE_MISMATCH, "an output with elements needs a non-empty input plane, got ", in_h, " x ", in_w);
}

}  // namespace

extern "C" {

NG_API ng_status ng_im2col(ng_dtype dtype, int64_t images, int64_t channels, int64_t groups, int64_t in_h, int64_t in_w,
                           const ng_window2d* window, int64_t out_h, int64_t out_w, const void* image, void* columns) {
    return ng::api::guarded("ng_im2col", [&] {
        run_columns(true, dtype, images, channels, groups, in_h, in_w, window, out_h, out_w, image, columns);
    });
}

NG_API ng_status ng_col2im(ng_dtype dtype, int64_t images, int64_t channels, int64_t groups, int64_t in_h, int64_t in_w,
                           const ng_window2d* window, int64_t out_h, int64_t out_w, const void* columns, void* image) {
    return ng::api::guarded("ng_col2im", [&] {
        run_columns(false, dtype, images, channels, groups, in_h, in_w, window, out_h, out_w, columns, image);
    });
}

NG_API ng_status ng_max_pool2d(ng_dtype dtype, int64_t planes, int64_t in_h, int64_t in_w, const ng_window2d* window,
                               int64_t out_h, int64_t out_w, const void* input, void* output, int64_t* indices) {
    return ng::api::guarded("ng_max_pool2d", [&] {
        const int64_t size = ng::api::float_element_size(dtype);
        require_window(window);
        int64_t in_count = 0, out_count = 0;
        ng::Geometry2d g = require_geometry("planes", planes, 1, in_h, in_w, out_h, out_w, size, &in_count, &out_count);
        g.window = *window;
        require_buffer(input, in_count, "input");
        require_buffer(output, out_count, "output");
        if (out_count == 0) return;
        with_float_type(dtype, [&](auto type) {
            using T = decltype(type);
            active_window_kernels().pool<T>().max_pool(g, static_cast<const T*>(input), static_cast<T*>(output), indices);
        });
    });
}

NG_API ng_status ng_max_pool2d_backward(ng_dtype dtype, int64_t planes, int64_t in_h, int64_t in_w, int64_t out_h,
                                        int64_t out_w, const void* grad_output, const int64_t* indices, void* grad_input) {
    return ng::api::guarded("ng_max_pool2d_backward", [&] {
        const int64_t size = ng::api::float_element_size(dtype);
        int64_t in_count = 0, out_count = 0;
        const ng::Geometry2d g = require_geometry("planes", planes, 1, in_h, in_w, out_h, out_w, size, &in_count, &out_count);
        require_buffer(grad_output, out_count, "grad_output");
        require_buffer(indices, out_count, "indices");
        require_buffer(grad_input, in_count, "grad_input");
        // An index is a write position: check them all before writing anything.
        const int64_t plane = in_h * in_w;
        for (int64_t o = 0; o < out_count; ++o) {
            if (indices[o] < -1 || indices[o] >= plane)
                ng::fail(NG_STATUS_INVALID_ARGUMENT, "indices[", o, "] is ", indices[o], ", outside [-1, ", plane, ")");
        }
        if (in_count == 0) return;
        with_float_type(dtype, [&](auto type) {
            using T = decltype(type);
            active_window_kernels().pool<T>().max_pool_backward(g, static_cast<const T*>(grad_output), indices,
                                                                static_cast<T*>(grad_input));
        });
    });
}

NG_API ng_status ng_avg_pool2d(ng_dtype dtype, int64_t planes, int64_t in_h, int64_t in_w, const ng_window2d* window,
                               int64_t out_h, int64_t out_w, int32_t count_include_pad, int64_t divisor_override,
                               const void* input, void* output) {
    return ng::api::guarded("ng_avg_pool2d", [&] {
        const int64_t size = ng::api::float_element_size(dtype);
        require_window(window);
        const ng::AvgDivisor divisor = require_divisor(window, count_include_pad, divisor_override);
        int64_t in_count = 0, out_count = 0;
        ng::Geometry2d g = require_geometry("planes", planes, 1, in_h, in_w, out_h, out_w, size, &in_count, &out_count);
        g.window = *window;
        require_buffer(input, in_count, "input");
        require_buffer(output, out_count, "output");
        if (out_count == 0) return;
        with_float_type(dtype, [&](auto type) {
            using T = decltype(type);
            active_window_kernels().pool<T>().avg_pool(g, divisor, static_cast<const T*>(input), static_cast<T*>(output));
        });
    });
}

NG_API ng_status ng_avg_pool2d_backward(ng_dtype dtype, int64_t planes, int64_t in_h, int64_t in_w,
                                        const ng_window2d* window, int64_t out_h, int64_t out_w,
                                        int32_t count_include_pad, int64_t divisor_override, const void* grad_output,
                                        void* grad_input) {
    return ng::api::guarded("ng_avg_pool2d_backward", [&] {
        const int64_t size = ng::api::float_element_size(dtype);
        require_window(window);
        const ng::AvgDivisor divisor = require_divisor(window, count_include_pad, divisor_override);
        int64_t in_count = 0, out_count = 0;
        ng::Geometry2d g = require_geometry("planes", planes, 1, in_h, in_w, out_h, out_w, size, &in_count, &out_count);
        g.window = *window;
        require_buffer(grad_output, out_count, "grad_output");
        require_buffer(grad_input, in_count, "grad_input");
        if (in_count == 0) return;
        with_float_type(dtype, [&](auto type) {
            using T = decltype(type);
            active_window_kernels().pool<T>().avg_pool_backward(g, divisor, static_cast<const T*>(grad_output),
                                                                static_cast<T*>(grad_input));
        });
    });
}

NG_API ng_status ng_adaptive_avg_pool2d(ng_dtype dtype, int64_t planes, int64_t in_h, int64_t in_w, int64_t out_h,
                                        int64_t out_w, const void* input, void* output) {
    return ng::api::guarded("ng_adaptive_avg_pool2d", [&] {
        const int64_t size = ng::api::float_element_size(dtype);
        int64_t in_count = 0, out_count = 0;
        const ng::Geometry2d g = require_geometry("planes", planes, 1, in_h, in_w, out_h, out_w, size, &in_count, &out_count);
        require_adaptive(in_h, in_w, out_count);
        require_buffer(input, in_count, "input");
        require_buffer(output, out_count, "output");
        if (out_count == 0) return;
        with_float_type(dtype, [&](auto type) {
            using T = decltype(type);
            active_window_kernels().pool<T>().adaptive_avg_pool(g, static_cast<const T*>(input), static_cast<T*>(output));
        });
    });
}

NG_API ng_status ng_adaptive_avg_pool2d_backward(ng_dtype dtype, int64_t planes, int64_t in_h, int64_t in_w,
                                                 int64_t out_h, int64_t out_w, const void* grad_output,
                                                 void* grad_input) {
    return ng::api::guarded("ng_adaptive_avg_pool2d_backward", [&] {
        const int64_t size = ng::api::float_element_size(dtype);
        int64_t in_count = 0, out_count = 0;
        const ng::Geometry2d g = require_geometry("planes", planes, 1, in_h, in_w, out_h, out_w, size, &in_count, &out_count);
        require_adaptive(in_h, in_w, out_count);
        require_buffer(grad_output, out_count, "grad_output");
        require_buffer(grad_input, in_count, "grad_input");
        if (in_count == 0) return;
        with_float_type(dtype, [&](auto type) {
            using T = decltype(type);
            active_window_kernels().pool<T>().adaptive_avg_pool_backward(g, static_cast<const T*>(grad_output),
                                                                         static_cast<T*>(grad_input));
        });
    });
}

}  // extern "C"
