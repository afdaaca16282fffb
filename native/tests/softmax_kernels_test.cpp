// ng_softmax's kernels (ng_softmax_backward's after them): every tier against the scalar reference (row lengths across the vector
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

// ---- ng_softmax_backward ---------------------------------------------------------------------------

template <class T>
std::vector<T> run_backward(ng_cpu_tier tier, bool log, const std::vector<T>& grad, const std::vector<T>& out,
                            int64_t rows, int64_t length) {
    const ng_dtype dtype = sizeof(T) == 4 ? NG_DTYPE_F32 : NG_DTYPE_F64;
    const ng::SoftmaxKernels& kernels = ng::softmax_kernels(tier);
    std::vector<T> grad_input(grad.size(), T(77));
    (log ? kernels.log_softmax_backward : kernels.softmax_backward)[dtype](grad.data(), out.data(), rows, length,
                                                                          grad_input.data());
    return grad_input;
}

// The rules of the derivative table through the same tier's ng_reduce, ng_unary and ng_binary
// kernels, one op at a time: what the engine computes when it records the backward.
template <class T>
std::vector<T> composed_backward(ng_cpu_tier tier, bool log, const std::vector<T>& grad, const std::vector<T>& out,
                                 int64_t rows, int64_t length) {
    const ng_dtype dtype = sizeof(T) == 4 ? NG_DTYPE_F32 : NG_DTYPE_F64;
    const ng::KernelTable& k = ng::kernel_table(tier);
    const int64_t count = rows * length;
    std::vector<T> sums(static_cast<size_t>(rows)), scratch(grad.size()), result(grad.size());
    if (log) {
        k.reduce(NG_REDUCE_SUM, dtype)(grad.data(), rows, length, 1, sums.data(), nullptr);  // g.Sum(dim)
        k.unary(NG_UNARY_EXP, dtype)(out.data(), scratch.data(), count);                     // out.Exp()
    } else {
        k.binary(NG_BINARY_MUL, dtype)(count, grad.data(), 1, out.data(), 1, scratch.data());  // g * out
        k.reduce(NG_REDUCE_SUM, dtype)(scratch.data(), rows, length, 1, sums.data(), nullptr);
    }
    for (int64_t r = 0; r < rows; ++r) {
        const T* g = grad.data() + r * length;
        const T* o = out.data() + r * length;
        T* t = scratch.data() + r * length;
        T* x = result.data() + r * length;
        if (log) {
            k.binary(NG_BINARY_MUL, dtype)(length, t, 1, &sums[static_cast<size_t>(r)], 0, t);  // exp(out) * s
            k.binary(NG_BINARY_SUB, dtype)(length, g, 1, t, 1, x);                            // g - that
        } else {
            k.binary(NG_BINARY_SUB, dtype)(length, g, 1, &sums[static_cast<size_t>(r)], 0, t);  // g - s
            k.binary(NG_BINARY_MUL, dtype)(length, o, 1, t, 1, x);                            // out * that
        }
    }
    return result;
}

template <class T>
void expect_backward_matches_composition(ng_cpu_tier tier) {
    for (bool log : {false, true}) {
        for (int64_t length = 1; length <= 70; ++length) {
            const int64_t rows = 3;
            const size_t count = static_cast<size_t>(rows * length);
            const std::vector<T> grad = ngtest::random_values<T>(count, static_cast<uint32_t>(length));
            std::vector<T> out = ngtest::random_values<T>(count, static_cast<uint32_t>(length + 100));
            for (T& v : out) v = log ? -std::fabs(v) * T(4) : std::fabs(v);
            const std::vector<T> expected = composed_backward(tier, log, grad, out, rows, length);
            const std::vector<T> actual = run_backward(tier, log, grad, out, rows, length);
            for (size_t i = 0; i < count; ++i) {
                ASSERT_TRUE(same_value(actual[i], expected[i]))
                    << (log ? "log_softmax" : "softmax") << " backward, length " << length << " element " << i << ": "
                    << actual[i] << " vs composed " << expected[i];
            }
        }
    }
}

TEST_P(SoftmaxKernels, BackwardMatchesTheComposedRulesBitForBit) {
    expect_backward_matches_composition<float>(GetParam());
    expect_backward_matches_composition<double>(GetParam());
}

// By hand: softmax (0.25, 0.75) with grad (1, 0) gives (0.25 * (1 - 0.25), 0.75 * (0 - 0.25)); the
// log-softmax gradient of a row sums to 0 when exp(out) sums to 1.
TEST_P(SoftmaxKernels, BackwardByHand) {
    const std::vector<double> softmax = run_backward(GetParam(), false, std::vector<double>{1, 0}, {0.25, 0.75}, 1, 2);
    EXPECT_EQ(softmax, (std::vector<double>{0.1875, -0.1875}));
    const std::vector<double> log = run_backward(GetParam(), true, std::vector<double>{1, 0}, {std::log(0.25), std::log(0.75)}, 1, 2);
    EXPECT_NEAR(log[0], 0.75, 1e-15);
    EXPECT_NEAR(log[1], -0.75, 1e-15);
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

TEST(SoftmaxApi, BackwardValidatesArguments) {
    const float grad[4] = {1, 0, 0, 1}, out[4] = {0.25f, 0.75f, 0.5f, 0.5f};
    float grad_input[4];
    EXPECT_EQ(ng_softmax_backward(NG_DTYPE_F32, 2, grad, out, 2, 2, grad_input), NG_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(ng_softmax_backward(NG_DTYPE_I64, 0, grad, out, 2, 2, grad_input), NG_STATUS_UNSUPPORTED_DTYPE);
    EXPECT_EQ(ng_softmax_backward(NG_DTYPE_F32, 0, grad, out, 2, -2, grad_input), NG_STATUS_INVALID_SIZE);
    EXPECT_EQ(ng_softmax_backward(NG_DTYPE_F32, 0, grad, out, 2, 0, grad_input), NG_STATUS_INVALID_ARGUMENT);
    EXPECT_TRUE(ngtest::failed_with(ng_softmax_backward(NG_DTYPE_F32, 0, nullptr, out, 2, 2, grad_input),
                                    NG_STATUS_NULL_POINTER, {"ng_softmax_backward: grad must not be NULL when rows (2) > 0"}));
    EXPECT_TRUE(ngtest::failed_with(ng_softmax_backward(NG_DTYPE_F32, 0, grad, nullptr, 2, 2, grad_input),
                                    NG_STATUS_NULL_POINTER, {"ng_softmax_backward: out must not be NULL"}));
    EXPECT_TRUE(ngtest::failed_with(ng_softmax_backward(NG_DTYPE_F32, 0, grad, out, 2, 2, nullptr),
                                    NG_STATUS_NULL_POINTER, {"ng_softmax_backward: grad_input must not be NULL"}));
    EXPECT_EQ(ng_softmax_backward(NG_DTYPE_F32, 0, nullptr, nullptr, 0, 2, nullptr), NG_STATUS_OK) << "no rows: no work";
    ASSERT_EQ(ng_softmax_backward(NG_DTYPE_F32, 0, grad, out, 2, 2, grad_input), NG_STATUS_OK);
    EXPECT_EQ(grad_input[0], 0.1875f);
    EXPECT_EQ(grad_input[3], 0.25f);
}

}  // namespace
