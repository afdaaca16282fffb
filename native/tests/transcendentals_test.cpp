// The float32 exp, log, tanh, erf, sigmoid and gelu kernels of every tier against the C library,
// within the ulp bounds documented in src/kernels/transcendentals.h, over a sweep of float bit
// patterns (every 61st, so every exponent and sign is hit many times) and dense ranges of
// consecutive floats around 0 (denormals), +-1 and where each function overflows, underflows or
// saturates; with the special values' results (NaN, +-0, +-inf) exact.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels/exact_fma.h"
#include "kernels/kernels.h"
#include "test_support.h"

namespace {

float from_bits(uint32_t bits) {
    float x;
    std::memcpy(&x, &bits, sizeof x);
    return x;
}

uint32_t to_bits(float x) {
    uint32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    return bits;
}

// Floats in order as integers, -0 and +0 both 0, so ulp distance is a difference.
int64_t ordered(float x) {
    const uint32_t bits = to_bits(x);
    const int64_t magnitude = bits & 0x7FFFFFFFu;
    return (bits >> 31) != 0 ? -magnitude : magnitude;
}

// Every 61st bit pattern, and `dense` consecutive floats on both sides of each centre (both
// thinned by NATIVEGRAD_TEST_DIVISOR, see test_support.h).
std::vector<float> sweep(std::initializer_list<float> centres, int64_t dense = 1 << 15) {
    std::vector<float> x;
    const uint64_t step = 0xFFFFFFFFu / ngtest::scaled_count(0xFFFFFFFFu / 61);
    for (uint64_t bits = 0; bits <= 0xFFFFFFFFu; bits += step) x.push_back(from_bits(static_cast<uint32_t>(bits)));
    dense = static_cast<int64_t>(ngtest::scaled_count(static_cast<size_t>(dense)));
    for (float centre : centres) {
        for (int64_t k = -dense; k <= dense; ++k) {
            const int64_t o = ordered(centre) + k;
            const uint32_t bits = o < 0 ? (0x80000000u | static_cast<uint32_t>(-o)) : static_cast<uint32_t>(o);
            x.push_back(from_bits(bits));
        }
    }
    const float specials[] = {0.0f, -0.0f, std::numeric_limits<float>::infinity(),
                              -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN(),
                              -std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::denorm_min(),
                              -std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::max(),
                              std::numeric_limits<float>::lowest(), std::numeric_limits<float>::min()};
    x.insert(x.end(), std::begin(specials), std::end(specials));
    return x;
}

struct Case {
    ng_unary_op op;
    const char* name;
    float (*reference)(float);
    int64_t max_ulps;
    std::initializer_list<float> centres;
};

float libm_exp(float x) { return std::exp(x); }
float libm_log(float x) { return std::log(x); }
float libm_tanh(float x) { return std::tanh(x); }
float libm_erf(float x) { return std::erf(x); }
float libm_sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }  // PyTorch's formula
// h + h erf with h = x / 2, as elementwise.h's GeluOp (oneDNN's form, which PyTorch's float32 runs).
// exact_fma.h's fma, not std::fma: MinGW's rounds twice, and overflows at gelu(FLT_MAX) = FLT_MAX.
float libm_gelu(float x) { return fused_multiply_add(x * 0.5f, std::erf(x * 0.707106769f), x * 0.5f); }

class Transcendentals : public testing::TestWithParam<ng_cpu_tier> {
protected:
    void SetUp() override { NG_SKIP_IF_TIER_UNSUPPORTED(GetParam()); }

    std::vector<float> apply(ng_unary_op op, const std::vector<float>& x) {
        std::vector<float> out(x.size());
        ng::kernel_table(GetParam()).unary(op, NG_DTYPE_F32)(x.data(), out.data(), static_cast<int64_t>(x.size()));
        return out;
    }

    // `slack(x)`: an absolute difference also accepted at x (gelu's cancellation), 0 elsewhere.
    void expect_within_bound(const Case& c, float (*slack)(float) = nullptr) {
        const std::vector<float> x = sweep(c.centres);
        const std::vector<float> actual = apply(c.op, x);
        int64_t worst = 0;
        float worst_x = 0;
        int64_t failures = 0;
        for (size_t i = 0; i < x.size(); ++i) {
            const float expected = c.reference(x[i]);
            const float got = actual[i];
            bool ok;
            int64_t ulps = 0;
            if (std::isnan(expected) || std::isnan(got) || std::isinf(expected) || std::isinf(got) || expected == 0 ||
                got == 0) {
                ok = ngtest::same_value(got, expected);  // NaN, infinities, zeros (and their signs) exactly
            } else {
                ulps = std::abs(ordered(got) - ordered(expected));
                ok = ulps <= c.max_ulps || (slack != nullptr && std::fabs(got - expected) <= slack(x[i]));
                if (ulps > worst && (slack == nullptr || std::fabs(got - expected) > slack(x[i]))) {
                    worst = ulps;
                    worst_x = x[i];
                }
            }
            if (!ok && ++failures <= 5) {
                ADD_FAILURE() << c.name << "(" << std::hexfloat << x[i] << ") = " << got << ", libm " << expected
                              << std::defaultfloat << " (" << ulps << " ulps)";
            }
        }
        EXPECT_EQ(failures, 0) << c.name << ": " << failures << " of " << x.size() << " outside the bound";
        EXPECT_LE(worst, c.max_ulps) << c.name << " worst at " << std::hexfloat << worst_x;
    }
};

// exp overflows above 0x1.62e42ep+6 (88.72) and rounds to 0 below -0x1.9fe368p+6 (-103.97);
// denormal results start below -87.34.
TEST_P(Transcendentals, ExpWithinOneUlp) {
    expect_within_bound({NG_UNARY_EXP, "exp", libm_exp, 1, {0.0f, 1.0f, -1.0f, 88.7228394f, -103.972084f, -87.3365479f}});
}

TEST_P(Transcendentals, LogWithinOneUlp) {
    expect_within_bound({NG_UNARY_LOG, "log", libm_log, 1,
                         {0.0f, 1.0f, 1.41421354f, 0.707106769f, std::numeric_limits<float>::min(), 2.0f}});
}

// tanh rounds to +-1 from |x| = 9.01.
TEST_P(Transcendentals, TanhWithinTwoUlps) {
    expect_within_bound({NG_UNARY_TANH, "tanh", libm_tanh, 2, {0.0f, 1.0f, -1.0f, 0.5f, 9.01091385f, -9.01091385f}});
}

// erf rounds to +-1 from |x| = 3.92.
TEST_P(Transcendentals, ErfWithinTwoUlps) {
    expect_within_bound(
        {NG_UNARY_ERF, "erf", libm_erf, 2, {0.0f, 1.0f, -1.0f, 1.25f, -1.25f, 3.91920590f, -3.91920590f, 4.0f}});
}

// Up to 4: where exp(-x) is in [2^24, 2^25), 1 + exp(-x) is a rounding tie, so an exp 1 ulp
// from libm's can round the other way, 2 ulps of the sum.
TEST_P(Transcendentals, SigmoidWithinFourUlpsOfPyTorchsFormulaOnLibm) {
    expect_within_bound({NG_UNARY_SIGMOID, "sigmoid", libm_sigmoid, 4, {0.0f, 1.0f, -1.0f, 88.7228394f, -88.7228394f}});
}

// For x < 0, 1 + erf(x / sqrt 2) cancels: a 2-ulp difference in erf (2^-23 near -1) becomes up to
// |x| 2^-24 in gelu, many ulps of a small result, in libm's formula and PyTorch's alike.
TEST_P(Transcendentals, GeluWithinTwoUlpsOrErfsCancellation) {
    expect_within_bound({NG_UNARY_GELU, "gelu", libm_gelu, 2, {0.0f, 1.0f, -1.0f, 5.0f, -5.0f}},
                        [](float x) { return x < 0 ? -x * 0x1p-24f : 0.0f; });
}

INSTANTIATE_TEST_SUITE_P(Tiers, Transcendentals, testing::ValuesIn(ngtest::kAllTiers), ngtest::tier_name);

}  // namespace
