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
        EXPECT_TRUE(same_value(sign[i + 2], 0.0f)) << "sign(NaN) is +0, as in PyTorch 1.13";
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

// Rounding is exact: round's ties go to even, -0 and the infinities and NaN pass through.
TEST_P(UnaryKernels, RoundingIsExactAndRoundTiesToEven) {
    const float inf = std::numeric_limits<float>::infinity();
    const std::vector<float> x = repeated<float>({-2.5f, -1.5f, -0.5f, 0.5f, 1.5f, 2.5f, -0.0f, 1.7f, -1.7f, inf});
    const std::vector<float> floor = apply(NG_UNARY_FLOOR, NG_DTYPE_F32, x);
    const std::vector<float> ceil = apply(NG_UNARY_CEIL, NG_DTYPE_F32, x);
    const std::vector<float> round = apply(NG_UNARY_ROUND, NG_DTYPE_F32, x);
    const std::vector<float> trunc = apply(NG_UNARY_TRUNC, NG_DTYPE_F32, x);
    for (size_t i = 0; i + 10 <= x.size(); i += 10) {
        const std::vector<float> expected_round = {-2.0f, -2.0f, -0.0f, 0.0f, 2.0f, 2.0f, -0.0f, 2.0f, -2.0f, inf};
        const std::vector<float> expected_floor = {-3.0f, -2.0f, -1.0f, 0.0f, 1.0f, 2.0f, -0.0f, 1.0f, -2.0f, inf};
        const std::vector<float> expected_ceil = {-2.0f, -1.0f, -0.0f, 1.0f, 2.0f, 3.0f, -0.0f, 2.0f, -1.0f, inf};
        const std::vector<float> expected_trunc = {-2.0f, -1.0f, -0.0f, 0.0f, 1.0f, 2.0f, -0.0f, 1.0f, -1.0f, inf};
        for (size_t j = 0; j < 10; ++j) {
            EXPECT_TRUE(same_value(round[i + j], expected_round[j])) << "round(" << x[i + j] << ") = " << round[i + j];
            EXPECT_TRUE(same_value(floor[i + j], expected_floor[j])) << "floor(" << x[i + j] << ") = " << floor[i + j];
            EXPECT_TRUE(same_value(ceil[i + j], expected_ceil[j])) << "ceil(" << x[i + j] << ") = " << ceil[i + j];
            EXPECT_TRUE(same_value(trunc[i + j], expected_trunc[j])) << "trunc(" << x[i + j] << ") = " << trunc[i + j];
        }
    }
}

// log1p and expm1 keep tiny arguments (log(1 + x) would give 0), and the rest are the C library's.
TEST_P(UnaryKernels, Log1pExpm1AndTheInverseAndHyperbolicFunctionsAreTheCLibrarys) {
    const std::vector<double> tiny = repeated<double>({1e-20, -1e-20, 0.0, -0.0});
    const std::vector<double> log1p = apply(NG_UNARY_LOG1P, NG_DTYPE_F64, tiny);
    const std::vector<double> expm1 = apply(NG_UNARY_EXPM1, NG_DTYPE_F64, tiny);
    for (size_t i = 0; i < tiny.size(); ++i) {
        EXPECT_TRUE(same_value(log1p[i], tiny[i])) << tiny[i];
        EXPECT_TRUE(same_value(expm1[i], tiny[i])) << tiny[i];
    }
    const std::vector<double> y = ngtest::random_values<double>(37, 7);
    struct Case {
        ng_unary_op op;
        double (*expected)(double);
    };
    const Case cases[] = {
        {NG_UNARY_ASIN, [](double v) { return std::asin(v); }}, {NG_UNARY_ACOS, [](double v) { return std::acos(v); }},
        {NG_UNARY_ATAN, [](double v) { return std::atan(v); }}, {NG_UNARY_SINH, [](double v) { return std::sinh(v); }},
        {NG_UNARY_COSH, [](double v) { return std::cosh(v); }}, {NG_UNARY_LOG2, [](double v) { return std::log2(v); }},
        {NG_UNARY_LOG10, [](double v) { return std::log10(v); }},
    };
    for (const Case& c : cases) {
        const std::vector<double> out = apply(c.op, NG_DTYPE_F64, y);
        for (size_t i = 0; i < y.size(); ++i) ASSERT_TRUE(same_value(out[i], c.expected(y[i]))) << "op " << c.op << " x " << y[i];
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
