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
    ASSERT_EQ(ng_binary(NG_BINARY_ADD, NG_DTYPE_F32, a.data(), b.data(), out.data(), 100), NG_STATUS_OK);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(out[i], static_cast<float>(i) + 0.5f);
    ASSERT_EQ(ng_binary(NG_BINARY_MUL, NG_DTYPE_F32, a.data(), b.data(), a.data(), 100), NG_STATUS_OK);
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
    ASSERT_EQ(ng_binary(NG_BINARY_MUL, NG_DTYPE_F64, x, y, y, count), NG_STATUS_OK);
    ASSERT_EQ(ng_binary(NG_BINARY_ADD, NG_DTYPE_F64, x, y, x, count), NG_STATUS_OK);
    for (int64_t i = 0; i < count; ++i) EXPECT_EQ(x[i], 3.0 * static_cast<double>(i));
    ng_storage_free(a);
    ng_storage_free(b);
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
