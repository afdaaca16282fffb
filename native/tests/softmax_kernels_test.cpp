// ng_softmax's kernels: every tier against the scalar reference (row lengths across the vector
// widths, in place and not; float32 bit for bit, float64 within the rounding its double sums'
// order allows), the reference against softmax computed in double from
// libm, and the special rows by hand (NaN, -inf, huge values, length 1).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/softmax.h"
#include "test_support.h"

namespace {

using ngtest::same_value;

template <class T>
std::vector<T> run(ng_cpu_tier tier, bool log, std::vector<T> x, int64_t rows, int64_t length, bool in_place = false) {
    const ng_dtype dtype = sizeof(T) == 4 ? NG_DTYPE_F32 : NG_DTYPE_F64;
    const ng::SoftmaxKernels& kernels = ng::softmax_kernels(tier);
    std::vector<T> out(x.size(), T(77));
    T* destination = in_place ? x.data() : out.data();
    (log ? kernels.log_softmax : kernels.softmax)[dtype](x.data(), rows, length, destination);
    return in_place ? x : out;
}

class SoftmaxKernels : public testing::TestWithParam<ng_cpu_tier> {
protected:
    void SetUp() override { NG_SKIP_IF_TIER_UNSUPPORTED(GetParam()); }
};

template <class T>
void expect_matches_scalar(ng_cpu_tier tier) {
    for (bool log : {false, true}) {
        for (int64_t length = 1; length <= 70; ++length) {
            const int64_t rows = 3;
            std::vector<T> x = ngtest::random_values<T>(static_cast<size_t>(rows * length), static_cast<uint32_t>(length));
            for (T& v : x) v *= T(8);
            const std::vector<T> expected = run(NG_CPU_TIER_SCALAR, log, x, rows, length);
            for (bool in_place : {false, true}) {
                const std::vector<T> actual = run(tier, log, x, rows, length, in_place);
                for (size_t i = 0; i < x.size(); ++i) {
                    const bool same = sizeof(T) == 4 ? same_value(actual[i], expected[i])
                                                     : std::fabs(actual[i] - expected[i]) <= 1e-15 * (std::fabs(expected[i]) + 40);
                    ASSERT_TRUE(same)
                        << (log ? "log_softmax" : "softmax") << " length " << length << " element " << i << ": "
                        << actual[i] << " vs scalar " << expected[i] << (in_place ? " (in place)" : "");
                }
            }
        }
    }
}

TEST_P(SoftmaxKernels, MatchesScalar) {
    expect_matches_scalar<float>(GetParam());
    expect_matches_scalar<double>(GetParam());
}

// Within a few ulps of softmax computed in double with libm from the same float32 x - max (which
// the kernel, the composition it replaced and PyTorch all round to float first): exp is within
// 1 ulp of expf, the sum rounds once, the division or subtraction once more.
TEST_P(SoftmaxKernels, CloseToDoublePrecisionSoftmax) {
    const int64_t rows = 4, length = 1000;
    std::vector<float> x = ngtest::random_values<float>(rows * length, 11);
    for (float& v : x) v *= 10.0f;
    const std::vector<float> soft = run(GetParam(), false, x, rows, length);
    const std::vector<float> log_soft = run(GetParam(), true, x, rows, length);
    for (int64_t r = 0; r < rows; ++r) {
        // max_element, not an fmax loop: GCC 12 for aarch64 crashes vectorising that reduction.
        const double max = *std::max_element(x.begin() + r * length, x.begin() + (r + 1) * length);
        double sum = 0;
        auto shifted_at = [&](int64_t i) { return static_cast<double>(static_cast<float>(x[r * length + i] - max)); };
        for (int64_t i = 0; i < length; ++i) sum += std::exp(shifted_at(i));
        for (int64_t i = 0; i < length; ++i) {
            const double shifted = shifted_at(i);
            const double expected = std::exp(shifted) / sum;
            const double expected_log = shifted - std::log(sum);
            EXPECT_NEAR(soft[r * length + i], expected, expected * 4 * 0x1p-24) << "row " << r << " element " << i;
            EXPECT_NEAR(log_soft[r * length + i], expected_log, std::fabs(expected_log) * 2 * 0x1p-24 + 4 * 0x1p-24 * std::log(sum))
                << "row " << r << " element " << i;
        }
    }
}

TEST_P(SoftmaxKernels, SpecialRows) {
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    // Rows of 20: a NaN poisons its row; -inf gets 0 (log: -inf); huge values do not overflow.
    std::vector<float> x(60, 1.0f);
    x[7] = nan;
    x[20] = -inf;
    x[21] = 1000.0f;
    x[22] = 1000.0f;
    const std::vector<float> soft = run(GetParam(), false, x, 3, 20);
    const std::vector<float> log_soft = run(GetParam(), true, x, 3, 20);
    for (int i = 0; i < 20; ++i) EXPECT_TRUE(std::isnan(soft[i]) && std::isnan(log_soft[i])) << i;
    EXPECT_EQ(soft[20], 0.0f);
    EXPECT_EQ(log_soft[20], -inf);
    EXPECT_EQ(soft[21], 0.5f);
    EXPECT_EQ(soft[22], 0.5f);
    EXPECT_FLOAT_EQ(log_soft[21], -std::log(2.0f));
    EXPECT_EQ(soft[23], 0.0f) << "exp(1 - 1000) underflows";
    for (int i = 40; i < 60; ++i) EXPECT_FLOAT_EQ(soft[i], 0.05f);
    EXPECT_EQ(run(GetParam(), false, std::vector<double>{-3.5}, 1, 1)[0], 1.0) << "a row of one";
    EXPECT_EQ(run(GetParam(), true, std::vector<double>{-3.5}, 1, 1)[0], 0.0);
}

INSTANTIATE_TEST_SUITE_P(Tiers, SoftmaxKernels, testing::ValuesIn(ngtest::kAllTiers), ngtest::tier_name);

TEST(SoftmaxApi, ValidatesArguments) {
    const float x[4] = {1, 2, 3, 4};
    float out[4];
    EXPECT_EQ(ng_softmax(NG_DTYPE_F32, 2, x, 1, 4, out), NG_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(ng_softmax(NG_DTYPE_I64, 0, x, 1, 4, out), NG_STATUS_UNSUPPORTED_DTYPE);
    EXPECT_EQ(ng_softmax(NG_DTYPE_F32, 0, x, -1, 4, out), NG_STATUS_INVALID_SIZE);
    EXPECT_EQ(ng_softmax(NG_DTYPE_F32, 0, x, 1, 0, out), NG_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(ng_softmax(NG_DTYPE_F32, 0, nullptr, 1, 4, out), NG_STATUS_NULL_POINTER);
    EXPECT_EQ(ng_softmax(NG_DTYPE_F32, 0, x, 1, 4, nullptr), NG_STATUS_NULL_POINTER);
    EXPECT_EQ(ng_softmax(NG_DTYPE_F32, 0, nullptr, 0, 4, nullptr), NG_STATUS_OK) << "no rows: no work";
    ASSERT_EQ(ng_softmax(NG_DTYPE_F32, 1, x, 2, 2, out), NG_STATUS_OK);
    EXPECT_FLOAT_EQ(out[0], 1.0f - 2.0f - std::log1p(std::exp(-1.0f)));
}

}  // namespace
