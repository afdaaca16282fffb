// ng_gather and ng_scatter by hand (strides, broadcast, index -1, every dtype) and every error.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "test_support.h"

namespace {

using ngtest::failed_with;

// x is 2 x 3 x 2 (outer, length, inner); each (o, j) picks along the middle axis.
TEST(Gather, PicksAlongTheMiddleAxisAndZeroesIndexMinusOne) {
    const float x[12] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    const int64_t strides[] = {6, 2, 1};
    const int64_t index[4] = {2, 0, -1, 1};
    float out[4] = {-1, -1, -1, -1};
    ASSERT_EQ(ng_gather(NG_DTYPE_F32, 2, 3, 2, x, strides, index, out), NG_STATUS_OK) << ng_last_error_message();
    EXPECT_EQ(std::vector<float>(out, out + 4), (std::vector<float>{4, 1, 0, 9}));
    // A class-weight lookup: one row of weights repeated for every position (strides 0, 1, 0).
    const double weight[3] = {0.5, 2, 4};
    const int64_t repeat[] = {0, 1, 0};
    double picked[4];
    ASSERT_EQ(ng_gather(NG_DTYPE_F64, 2, 3, 2, weight, repeat, index, picked), NG_STATUS_OK);
    EXPECT_EQ(std::vector<double>(picked, picked + 4), (std::vector<double>{4, 0.5, 0, 2}));
    const int64_t values[2] = {-7, 9}, row[] = {1, 1, 0}, rowIndex[2] = {1, 0};
    int64_t ints[2];
    ASSERT_EQ(ng_gather(NG_DTYPE_I64, 2, 2, 1, values, row, rowIndex, ints), NG_STATUS_OK);
    EXPECT_EQ(ints[0], 9);
    EXPECT_EQ(ints[1], 9);
}

TEST(Scatter, ZeroesThenWritesAtTheIndices) {
    const float values[4] = {1.5f, -2, 3, 4};
    const int64_t index[4] = {2, 0, -1, 1};
    std::vector<float> out(12, 99);
    ASSERT_EQ(ng_scatter(NG_DTYPE_F32, 2, 3, 2, values, index, out.data()), NG_STATUS_OK) << ng_last_error_message();
    EXPECT_EQ(out, (std::vector<float>{0, -2, 0, 0, 1.5f, 0, 0, 0, 0, 4, 0, 0}));
}

TEST(GatherErrors, EachArgument) {
    const float x[6] = {};
    const int64_t strides[] = {3, 1, 0}, index[2] = {0, 2};
    float out[6];
    EXPECT_TRUE(failed_with(ng_gather(NG_DTYPE_BOOL, 2, 3, 1, x, strides, index, out), NG_STATUS_UNSUPPORTED_DTYPE,
                            {"ng_gather: dtype NG_DTYPE_BOOL (3) is not supported"}));
    EXPECT_TRUE(failed_with(ng_gather(NG_DTYPE_F32, -2, 3, 1, x, strides, index, out), NG_STATUS_INVALID_SIZE,
                            {"ng_gather: outer must be >= 0"}));
    EXPECT_TRUE(failed_with(ng_gather(NG_DTYPE_F32, 2, 3, 1, x, strides, nullptr, out), NG_STATUS_NULL_POINTER,
                            {"ng_gather: index must not be NULL"}));
    EXPECT_TRUE(failed_with(ng_gather(NG_DTYPE_F32, 2, 3, 1, nullptr, strides, index, out), NG_STATUS_NULL_POINTER,
                            {"ng_gather: x must not be NULL"}));
    EXPECT_TRUE(failed_with(ng_gather(NG_DTYPE_F32, 2, 3, 1, x, nullptr, index, out), NG_STATUS_NULL_POINTER,
                            {"ng_gather: x_strides must not be NULL"}));
    EXPECT_TRUE(failed_with(ng_gather(NG_DTYPE_F32, 2, 3, 1, x, strides, index, nullptr), NG_STATUS_NULL_POINTER,
                            {"ng_gather: out must not be NULL"}));
    const int64_t bad[2] = {0, 3};
    out[1] = 5;
    EXPECT_TRUE(failed_with(ng_gather(NG_DTYPE_F32, 2, 3, 1, x, strides, bad, out), NG_STATUS_INVALID_ARGUMENT,
                            {"ng_gather: index[1] is 3, outside [-1, length (3))"}));
    EXPECT_EQ(out[1], 5) << "nothing written";
    const int64_t ignored[2] = {-1, -1};
    EXPECT_EQ(ng_gather(NG_DTYPE_F32, 2, 3, 1, nullptr, strides, ignored, out), NG_STATUS_OK) << "x is never read";
    EXPECT_EQ(ng_gather(NG_DTYPE_F32, 0, 3, 1, nullptr, nullptr, nullptr, nullptr), NG_STATUS_OK) << "no positions";
    EXPECT_TRUE(failed_with(ng_scatter(NG_DTYPE_F32, 2, 3, 1, nullptr, index, out), NG_STATUS_NULL_POINTER,
                            {"ng_scatter: values must not be NULL"}));
    const int64_t negative[2] = {-2, 0};
    EXPECT_TRUE(failed_with(ng_scatter(NG_DTYPE_F32, 2, 3, 1, x, negative, out), NG_STATUS_INVALID_ARGUMENT,
                            {"ng_scatter: index[0] is -2, outside [-1, length (3))"}));
}

}  // namespace
