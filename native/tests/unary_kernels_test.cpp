// Every tier's ng_unary kernels against the scalar reference, bit for bit, for every supported op
// and dtype and every length from 0 past two vectors of the widest tier, aligned and not, out of
// place and in place; then the reference's semantics checked by hand on every tier.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "kernels/kernels.h"
#include "test_support.h"

// POSIX, not ISO C++: MinGW does not define it under -std=c++20.
#ifndef M_SQRT1_2
#define M_SQRT1_2 0.70710678118654752440
#endif

namespace {

using ngtest::same_value;

constexpr int64_t kMaxLength = 40;
constexpr size_t kGuard = 16;

template <class T>
void expect_matches_scalar(ng_cpu_tier tier, ng_unary_op op, ng_dtype dtype, int64_t length, size_t offset,
                           bool in_place) {
    const size_t size = offset + static_cast<size_t>(length) + kGuard;
    const std::vector<T> x = ngtest::test_values<T>(size, static_cast<uint32_t>(length * 7 + offset + op * 1000 + dtype));
    auto run = [&](ng_cpu_tier run_tier) {
        std::vector<T> input = x;
        std::vector<T> out(size, T(123));
        T* destination = in_place ? input.data() + offset : out.data() + offset;
        ng::kernel_table(run_tier).unary(op, dtype)(input.data() + offset, destination, length);
        return in_place ? input : out;
    };
    const std::vector<T> expected = run(NG_CPU_TIER_SCALAR);
    const std::vector<T> actual = run(tier);
    for (size_t i = 0; i < size; ++i) {
        ASSERT_TRUE(same_value(actual[i], expected[i]))
            << "op " << op << " " << ngtest::dtype_label(dtype) << ", length " << length << ", offset " << offset
            << (in_place ? ", in place" : "") << ", element " << i << ": " << actual[i] << " vs scalar " << expected[i]
            << " (x = " << x[i] << ")";
    }
}

void expect_all_lengths_match(ng_cpu_tier tier, size_t offset, bool in_place) {
    for (int op = 0; op < ng::kUnaryOpCount; ++op) {
        for (ng_dtype dtype : ngtest::kAllDtypeValues) {
            if ((ng::kUnaryOpDtypes[op] & ng::dtype_bit(dtype)) == 0) continue;
            for (int64_t length = 0; length <= kMaxLength; ++length) {
                ngtest::with_dtype(dtype, [&](auto type) {
                    expect_matches_scalar<decltype(type)>(tier, static_cast<ng_unary_op>(op), dtype, length, offset,
                                                          in_place);
                });
                if (testing::Test::HasFatalFailure()) return;
            }
        }
    }
}

class UnaryKernels : public testing::TestWithParam<ng_cpu_tier> {
protected:
    void SetUp() override { NG_SKIP_IF_TIER_UNSUPPORTED(GetParam()); }

    template <class T>
    std::vector<T> apply(ng_unary_op op, ng_dtype dtype, std::vector<T> x) {
        ng::kernel_table(GetParam()).unary(op, dtype)(x.data(), x.data(), static_cast<int64_t>(x.size()));
        return x;
    }
};

TEST_P(UnaryKernels, EveryTableEntryExistsExactlyForSupportedDtypes) {
    for (int op = 0; op < ng::kUnaryOpCount; ++op) {
        for (ng_dtype dtype : ngtest::kAllDtypeValues) {
            const bool supported = (ng::kUnaryOpDtypes[op] & ng::dtype_bit(dtype)) != 0;
            EXPECT_EQ(ng::kernel_table(GetParam()).unary(static_cast<ng_unary_op>(op), dtype) != nullptr, supported)
                << "op " << op << " " << ngtest::dtype_label(dtype);
        }
    }
}

TEST_P(UnaryKernels, MatchesScalarForEveryLength) { expect_all_lengths_match(GetParam(), 0, false); }
TEST_P(UnaryKernels, UnalignedMatchesScalar) { expect_all_lengths_match(GetParam(), 3, false); }
TEST_P(UnaryKernels, InPlaceMatchesScalar) { expect_all_lengths_match(GetParam(), 1, true); }

// 37 elements: the vector body and the tail of every tier see the special values.
template <class T>
std::vector<T> repeated(std::initializer_list<T> values) {
    std::vector<T> out;
    while (out.size() < 37) out.insert(out.end(), values);
    out.resize(37);
    return out;
}

TEST_P(UnaryKernels, ReluSignAbsNegKeepNaNAndSignedZeroRules) {
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    const std::vector<float> x = repeated<float>({-0.0f, 0.0f, nan, -2.5f, 3.0f, -inf, inf});
    const std::vector<float> relu = apply(NG_UNARY_RELU, NG_DTYPE_F32, x);
    const std::vector<float> sign = apply(NG_UNARY_SIGN, NG_DTYPE_F32, x);
    const std::vector<float> abs = apply(NG_UNARY_ABS, NG_DTYPE_F32, x);
    const std::vector<float> neg = apply(NG_UNARY_NEG, NG_DTYPE_F32, x);
    for (size_t i = 0; i + 7 <= x.size(); i += 7) {
        EXPECT_TRUE(same_value(relu[i], -0.0f)) << "relu(-0) is -0, as in PyTorch";
        EXPECT_TRUE(same_value(relu[i + 1], 0.0f));
        EXPECT_TRUE(std::isnan(relu[i + 2]));
        EXPECT_TRUE(same_value(relu[i + 3], 0.0f));
        EXPECT_EQ(relu[i + 4], 3.0f);
        EXPECT_EQ(relu[i + 6], inf);

        EXPECT_TRUE(same_value(sign[i], 0.0f)) << "sign(-0) is +0";
        EXPECT_TRUE(same_value(sign[i + 1], 0.0f));
        EXPECT_TRUE(std::isnan(sign[i + 2])) << "sign(NaN) is NaN";
        EXPECT_EQ(sign[i + 3], -1.0f);
        EXPECT_EQ(sign[i + 4], 1.0f);
        EXPECT_EQ(sign[i + 5], -1.0f);

        EXPECT_TRUE(same_value(abs[i], 0.0f));
        EXPECT_EQ(abs[i + 3], 2.5f);
        EXPECT_EQ(abs[i + 5], inf);
        EXPECT_TRUE(same_value(neg[i], 0.0f));
        EXPECT_TRUE(same_value(neg[i + 1], -0.0f));
        EXPECT_EQ(neg[i + 4], -3.0f);
    }
    const int64_t min = std::numeric_limits<int64_t>::min();
    const std::vector<int64_t> i = {-5, 0, 7, min};
    EXPECT_EQ(apply(NG_UNARY_SIGN, NG_DTYPE_I64, i), (std::vector<int64_t>{-1, 0, 1, -1}));
    EXPECT_EQ(apply(NG_UNARY_ABS, NG_DTYPE_I64, i), (std::vector<int64_t>{5, 0, 7, min})) << "|INT64_MIN| wraps";
    EXPECT_EQ(apply(NG_UNARY_NEG, NG_DTYPE_I64, i), (std::vector<int64_t>{5, 0, -7, min}));
}

TEST_P(UnaryKernels, SqrtAndReciprocalAreIeee) {
    const std::vector<double> x = repeated<double>({4.0, -1.0, 0.0, -0.0, 2.0});
    const std::vector<double> sqrt = apply(NG_UNARY_SQRT, NG_DTYPE_F64, x);
    const std::vector<double> reciprocal = apply(NG_UNARY_RECIPROCAL, NG_DTYPE_F64, x);
    for (size_t i = 0; i + 5 <= x.size(); i += 5) {
        EXPECT_EQ(sqrt[i], 2.0);
        EXPECT_TRUE(std::isnan(sqrt[i + 1]));
        EXPECT_TRUE(same_value(sqrt[i + 3], -0.0));
        EXPECT_EQ(sqrt[i + 4], std::sqrt(2.0));
        EXPECT_EQ(reciprocal[i], 0.25);
        EXPECT_EQ(reciprocal[i + 2], std::numeric_limits<double>::infinity());
        EXPECT_EQ(reciprocal[i + 3], -std::numeric_limits<double>::infinity());
    }
}

// float32 sin and cos and every float64 transcendental are the C library's, with PyTorch's formulas
// (the float32 exp, log, tanh, erf, sigmoid and gelu are tested against it in transcendentals_test.cpp).
TEST_P(UnaryKernels, TranscendentalsUseTheCLibraryInTheDtypesPrecision) {
    const std::vector<float> x = ngtest::random_values<float>(37, 5);
    struct Case {
        ng_unary_op op;
        float (*expected)(float);
    };
    const Case cases[] = {
        {NG_UNARY_SIN, [](float v) { return std::sin(v); }},
        {NG_UNARY_COS, [](float v) { return std::cos(v); }},
    };
    for (const Case& c : cases) {
        const std::vector<float> out = apply(c.op, NG_DTYPE_F32, x);
        for (size_t i = 0; i < x.size(); ++i) ASSERT_TRUE(same_value(out[i], c.expected(x[i]))) << "op " << c.op << " x " << x[i];
    }
    const std::vector<double> y = ngtest::random_values<double>(37, 6);
    const std::vector<double> gelu = apply(NG_UNARY_GELU, NG_DTYPE_F64, y);
    const std::vector<double> sigmoid = apply(NG_UNARY_SIGMOID, NG_DTYPE_F64, y);
    const std::vector<double> exp = apply(NG_UNARY_EXP, NG_DTYPE_F64, y);
    const std::vector<double> tanh = apply(NG_UNARY_TANH, NG_DTYPE_F64, y);
    const std::vector<double> erf = apply(NG_UNARY_ERF, NG_DTYPE_F64, y);
    std::vector<double> magnitudes = y;
    for (double& v : magnitudes) v = std::fabs(v);
    const std::vector<double> log = apply(NG_UNARY_LOG, NG_DTYPE_F64, magnitudes);
    for (size_t i = 0; i < y.size(); ++i) {
        EXPECT_EQ(gelu[i], y[i] * 0.5 * (1.0 + std::erf(y[i] * M_SQRT1_2)));
        EXPECT_EQ(sigmoid[i], 1.0 / (1.0 + std::exp(-y[i])));
        EXPECT_EQ(exp[i], std::exp(y[i]));
        EXPECT_EQ(tanh[i], std::tanh(y[i]));
        EXPECT_EQ(erf[i], std::erf(y[i]));
        EXPECT_EQ(log[i], std::log(std::fabs(y[i])));
    }
    EXPECT_EQ(apply(NG_UNARY_SIGMOID, NG_DTYPE_F32, std::vector<float>{-200.0f, 200.0f}), (std::vector<float>{0.0f, 1.0f}));
}

INSTANTIATE_TEST_SUITE_P(Tiers, UnaryKernels, testing::ValuesIn(ngtest::kAllTiers), ngtest::tier_name);

}  // namespace
