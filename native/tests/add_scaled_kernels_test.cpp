// Every tier's ng_add_scaled row kernels against a + alpha * b rounded once, computed here with
// exact_fma.h's fused_multiply_add (int64 by wrapping unsigned arithmetic), element by element: not
// std::fma, which MinGW's runtime rounds twice (exact_fma_test.cpp holds fused_multiply_add to the
// CPU's FMA instruction). Every dtype, every length from 0 past two vectors of the widest tier,
// every stride pattern a row can have, in place too.
// Then the export itself on a broadcast, and the values where one rounding and two differ.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <vector>

#include "kernels/exact_fma.h"
#include "kernels/kernels.h"
#include "test_support.h"

namespace {

using ngtest::same_value;

constexpr int64_t kMaxLength = 40;  // > 2 x 16 floats and > 2 x 8 doubles (AVX-512)

template <class T>
T expected_value(T a, T alpha, T b) {
    if constexpr (std::is_floating_point_v<T>) {
        return fused_multiply_add(alpha, b, a);
    } else {
        return static_cast<T>(static_cast<uint64_t>(a) + static_cast<uint64_t>(alpha) * static_cast<uint64_t>(b));
    }
}

template <class T>
void expect_row_is_fused(ng_cpu_tier tier, ng_dtype dtype, int64_t length, int64_t a_stride, int64_t b_stride,
                         bool in_place, T alpha) {
    const auto extent = [&](int64_t stride) {
        return static_cast<size_t>(std::llabs(stride) * (length > 0 ? length - 1 : 0) + 1);
    };
    const auto first = [&](int64_t stride) {
        return static_cast<size_t>(stride < 0 ? -stride * (length > 0 ? length - 1 : 0) : 0);
    };
    const uint32_t seed = static_cast<uint32_t>(length * 131 + dtype * 17 + (a_stride + 5) * 3 + (b_stride + 5) * 11);
    std::vector<T> a = ngtest::test_values<T>(extent(a_stride), seed);
    const std::vector<T> b = ngtest::test_values<T>(extent(b_stride), seed + 1);
    const std::vector<T> original = a;
    std::vector<T> out(static_cast<size_t>(length) + 1, T{42});
    T* destination = in_place ? a.data() : out.data();
    ng::kernel_table(tier).add_scaled(dtype)(length, a.data() + first(a_stride), a_stride, b.data() + first(b_stride),
                                             b_stride, &alpha, destination);
    for (int64_t i = 0; i < length; ++i) {
        const T expected = expected_value(original[first(a_stride) + static_cast<size_t>(i * a_stride)], alpha,
                                          b[first(b_stride) + static_cast<size_t>(i * b_stride)]);
        ASSERT_TRUE(same_value(destination[i], expected))
            << ngtest::dtype_label(dtype) << ", length " << length << ", strides (" << a_stride << ", " << b_stride
            << ")" << (in_place ? ", in place" : "") << ": element " << i << " is " << destination[i] << ", expected "
            << expected;
    }
    if (!in_place) {
        EXPECT_EQ(out[static_cast<size_t>(length)], T{42}) << "wrote past the row";
    }
}

void expect_all_rows_fused(ng_cpu_tier tier, int64_t a_stride, int64_t b_stride, bool in_place = false) {
    for (ng_dtype dtype : {NG_DTYPE_F32, NG_DTYPE_F64, NG_DTYPE_I64}) {
        for (int64_t length = 0; length <= kMaxLength; ++length) {
            ngtest::with_dtype(dtype, [&](auto type) {
                using T = decltype(type);
                if constexpr (!std::is_same_v<T, uint8_t>) {
                    const T alphas[] = {static_cast<T>(std::is_floating_point_v<T> ? 0.1 : 3), static_cast<T>(-1)};
                    for (T alpha : alphas) {
                        expect_row_is_fused<T>(tier, dtype, length, a_stride, b_stride, in_place, alpha);
                    }
                }
            });
            if (testing::Test::HasFatalFailure()) return;
        }
    }
}

class AddScaledKernels : public testing::TestWithParam<ng_cpu_tier> {
protected:
    void SetUp() override { NG_SKIP_IF_TIER_UNSUPPORTED(GetParam()); }
};

TEST_P(AddScaledKernels, TableHasNumericDtypesOnly) {
    for (ng_dtype dtype : ngtest::kAllDtypeValues) {
        EXPECT_EQ(ng::kernel_table(GetParam()).add_scaled(dtype) != nullptr, dtype != NG_DTYPE_BOOL)
            << ngtest::dtype_label(dtype);
    }
}

TEST_P(AddScaledKernels, ContiguousRoundsOnceForEveryLength) { expect_all_rows_fused(GetParam(), 1, 1); }
TEST_P(AddScaledKernels, InPlaceRoundsOnce) {
    expect_all_rows_fused(GetParam(), 1, 1, true);
    expect_all_rows_fused(GetParam(), 1, 0, true);
}
TEST_P(AddScaledKernels, BroadcastOperandsRoundOnce) {
    expect_all_rows_fused(GetParam(), 0, 1);
    expect_all_rows_fused(GetParam(), 1, 0);
    expect_all_rows_fused(GetParam(), 0, 0);
}
TEST_P(AddScaledKernels, StridedAndNegativeStridesRoundOnce) {
    expect_all_rows_fused(GetParam(), 2, 1);
    expect_all_rows_fused(GetParam(), 1, 3);
    expect_all_rows_fused(GetParam(), -1, 1);
    expect_all_rows_fused(GetParam(), 0, -2);
}

INSTANTIATE_TEST_SUITE_P(Tiers, AddScaledKernels, testing::ValuesIn(ngtest::kAllTiers), ngtest::tier_name);

// torch.add(p, d, alpha=-0.01) in torch 1.13 (the SGD step): elements where p + fl(alpha * d)
// would differ in the last bit. The row [3] of b broadcasts down the [2, 3] shape.
TEST(AddScaledExport, BroadcastMatchesTorch) {
    const float a[] = {0.03159274160861969f, 0.441156268119812f, 0.1163986474275589f,
                       0.13067744672298431f, -1.1559407711029053f, 0.060491468757390976f};
    const float b[] = {-0.5086193084716797f, 0.8648261427879333f, -2.135056972503662f};
    const float alpha = -0.01f;
    const int64_t shape[] = {2, 3}, a_strides[] = {3, 1}, b_strides[] = {0, 1};
    float out[6];
    ASSERT_EQ(ng_add_scaled(NG_DTYPE_F32, 2, shape, a, a_strides, b, b_strides, &alpha, out), NG_STATUS_OK)
        << ng_last_error_message();
    for (int i = 0; i < 6; ++i) EXPECT_EQ(out[i], fused_multiply_add(alpha, b[i % 3], a[i])) << i;
    EXPECT_EQ(out[0], 0.03667893633246422f);
    EXPECT_NE(out[0], a[0] + alpha * b[0]);
}

TEST(AddScaledExport, IntegersAreExactAndWrap) {
    const int64_t a[] = {int64_t{1} << 62, 5, std::numeric_limits<int64_t>::max()};
    const int64_t b[] = {3, int64_t{1} << 61, 1};
    const int64_t alpha = 3;
    const int64_t shape[] = {3}, strides[] = {1};
    int64_t out[3];
    ASSERT_EQ(ng_add_scaled(NG_DTYPE_I64, 1, shape, a, strides, b, strides, &alpha, out), NG_STATUS_OK);
    EXPECT_EQ(out[0], (int64_t{1} << 62) + 9);
    EXPECT_EQ(out[1], 6917529027641081861);  // torch.add(..., alpha=3)
    EXPECT_EQ(out[2], std::numeric_limits<int64_t>::min() + 2);
}

}  // namespace
