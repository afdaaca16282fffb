// Every status the window exports (ng_im2col, ng_col2im, the pools and their gradients) can
// return, with the message naming the argument at fault; and that a valid call succeeds.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

#include "test_support.h"

namespace {

using ngtest::failed_with;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();
constexpr ng_window2d kWindow{3, 3, 1, 1, 1, 1, 1, 1};

ng_dtype bad_dtype(int value) { return static_cast<ng_dtype>(value); }

// 2 images of 3 channels, 4 x 5 planes, "same" 3 x 3 windows: 27 column rows of 20.
struct Buffers {
    std::vector<float> image = std::vector<float>(2 * 3 * 4 * 5, 1.0f);
    std::vector<float> columns = std::vector<float>(2 * 27 * 20, 1.0f);
    std::vector<float> pooled = std::vector<float>(6 * 4 * 5, 1.0f);
    std::vector<int64_t> indices = std::vector<int64_t>(6 * 4 * 5, 0);
};

TEST(WindowErrors, ValidCallsSucceed) {
    Buffers b;
    EXPECT_EQ(ng_im2col(NG_DTYPE_F32, 2, 3, 1, 4, 5, &kWindow, 4, 5, b.image.data(), b.columns.data()), NG_STATUS_OK);
    EXPECT_EQ(ng_col2im(NG_DTYPE_F32, 2, 3, 1, 4, 5, &kWindow, 4, 5, b.columns.data(), b.image.data()), NG_STATUS_OK);
    EXPECT_EQ(b.image[0], 4.0f);  // a corner is under 4 window positions, 1 each
    EXPECT_EQ(ng_max_pool2d(NG_DTYPE_F32, 6, 4, 5, &kWindow, 4, 5, b.image.data(), b.pooled.data(), b.indices.data()),
              NG_STATUS_OK);
    EXPECT_EQ(ng_max_pool2d_backward(NG_DTYPE_F32, 6, 4, 5, 4, 5, b.pooled.data(), b.indices.data(), b.image.data()),
              NG_STATUS_OK);
    EXPECT_EQ(ng_avg_pool2d(NG_DTYPE_F32, 6, 4, 5, &kWindow, 4, 5, 1, 0, b.image.data(), b.pooled.data()), NG_STATUS_OK);
    EXPECT_EQ(ng_avg_pool2d_backward(NG_DTYPE_F32, 6, 4, 5, &kWindow, 4, 5, 0, 2, b.pooled.data(), b.image.data()),
              NG_STATUS_OK);
    EXPECT_EQ(ng_adaptive_avg_pool2d(NG_DTYPE_F32, 6, 4, 5, 2, 3, b.image.data(), b.pooled.data()), NG_STATUS_OK);
    EXPECT_EQ(ng_adaptive_avg_pool2d_backward(NG_DTYPE_F32, 6, 4, 5, 2, 3, b.pooled.data(), b.image.data()), NG_STATUS_OK);
}

TEST(WindowErrors, EmptyWorkNeedsNoBuffers) {
    EXPECT_EQ(ng_im2col(NG_DTYPE_F64, 0, 3, 1, 4, 5, &kWindow, 4, 5, nullptr, nullptr), NG_STATUS_OK);
    EXPECT_EQ(ng_max_pool2d(NG_DTYPE_F64, 0, 4, 5, &kWindow, 4, 5, nullptr, nullptr, nullptr), NG_STATUS_OK);
    const std::vector<double> input(6 * 4 * 5, 1.0);
    EXPECT_EQ(ng_max_pool2d(NG_DTYPE_F64, 6, 4, 5, &kWindow, 0, 5, input.data(), nullptr, nullptr), NG_STATUS_OK);
    EXPECT_EQ(ng_adaptive_avg_pool2d(NG_DTYPE_F64, 0, 4, 5, 2, 3, nullptr, nullptr), NG_STATUS_OK);
}

TEST(WindowErrors, DtypesOtherThanFloatsAreRefused) {
    Buffers b;
    EXPECT_TRUE(failed_with(ng_im2col(NG_DTYPE_I64, 2, 3, 1, 4, 5, &kWindow, 4, 5, b.image.data(), b.columns.data()),
                            NG_STATUS_UNSUPPORTED_DTYPE, {"ng_im2col: dtype NG_DTYPE_I64 (2) is not supported"}));
    EXPECT_TRUE(failed_with(ng_max_pool2d(bad_dtype(9), 6, 4, 5, &kWindow, 4, 5, b.image.data(), b.pooled.data(), nullptr),
                            NG_STATUS_INVALID_ARGUMENT, {"ng_max_pool2d: dtype (9) is not an ng_dtype"}));
    EXPECT_TRUE(failed_with(ng_adaptive_avg_pool2d(NG_DTYPE_BOOL, 6, 4, 5, 2, 3, b.image.data(), b.pooled.data()),
                            NG_STATUS_UNSUPPORTED_DTYPE, {"ng_adaptive_avg_pool2d"}));
}

TEST(WindowErrors, WindowFieldsOutOfRangeAreNamed) {
    Buffers b;
    EXPECT_TRUE(failed_with(ng_im2col(NG_DTYPE_F32, 2, 3, 1, 4, 5, nullptr, 4, 5, b.image.data(), b.columns.data()),
                            NG_STATUS_NULL_POINTER, {"ng_im2col: window must not be NULL"}));
    const struct {
        ng_window2d window;
        const char* message;
    } bad[] = {
        {{0, 3, 1, 1, 1, 1, 1, 1}, "window->kernel_h must be >= 1, got 0"},
        {{3, -1, 1, 1, 1, 1, 1, 1}, "window->kernel_w must be >= 1, got -1"},
        {{3, 3, 0, 1, 1, 1, 1, 1}, "window->stride_h must be >= 1, got 0"},
        {{3, 3, 1, 0, 1, 1, 1, 1}, "window->stride_w must be >= 1, got 0"},
        {{3, 3, 1, 1, -1, 1, 1, 1}, "window->pad_h must be >= 0, got -1"},
        {{3, 3, 1, 1, 1, -2, 1, 1}, "window->pad_w must be >= 0, got -2"},
        {{3, 3, 1, 1, 1, 1, 0, 1}, "window->dilation_h must be >= 1, got 0"},
        {{3, 3, 1, 1, 1, 1, 1, 0}, "window->dilation_w must be >= 1, got 0"},
        {{kInt64Max, 3, 1, 1, 1, 1, 1, 1}, "window fields must be at most 2^31"},
    };
    for (const auto& [window, message] : bad) {
        EXPECT_TRUE(failed_with(ng_col2im(NG_DTYPE_F32, 2, 3, 1, 4, 5, &window, 4, 5, b.columns.data(), b.image.data()),
                                NG_STATUS_INVALID_ARGUMENT, {"ng_col2im: ", message}));
        EXPECT_TRUE(failed_with(ng_max_pool2d(NG_DTYPE_F32, 6, 4, 5, &window, 4, 5, b.image.data(), b.pooled.data(), nullptr),
                                NG_STATUS_INVALID_ARGUMENT, {"ng_max_pool2d: ", message}));
    }
}

TEST(WindowErrors, NegativeOrOverflowingSizesAreRefused) {
    Buffers b;
    EXPECT_TRUE(failed_with(ng_im2col(NG_DTYPE_F32, -1, 3, 1, 4, 5, &kWindow, 4, 5, b.image.data(), b.columns.data()),
                            NG_STATUS_INVALID_SIZE, {"images must be >= 0, got -1"}));
    EXPECT_TRUE(failed_with(ng_im2col(NG_DTYPE_F32, 2, -3, 1, 4, 5, &kWindow, 4, 5, b.image.data(), b.columns.data()),
                            NG_STATUS_INVALID_SIZE, {"channels must be >= 0, got -3"}));
    EXPECT_TRUE(failed_with(ng_max_pool2d(NG_DTYPE_F32, -6, 4, 5, &kWindow, 4, 5, b.image.data(), b.pooled.data(), nullptr),
                            NG_STATUS_INVALID_SIZE, {"planes must be >= 0, got -6"}));
    EXPECT_TRUE(failed_with(ng_avg_pool2d(NG_DTYPE_F32, 6, -4, 5, &kWindow, 4, 5, 1, 0, b.image.data(), b.pooled.data()),
                            NG_STATUS_INVALID_SIZE, {"in_h must be >= 0, got -4"}));
    EXPECT_TRUE(failed_with(ng_adaptive_avg_pool2d(NG_DTYPE_F32, 6, 4, -5, 2, 3, b.image.data(), b.pooled.data()),
                            NG_STATUS_INVALID_SIZE, {"in_w must be >= 0, got -5"}));
    EXPECT_TRUE(failed_with(ng_max_pool2d_backward(NG_DTYPE_F32, 6, 4, 5, -1, 5, b.pooled.data(), b.indices.data(), b.image.data()),
                            NG_STATUS_INVALID_SIZE, {"out_h must be >= 0, got -1"}));
    EXPECT_TRUE(failed_with(ng_adaptive_avg_pool2d_backward(NG_DTYPE_F32, 6, 4, 5, 2, -3, b.pooled.data(), b.image.data()),
                            NG_STATUS_INVALID_SIZE, {"out_w must be >= 0, got -3"}));
    EXPECT_TRUE(failed_with(ng_im2col(NG_DTYPE_F32, 2, 3, 1, int64_t{1} << 40, 5, &kWindow, 4, 5, b.image.data(), b.columns.data()),
                            NG_STATUS_INVALID_SIZE, {"must be at most 2^31"}));
    EXPECT_TRUE(failed_with(ng_im2col(NG_DTYPE_F32, kInt64Max, 3, 1, 4, 5, &kWindow, 4, 5, b.image.data(), b.columns.data()),
                            NG_STATUS_INVALID_SIZE, {"overflows int64"}));
    EXPECT_TRUE(failed_with(ng_max_pool2d(NG_DTYPE_F64, int64_t{1} << 40, 1 << 30, 1 << 30, &kWindow, 1, 1, b.image.data(),
                                          b.pooled.data(), nullptr),
                            NG_STATUS_INVALID_SIZE, {"overflows int64"}));
    const ng_window2d huge{1 << 30, 1 << 30, 1, 1, 0, 0, 1, 1};
    EXPECT_TRUE(failed_with(ng_im2col(NG_DTYPE_F64, 1 << 20, 1 << 20, 1, 4, 5, &huge, 4, 5, b.image.data(), b.columns.data()),
                            NG_STATUS_INVALID_SIZE, {"overflows int64"}));
}

TEST(WindowErrors, GroupsMustDivideTheChannels) {
    Buffers b;
    EXPECT_TRUE(failed_with(ng_im2col(NG_DTYPE_F32, 2, 3, 0, 4, 5, &kWindow, 4, 5, b.image.data(), b.columns.data()),
                            NG_STATUS_INVALID_ARGUMENT, {"ng_im2col: groups must be >= 1, got 0"}));
    EXPECT_TRUE(failed_with(ng_col2im(NG_DTYPE_F32, 2, 3, 2, 4, 5, &kWindow, 4, 5, b.columns.data(), b.image.data()),
                            NG_STATUS_SHAPE_MISMATCH, {"ng_col2im: channels (3) must be a multiple of groups (2)"}));
    EXPECT_EQ(ng_im2col(NG_DTYPE_F32, 2, 3, 3, 4, 5, &kWindow, 4, 5, b.image.data(), b.columns.data()), NG_STATUS_OK);
}

TEST(WindowErrors, NullBuffersWithElementsAreRefused) {
    Buffers b;
    EXPECT_TRUE(failed_with(ng_im2col(NG_DTYPE_F32, 2, 3, 1, 4, 5, &kWindow, 4, 5, nullptr, b.columns.data()),
                            NG_STATUS_NULL_POINTER, {"ng_im2col: image must not be NULL when it has 120 elements"}));
    EXPECT_TRUE(failed_with(ng_im2col(NG_DTYPE_F32, 2, 3, 1, 4, 5, &kWindow, 4, 5, b.image.data(), nullptr),
                            NG_STATUS_NULL_POINTER, {"columns must not be NULL when it has 1080 elements"}));
    EXPECT_TRUE(failed_with(ng_col2im(NG_DTYPE_F32, 2, 3, 1, 4, 5, &kWindow, 4, 5, b.columns.data(), nullptr),
                            NG_STATUS_NULL_POINTER, {"ng_col2im: image must not be NULL"}));
    EXPECT_TRUE(failed_with(ng_max_pool2d(NG_DTYPE_F32, 6, 4, 5, &kWindow, 4, 5, nullptr, b.pooled.data(), nullptr),
                            NG_STATUS_NULL_POINTER, {"input must not be NULL"}));
    EXPECT_TRUE(failed_with(ng_max_pool2d(NG_DTYPE_F32, 6, 4, 5, &kWindow, 4, 5, b.image.data(), nullptr, nullptr),
                            NG_STATUS_NULL_POINTER, {"output must not be NULL"}));
    EXPECT_TRUE(failed_with(ng_max_pool2d_backward(NG_DTYPE_F32, 6, 4, 5, 4, 5, b.pooled.data(), nullptr, b.image.data()),
                            NG_STATUS_NULL_POINTER, {"indices must not be NULL"}));
    EXPECT_TRUE(failed_with(ng_max_pool2d_backward(NG_DTYPE_F32, 6, 4, 5, 4, 5, nullptr, b.indices.data(), b.image.data()),
                            NG_STATUS_NULL_POINTER, {"grad_output must not be NULL"}));
    EXPECT_TRUE(failed_with(ng_avg_pool2d_backward(NG_DTYPE_F32, 6, 4, 5, &kWindow, 4, 5, 1, 0, b.pooled.data(), nullptr),
                            NG_STATUS_NULL_POINTER, {"grad_input must not be NULL"}));
    EXPECT_TRUE(failed_with(ng_adaptive_avg_pool2d(NG_DTYPE_F32, 6, 4, 5, 2, 3, b.image.data(), nullptr),
                            NG_STATUS_NULL_POINTER, {"output must not be NULL"}));
    EXPECT_TRUE(failed_with(ng_adaptive_avg_pool2d_backward(NG_DTYPE_F32, 6, 4, 5, 2, 3, nullptr, b.image.data()),
                            NG_STATUS_NULL_POINTER, {"grad_output must not be NULL"}));
}

TEST(WindowErrors, MaxPoolBackwardChecksEveryIndexBeforeWriting) {
    Buffers b;
    b.indices[7] = 20;  // one past a 4 x 5 plane
    EXPECT_TRUE(failed_with(ng_max_pool2d_backward(NG_DTYPE_F32, 6, 4, 5, 4, 5, b.pooled.data(), b.indices.data(), b.image.data()),
                            NG_STATUS_INVALID_ARGUMENT, {"indices[7] is 20, outside [-1, 20)"}));
    EXPECT_EQ(b.image[0], 1.0f);
    b.indices[7] = -2;
    EXPECT_TRUE(failed_with(ng_max_pool2d_backward(NG_DTYPE_F32, 6, 4, 5, 4, 5, b.pooled.data(), b.indices.data(), b.image.data()),
                            NG_STATUS_INVALID_ARGUMENT, {"indices[7] is -2"}));
}

TEST(WindowErrors, AveragePoolingArgumentsAreChecked) {
    Buffers b;
    EXPECT_TRUE(failed_with(ng_avg_pool2d(NG_DTYPE_F32, 6, 4, 5, &kWindow, 4, 5, 2, 0, b.image.data(), b.pooled.data()),
                            NG_STATUS_INVALID_ARGUMENT, {"count_include_pad must be 0 or 1, got 2"}));
    EXPECT_TRUE(failed_with(ng_avg_pool2d_backward(NG_DTYPE_F32, 6, 4, 5, &kWindow, 4, 5, 1, -1, b.pooled.data(), b.image.data()),
                            NG_STATUS_INVALID_ARGUMENT, {"divisor_override must be >= 0, got -1"}));
    const ng_window2d dilated{3, 3, 1, 1, 1, 1, 2, 1};
    EXPECT_TRUE(failed_with(ng_avg_pool2d(NG_DTYPE_F32, 6, 4, 5, &dilated, 4, 5, 1, 0, b.image.data(), b.pooled.data()),
                            NG_STATUS_INVALID_ARGUMENT, {"average pooling has no dilation"}));
    EXPECT_TRUE(failed_with(ng_adaptive_avg_pool2d(NG_DTYPE_F32, 6, 0, 5, 2, 3, b.image.data(), b.pooled.data()),
                            NG_STATUS_SHAPE_MISMATCH, {"needs a non-empty input plane, got 0 x 5"}));
    EXPECT_TRUE(failed_with(ng_adaptive_avg_pool2d_backward(NG_DTYPE_F32, 6, 4, 0, 2, 3, b.pooled.data(), b.image.data()),
                            NG_STATUS_SHAPE_MISMATCH, {"ng_adaptive_avg_pool2d_backward"}));
}

}  // namespace
