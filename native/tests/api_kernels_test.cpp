// The kernels through the C ABI, on whichever tier is active in this process.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <vector>

#include "test_support.h"

namespace {

TEST(BinaryApi, AddsAndMultipliesFloat32) {
    std::vector<float> a(100), b(100), out(100);
    for (int i = 0; i < 100; ++i) {
        a[i] = static_cast<float>(i);
        b[i] = 0.5f;
    }
    const int64_t shape[] = {100}, strides[] = {1};
    ASSERT_EQ(ng_binary(NG_BINARY_ADD, NG_DTYPE_F32, 1, shape, a.data(), strides, b.data(), strides, out.data()),
              NG_STATUS_OK);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(out[i], static_cast<float>(i) + 0.5f);
    ASSERT_EQ(ng_binary(NG_BINARY_MUL, NG_DTYPE_F32, 1, shape, a.data(), strides, b.data(), strides, a.data()),
              NG_STATUS_OK);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(a[i], static_cast<float>(i) * 0.5f);
}

TEST(BinaryApi, AddsAndMultipliesFloat64InStorage) {
    constexpr int64_t count = 1000;
    void* a = nullptr;
    void* b = nullptr;
    ASSERT_EQ(ng_storage_alloc(count * 8, &a), NG_STATUS_OK);
    ASSERT_EQ(ng_storage_alloc(count * 8, &b), NG_STATUS_OK);
    auto* x = static_cast<double*>(a);
    auto* y = static_cast<double*>(b);
    for (int64_t i = 0; i < count; ++i) {
        x[i] = static_cast<double>(i);
        y[i] = 2.0;
    }
    // As a 10 x 100 matrix: y = x * y, then x = x + y.
    const int64_t shape[] = {10, 100}, strides[] = {100, 1};
    ASSERT_EQ(ng_binary(NG_BINARY_MUL, NG_DTYPE_F64, 2, shape, x, strides, y, strides, y), NG_STATUS_OK);
    ASSERT_EQ(ng_binary(NG_BINARY_ADD, NG_DTYPE_F64, 2, shape, x, strides, y, strides, x), NG_STATUS_OK);
    for (int64_t i = 0; i < count; ++i) EXPECT_EQ(x[i], 3.0 * static_cast<double>(i));
    ng_storage_free(a);
    ng_storage_free(b);
}

// [[1, 2, 3], [4, 5, 6]] - [10, 20, 30] (broadcast over rows), and == the same matrix read transposed.
TEST(BinaryApi, BroadcastsAndReadsTransposedOperands) {
    const float a[] = {1, 2, 3, 4, 5, 6}, row[] = {10, 20, 30};
    float out[6];
    const int64_t shape[] = {2, 3}, a_strides[] = {3, 1}, row_strides[] = {0, 1};
    ASSERT_EQ(ng_binary(NG_BINARY_SUB, NG_DTYPE_F32, 2, shape, a, a_strides, row, row_strides, out), NG_STATUS_OK);
    EXPECT_EQ(std::vector<float>(out, out + 6), (std::vector<float>{-9, -18, -27, -6, -15, -24}));

    // b is a stored transposed (3 x 2), read back through strides (1, 2): equal everywhere.
    const float a_t[] = {1, 4, 2, 5, 3, 6};
    const int64_t t_strides[] = {1, 2};
    uint8_t equal[6];
    ASSERT_EQ(ng_binary(NG_BINARY_EQ, NG_DTYPE_F32, 2, shape, a, a_strides, a_t, t_strides, equal), NG_STATUS_OK);
    for (uint8_t value : equal) EXPECT_EQ(value, 1);

    // A 0-d scalar times a 0-d scalar, with NULL stride arrays.
    const double x = 3.0, y = -2.0;
    double z = 0;
    ASSERT_EQ(ng_binary(NG_BINARY_MUL, NG_DTYPE_F64, 0, nullptr, &x, nullptr, &y, nullptr, &z), NG_STATUS_OK);
    EXPECT_EQ(z, -6.0);
}

TEST(BinaryApi, IntegerPowerAndEmptyShapes) {
    const int64_t a[] = {2, -3, 10}, b[] = {10, 3, 0};
    int64_t out[3];
    const int64_t shape[] = {3}, strides[] = {1};
    ASSERT_EQ(ng_binary(NG_BINARY_POW, NG_DTYPE_I64, 1, shape, a, strides, b, strides, out), NG_STATUS_OK);
    EXPECT_EQ(std::vector<int64_t>(out, out + 3), (std::vector<int64_t>{1024, -27, 1}));
    // Negative exponents are values, not errors (PyTorch's tensor ** tensor), through a broadcast b too.
    const int64_t bases[] = {1, -1, 7}, minus_three[] = {-3}, broadcast[] = {0};
    ASSERT_EQ(ng_binary(NG_BINARY_POW, NG_DTYPE_I64, 1, shape, bases, strides, minus_three, broadcast, out), NG_STATUS_OK);
    EXPECT_EQ(std::vector<int64_t>(out, out + 3), (std::vector<int64_t>{1, -1, 0}));
    const int64_t empty[] = {4, 0};
    const int64_t empty_strides[] = {0, 1};
    EXPECT_EQ(ng_binary(NG_BINARY_ADD, NG_DTYPE_F32, 2, empty, nullptr, empty_strides, nullptr, empty_strides, nullptr),
              NG_STATUS_OK);
}

TEST(UnaryApi, ComputesInPlace) {
    std::vector<double> x = {1.0, 4.0, -9.0};
    ASSERT_EQ(ng_unary(NG_UNARY_ABS, NG_DTYPE_F64, x.data(), x.data(), 3), NG_STATUS_OK);
    ASSERT_EQ(ng_unary(NG_UNARY_SQRT, NG_DTYPE_F64, x.data(), x.data(), 3), NG_STATUS_OK);
    EXPECT_EQ(x, (std::vector<double>{1.0, 2.0, 3.0}));
    float y[] = {0.0f};
    ASSERT_EQ(ng_unary(NG_UNARY_EXP, NG_DTYPE_F32, y, y, 1), NG_STATUS_OK);
    EXPECT_EQ(y[0], 1.0f);
    EXPECT_EQ(ng_unary(NG_UNARY_EXP, NG_DTYPE_F32, nullptr, nullptr, 0), NG_STATUS_OK);
}

TEST(WhereApi, PicksWithBroadcastOperands) {
    const uint8_t cond[] = {1, 0, 0, 1};
    const int64_t a[] = {1, 2, 3, 4};
    const int64_t zero = 0;
    int64_t out[4];
    const int64_t shape[] = {2, 2}, strides[] = {2, 1}, scalar[] = {0, 0};
    ASSERT_EQ(ng_where(NG_DTYPE_I64, 2, shape, cond, strides, a, strides, &zero, scalar, out), NG_STATUS_OK);
    EXPECT_EQ(std::vector<int64_t>(out, out + 4), (std::vector<int64_t>{1, 0, 0, 4}));
}

TEST(CopyApi, TransposesCastsAndFills) {
    // contiguous() of a transposed 2 x 3 view, converting F64 -> F32.
    const double src[] = {1, 4, 2, 5, 3, 6};  // a 3 x 2 matrix; its transpose is [[1, 2, 3], [4, 5, 6]]
    float dst[6];
    const int64_t shape[] = {2, 3}, src_strides[] = {1, 2}, dst_strides[] = {3, 1};
    ASSERT_EQ(ng_copy(2, shape, NG_DTYPE_F64, src, src_strides, NG_DTYPE_F32, dst, dst_strides), NG_STATUS_OK);
    EXPECT_EQ(std::vector<float>(dst, dst + 6), (std::vector<float>{1, 2, 3, 4, 5, 6}));

    // A fill: a stride-0 bool source into every other element of an I64 buffer.
    const uint8_t one = 1;
    int64_t ints[6] = {9, 9, 9, 9, 9, 9};
    const int64_t fill_shape[] = {3}, zero[] = {0}, every_other[] = {2};
    ASSERT_EQ(ng_copy(1, fill_shape, NG_DTYPE_BOOL, &one, zero, NG_DTYPE_I64, ints, every_other), NG_STATUS_OK);
    EXPECT_EQ(std::vector<int64_t>(ints, ints + 6), (std::vector<int64_t>{1, 9, 1, 9, 1, 9}));
}

TEST(ReduceApi, ReducesRowsWithIndices) {
    const float x[] = {3, 1, 4, 1, 5, 9, 2, 6, 5};
    float out[3];
    int64_t indices[3] = {-1, -1, -1};
    ASSERT_EQ(ng_reduce(NG_REDUCE_MAX, NG_DTYPE_F32, x, 3, 3, out, indices), NG_STATUS_OK);
    EXPECT_EQ(std::vector<float>(out, out + 3), (std::vector<float>{4, 9, 6}));
    EXPECT_EQ(std::vector<int64_t>(indices, indices + 3), (std::vector<int64_t>{2, 2, 1}));
    ASSERT_EQ(ng_reduce(NG_REDUCE_MIN, NG_DTYPE_F32, x, 1, 9, out, nullptr), NG_STATUS_OK);
    EXPECT_EQ(out[0], 1);
    ASSERT_EQ(ng_reduce(NG_REDUCE_SUM, NG_DTYPE_F32, x, 1, 9, out, indices), NG_STATUS_OK);
    EXPECT_EQ(out[0], 36);
    EXPECT_EQ(indices[0], 2) << "SUM leaves out_indices alone";
    double empty_sums[2] = {7, 7};
    ASSERT_EQ(ng_reduce(NG_REDUCE_SUM, NG_DTYPE_F64, nullptr, 2, 0, empty_sums, nullptr), NG_STATUS_OK);
    EXPECT_EQ(empty_sums[0], 0.0);
    EXPECT_EQ(empty_sums[1], 0.0);
}

TEST(GemmApi, HandComputedProductBothDtypes) {
    // [[1, 2, 3], [4, 5, 6]] @ [[7, 8], [9, 10], [11, 12]] = [[58, 64], [139, 154]]
    const float af[] = {1, 2, 3, 4, 5, 6}, bf[] = {7, 8, 9, 10, 11, 12};
    float cf[4];
    std::fill(std::begin(cf), std::end(cf), std::numeric_limits<float>::quiet_NaN());
    ASSERT_EQ(ng_gemm(NG_DTYPE_F32, 0, 0, 2, 2, 3, 1.0, af, 3, bf, 2, 0.0, cf, 2), NG_STATUS_OK);
    EXPECT_EQ(cf[0], 58);
    EXPECT_EQ(cf[1], 64);
    EXPECT_EQ(cf[2], 139);
    EXPECT_EQ(cf[3], 154);

    // Transposed storage of both, alpha = 0.5, beta = 1 on C = 1.
    const double at[] = {1, 4, 2, 5, 3, 6}, bt[] = {7, 9, 11, 8, 10, 12};
    double cd[] = {1, 1, 1, 1};
    ASSERT_EQ(ng_gemm(NG_DTYPE_F64, 1, 1, 2, 2, 3, 0.5, at, 2, bt, 3, 1.0, cd, 2), NG_STATUS_OK);
    EXPECT_EQ(cd[0], 30);
    EXPECT_EQ(cd[1], 33);
    EXPECT_EQ(cd[2], 70.5);
    EXPECT_EQ(cd[3], 78);
}

TEST(GemmApi, EmptyDepthScalesC) {
    double c[] = {1, 2, 3, 4};
    ASSERT_EQ(ng_gemm(NG_DTYPE_F64, 0, 0, 2, 2, 0, 1.0, nullptr, 0, nullptr, 2, 3.0, c, 2), NG_STATUS_OK);
    EXPECT_EQ(c[0], 3);
    EXPECT_EQ(c[3], 12);
}

TEST(GemmApi, BetaZeroIgnoresNaNInC) {
    const float a[] = {1, 2}, b[] = {3, 4};
    float c = std::numeric_limits<float>::quiet_NaN();
    ASSERT_EQ(ng_gemm(NG_DTYPE_F32, 0, 0, 1, 1, 2, 1.0, a, 2, b, 1, 0.0, &c, 1), NG_STATUS_OK);
    EXPECT_EQ(c, 11.0f);
}

}  // namespace
