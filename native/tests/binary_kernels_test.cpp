// Every tier's elementwise kernels against the scalar reference, bit for bit, for every length
// from 0 past two vectors of the widest tier, aligned and not, out of place and in place.
#include <gtest/gtest.h>

#include <vector>

#include "kernels/kernels.h"
#include "test_support.h"

namespace {

using ngtest::same_value;
using ngtest::values_with_specials;

constexpr int64_t kMaxLength = 40;  // > 2 x 16 floats and > 2 x 8 doubles (AVX-512)
constexpr size_t kGuard = 16;       // elements after the output that must stay untouched

enum class Layout { kSeparate, kInPlace };

// Runs op at `tier` and at the scalar tier on the same inputs, each starting `offset` elements
// into its buffers, and compares outputs and the guard zone behind them.
template <class T>
void expect_matches_scalar(ng_cpu_tier tier, ng_binary_op op, int64_t length, size_t offset, Layout layout) {
    const size_t size = offset + static_cast<size_t>(length) + kGuard;
    const uint32_t seed = static_cast<uint32_t>(length * 7 + offset + op * 1000);
    const std::vector<T> a = values_with_specials<T>(size, seed);
    const std::vector<T> b = values_with_specials<T>(size, seed + 1);
    const T sentinel = T(12345.0);

    auto run = [&](ng_cpu_tier run_tier) {
        std::vector<T> a_copy = a;
        std::vector<T> out(size, sentinel);
        T* destination = layout == Layout::kInPlace ? a_copy.data() + offset : out.data() + offset;
        ng::kernel_table(run_tier).binary<T>(op)(a_copy.data() + offset, b.data() + offset, destination, length);
        return layout == Layout::kInPlace ? a_copy : out;
    };
    const std::vector<T> expected = run(NG_CPU_TIER_SCALAR);
    const std::vector<T> actual = run(tier);
    for (size_t i = 0; i < size; ++i) {
        ASSERT_TRUE(same_value(actual[i], expected[i]))
            << "op " << op << ", length " << length << ", offset " << offset << ", element " << i << ": "
            << actual[i] << " vs scalar " << expected[i];
    }
}

template <class T>
void expect_all_lengths_match(ng_cpu_tier tier, size_t offset, Layout layout) {
    for (int op = 0; op < ng::kBinaryOpCount; ++op) {
        for (int64_t length = 0; length <= kMaxLength; ++length) {
            expect_matches_scalar<T>(tier, static_cast<ng_binary_op>(op), length, offset, layout);
            if (testing::Test::HasFatalFailure()) return;
        }
    }
}

class BinaryKernels : public testing::TestWithParam<ng_cpu_tier> {
protected:
    void SetUp() override { NG_SKIP_IF_TIER_UNSUPPORTED(GetParam()); }
};

TEST_P(BinaryKernels, Float32MatchesScalarForEveryLength) {
    expect_all_lengths_match<float>(GetParam(), 0, Layout::kSeparate);
}

TEST_P(BinaryKernels, Float64MatchesScalarForEveryLength) {
    expect_all_lengths_match<double>(GetParam(), 0, Layout::kSeparate);
}

TEST_P(BinaryKernels, Float32InPlaceMatchesScalar) {
    expect_all_lengths_match<float>(GetParam(), 0, Layout::kInPlace);
}

TEST_P(BinaryKernels, Float64InPlaceMatchesScalar) {
    expect_all_lengths_match<double>(GetParam(), 0, Layout::kInPlace);
}

TEST_P(BinaryKernels, Float32UnalignedMatchesScalar) {
    expect_all_lengths_match<float>(GetParam(), 1, Layout::kSeparate);
    expect_all_lengths_match<float>(GetParam(), 1, Layout::kInPlace);
}

TEST_P(BinaryKernels, Float64UnalignedMatchesScalar) {
    expect_all_lengths_match<double>(GetParam(), 1, Layout::kSeparate);
    expect_all_lengths_match<double>(GetParam(), 1, Layout::kInPlace);
}

TEST_P(BinaryKernels, OutputMayAliasSecondInput) {
    const std::vector<float> a = ngtest::random_values<float>(37, 1);
    std::vector<float> b = ngtest::random_values<float>(37, 2);
    std::vector<float> expected(37);
    for (size_t i = 0; i < 37; ++i) expected[i] = a[i] * b[i];
    ng::kernel_table(GetParam()).binary<float>(NG_BINARY_MUL)(a.data(), b.data(), b.data(), 37);
    for (size_t i = 0; i < 37; ++i) EXPECT_EQ(b[i], expected[i]) << i;
}

INSTANTIATE_TEST_SUITE_P(Tiers, BinaryKernels, testing::ValuesIn(ngtest::kAllTiers), ngtest::tier_name);

TEST(BinaryScalarReference, ComputesSumsAndProducts) {
    const float a[] = {1.5f, -2.0f, 0.25f};
    const float b[] = {2.25f, 4.0f, -8.0f};
    float out[3];
    ng::kernel_table(NG_CPU_TIER_SCALAR).binary<float>(NG_BINARY_ADD)(a, b, out, 3);
    EXPECT_EQ(out[0], 3.75f);
    EXPECT_EQ(out[1], 2.0f);
    EXPECT_EQ(out[2], -7.75f);
    ng::kernel_table(NG_CPU_TIER_SCALAR).binary<float>(NG_BINARY_MUL)(a, b, out, 3);
    EXPECT_EQ(out[0], 3.375f);
    EXPECT_EQ(out[1], -8.0f);
    EXPECT_EQ(out[2], -2.0f);

    const double x[] = {0.1, 1e308};
    const double y[] = {0.2, 10.0};
    double z[2];
    ng::kernel_table(NG_CPU_TIER_SCALAR).binary<double>(NG_BINARY_ADD)(x, y, z, 2);
    EXPECT_EQ(z[0], 0.1 + 0.2);
    ng::kernel_table(NG_CPU_TIER_SCALAR).binary<double>(NG_BINARY_MUL)(x, y, z, 2);
    EXPECT_TRUE(std::isinf(z[1]));
}

}  // namespace
