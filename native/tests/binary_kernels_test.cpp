// Every tier's ng_binary row kernels against the scalar reference, bit for bit, for every
// supported op and dtype, every length from 0 past two vectors of the widest tier, and every
// stride pattern a row can have (contiguous, stride-0 scalar on either side, strided, negative);
// then the reference's own semantics (NaN rules, ties, integer wrapping) checked by hand on every
// tier.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "kernels/kernels.h"
#include "test_support.h"

namespace {

using ngtest::same_value;

constexpr int64_t kMaxLength = 40;  // > 2 x 16 floats and > 2 x 8 doubles (AVX-512)
constexpr size_t kGuard = 16;       // elements after the output that must stay untouched

struct RowCase {
    int64_t length;
    int64_t a_stride;
    int64_t b_stride;
    size_t offset;  // elements before the first one used, to misalign
    bool in_place;  // out is a itself (only with a_stride == 1 and a same-dtype result)
};

// Element i of an operand with this stride lives at base[i * stride]; the buffer holds every
// element reached plus offset before and kGuard after.
size_t operand_size(const RowCase& c, int64_t stride) {
    return c.offset + static_cast<size_t>(std::llabs(stride) * (c.length > 0 ? c.length - 1 : 0) + 1) + kGuard;
}
size_t first_index(const RowCase& c, int64_t stride) {
    return c.offset + static_cast<size_t>(stride < 0 ? -stride * (c.length > 0 ? c.length - 1 : 0) : 0);
}

template <class T>
void expect_row_matches_scalar(ng_cpu_tier tier, ng_binary_op op, ng_dtype dtype, const RowCase& c) {
    const bool comparison = ng::is_comparison(op);
    const uint32_t seed = static_cast<uint32_t>(c.length * 131 + c.offset * 7 + op * 1000 + dtype * 17 +
                                                (c.a_stride + 5) * 3 + (c.b_stride + 5) * 11);
    const std::vector<T> a = ngtest::test_values<T>(operand_size(c, c.a_stride), seed);
    const std::vector<T> b = ngtest::test_values<T>(operand_size(c, c.b_stride), seed + 1);
    const size_t out_size = c.offset + static_cast<size_t>(c.length) + kGuard;

    // Returns the output buffer (as bytes) and, in place, a's buffer.
    auto run = [&](ng_cpu_tier run_tier) {
        std::vector<T> a_copy = a;
        std::vector<uint8_t> out(out_size * (comparison ? 1 : sizeof(T)), 0xA5);
        void* destination = c.in_place ? static_cast<void*>(a_copy.data() + c.offset)
                                       : static_cast<void*>(out.data() + c.offset * (comparison ? 1 : sizeof(T)));
        ng::kernel_table(run_tier).binary(op, dtype)(c.length, a_copy.data() + first_index(c, c.a_stride), c.a_stride,
                                                     b.data() + first_index(c, c.b_stride), c.b_stride, destination);
        if (c.in_place) out.assign(reinterpret_cast<uint8_t*>(a_copy.data()),
                                   reinterpret_cast<uint8_t*>(a_copy.data() + a_copy.size()));
        return out;
    };
    const std::vector<uint8_t> expected = run(NG_CPU_TIER_SCALAR);
    const std::vector<uint8_t> actual = run(tier);
    ASSERT_EQ(actual.size(), expected.size());
    const ng_dtype result_dtype = comparison ? NG_DTYPE_BOOL : dtype;
    size_t at = 0;
    ASSERT_TRUE(ngtest::same_elements(result_dtype, actual.data(), expected.data(),
                                      actual.size() / static_cast<size_t>(ng::dtype_size(result_dtype)), &at))
        << "op " << op << " " << ngtest::dtype_label(dtype) << ", length " << c.length << ", strides (" << c.a_stride
        << ", " << c.b_stride << "), offset " << c.offset << (c.in_place ? ", in place" : "") << ": element " << at;
}

void expect_all_rows_match(ng_cpu_tier tier, int64_t a_stride, int64_t b_stride, size_t offset, bool in_place) {
    for (int op = 0; op < ng::kBinaryOpCount; ++op) {
        const auto binary_op = static_cast<ng_binary_op>(op);
        for (ng_dtype dtype : ngtest::kAllDtypeValues) {
            if ((ng::kBinaryOpDtypes[op] & ng::dtype_bit(dtype)) == 0) continue;
            if (in_place && ng::is_comparison(binary_op)) continue;
            for (int64_t length = 0; length <= kMaxLength; ++length) {
                ngtest::with_dtype(dtype, [&](auto type) {
                    expect_row_matches_scalar<decltype(type)>(tier, binary_op, dtype,
                                                              {length, a_stride, b_stride, offset, in_place});
                });
                if (testing::Test::HasFatalFailure()) return;
            }
        }
    }
}

class BinaryKernels : public testing::TestWithParam<ng_cpu_tier> {
protected:
    void SetUp() override { NG_SKIP_IF_TIER_UNSUPPORTED(GetParam()); }
};

TEST_P(BinaryKernels, EveryTableEntryExistsExactlyForSupportedDtypes) {
    for (int op = 0; op < ng::kBinaryOpCount; ++op) {
        for (ng_dtype dtype : ngtest::kAllDtypeValues) {
            const bool supported = (ng::kBinaryOpDtypes[op] & ng::dtype_bit(dtype)) != 0;
            EXPECT_EQ(ng::kernel_table(GetParam()).binary(static_cast<ng_binary_op>(op), dtype) != nullptr, supported)
                << "op " << op << " " << ngtest::dtype_label(dtype);
        }
    }
}

TEST_P(BinaryKernels, ContiguousMatchesScalarForEveryLength) { expect_all_rows_match(GetParam(), 1, 1, 0, false); }
TEST_P(BinaryKernels, UnalignedMatchesScalar) { expect_all_rows_match(GetParam(), 1, 1, 1, false); }
TEST_P(BinaryKernels, InPlaceMatchesScalar) {
    expect_all_rows_match(GetParam(), 1, 1, 0, true);
    expect_all_rows_match(GetParam(), 1, 0, 1, true);
}
TEST_P(BinaryKernels, ScalarFirstOperandMatchesScalar) { expect_all_rows_match(GetParam(), 0, 1, 0, false); }
TEST_P(BinaryKernels, ScalarSecondOperandMatchesScalar) { expect_all_rows_match(GetParam(), 1, 0, 1, false); }
TEST_P(BinaryKernels, BothScalarMatchesScalar) { expect_all_rows_match(GetParam(), 0, 0, 0, false); }
TEST_P(BinaryKernels, StridedMatchesScalar) {
    expect_all_rows_match(GetParam(), 2, 1, 0, false);
    expect_all_rows_match(GetParam(), 1, 3, 1, false);
    expect_all_rows_match(GetParam(), 3, 0, 0, false);
}
TEST_P(BinaryKernels, NegativeStridesMatchScalar) {
    expect_all_rows_match(GetParam(), -1, 1, 0, false);
    expect_all_rows_match(GetParam(), 1, -2, 0, false);
    expect_all_rows_match(GetParam(), 0, -1, 1, false);
}

// Rows past kStreamingStoreBytes take the non-temporal store path (when out is vector-aligned):
// same bits as the scalar reference, aligned or not, with either operand broadcast, in place too.
TEST_P(BinaryKernels, RowsLargeEnoughToStreamMatchScalar) {
    const int64_t count = (int64_t{9} << 20) / int64_t{sizeof(float)} + 13;
    const std::vector<float> a = ngtest::values_with_specials<float>(static_cast<size_t>(count) + 16, 3);
    const std::vector<float> b = ngtest::values_with_specials<float>(static_cast<size_t>(count) + 16, 4);
    const auto& tier = ng::kernel_table(GetParam());
    const auto& scalar = ng::kernel_table(NG_CPU_TIER_SCALAR);
    for (ng_binary_op op : {NG_BINARY_ADD, NG_BINARY_MUL, NG_BINARY_DIV, NG_BINARY_MAXIMUM}) {
        for (int64_t out_offset : {0, 1}) {
            for (auto [a_stride, b_stride] : {std::pair<int64_t, int64_t>{1, 1}, {0, 1}, {1, 0}}) {
                // 64-byte aligned storage, as every tensor's; out_offset 1 makes the output unaligned.
                std::vector<float> expected_storage(static_cast<size_t>(count) + 32), actual_storage(expected_storage.size());
                auto aligned = [](std::vector<float>& v) {
                    auto address = reinterpret_cast<uintptr_t>(v.data());
                    return v.data() + ((64 - address % 64) % 64) / sizeof(float);
                };
                float* expected = aligned(expected_storage) + out_offset;
                float* actual = aligned(actual_storage) + out_offset;
                scalar.binary(op, NG_DTYPE_F32)(count, a.data(), a_stride, b.data(), b_stride, expected);
                tier.binary(op, NG_DTYPE_F32)(count, a.data(), a_stride, b.data(), b_stride, actual);
                ASSERT_EQ(std::memcmp(expected, actual, static_cast<size_t>(count) * sizeof(float)), 0)
                    << "op " << op << " offset " << out_offset << " strides " << a_stride << "," << b_stride;
            }
        }
    }
    // In place (out == a), where a is read before each line is streamed over it.
    std::vector<double> x = ngtest::values_with_specials<double>(static_cast<size_t>(count), 5);
    std::vector<double> y = ngtest::values_with_specials<double>(static_cast<size_t>(count), 6);
    std::vector<double> expected = x;
    scalar.binary(NG_BINARY_SUB, NG_DTYPE_F64)(count, expected.data(), 1, y.data(), 1, expected.data());
    tier.binary(NG_BINARY_SUB, NG_DTYPE_F64)(count, x.data(), 1, y.data(), 1, x.data());
    ASSERT_EQ(std::memcmp(expected.data(), x.data(), x.size() * sizeof(double)), 0);
}

// ---- The reference's semantics, by hand, on every tier ------------------------------------------

template <class T, class R = T>
std::vector<R> apply(ng_cpu_tier tier, ng_binary_op op, ng_dtype dtype, const std::vector<T>& a,
                     const std::vector<T>& b) {
    std::vector<R> out(a.size());
    ng::kernel_table(tier).binary(op, dtype)(static_cast<int64_t>(a.size()), a.data(), 1, b.data(), 1, out.data());
    return out;
}

// Repeats a short case to 37 elements so the vector body and the tail both see it.
template <class T>
std::vector<T> repeated(std::initializer_list<T> values) {
    std::vector<T> out;
    while (out.size() < 37) out.insert(out.end(), values);
    out.resize(37);
    return out;
}

// fmod keeps the sign of a, remainder (Python's %) takes the sign of b; integers too.
TEST_P(BinaryKernels, FmodHasTheSignOfAAndRemainderTheSignOfB) {
    const std::vector<double> a = repeated<double>({5.0, -5.0, 5.0, -5.0, -0.0, 5.5});
    const std::vector<double> b = repeated<double>({3.0, 3.0, -3.0, -3.0, 2.0, 0.0});
    const std::vector<double> fmod = apply(GetParam(), NG_BINARY_FMOD, NG_DTYPE_F64, a, b);
    const std::vector<double> remainder = apply(GetParam(), NG_BINARY_REMAINDER, NG_DTYPE_F64, a, b);
    const double expected_fmod[] = {2.0, -2.0, 2.0, -2.0, -0.0};
    const double expected_remainder[] = {2.0, 1.0, -1.0, -2.0, -0.0};
    for (size_t i = 0; i + 6 <= a.size(); i += 6) {
        for (size_t j = 0; j < 5; ++j) {
            EXPECT_TRUE(same_value(fmod[i + j], expected_fmod[j])) << a[i + j] << " fmod " << b[i + j];
            EXPECT_TRUE(same_value(remainder[i + j], expected_remainder[j])) << a[i + j] << " % " << b[i + j];
        }
        EXPECT_TRUE(std::isnan(fmod[i + 5]) && std::isnan(remainder[i + 5]));
    }
    const int64_t min = std::numeric_limits<int64_t>::min();
    const std::vector<int64_t> ia = {5, -5, 5, -5, min, 7}, ib = {3, 3, -3, -3, -1, 0};
    EXPECT_EQ(apply(GetParam(), NG_BINARY_FMOD, NG_DTYPE_I64, ia, ib), (std::vector<int64_t>{2, -2, 2, -2, 0, 0}));
    EXPECT_EQ(apply(GetParam(), NG_BINARY_REMAINDER, NG_DTYPE_I64, ia, ib), (std::vector<int64_t>{2, 1, -1, -2, 0, 0}));
}

TEST_P(BinaryKernels, BitwiseOpsOnInt64) {
    const int64_t min = std::numeric_limits<int64_t>::min();
    const std::vector<int64_t> a = {12, -1, min, 0, 5}, b = {10, 7, -1, -1, -6};
    EXPECT_EQ(apply(GetParam(), NG_BINARY_BITWISE_AND, NG_DTYPE_I64, a, b), (std::vector<int64_t>{8, 7, min, 0, 0}));
    EXPECT_EQ(apply(GetParam(), NG_BINARY_BITWISE_OR, NG_DTYPE_I64, a, b), (std::vector<int64_t>{14, -1, -1, -1, -1}));
    EXPECT_EQ(apply(GetParam(), NG_BINARY_BITWISE_XOR, NG_DTYPE_I64, a, b), (std::vector<int64_t>{6, -8, ~min, -1, -1}));
}

TEST_P(BinaryKernels, Atan2AndHypotAreTheCLibrarys) {
    const std::vector<float> a = ngtest::random_values<float>(37, 8), b = ngtest::random_values<float>(37, 9);
    const std::vector<float> atan2 = apply(GetParam(), NG_BINARY_ATAN2, NG_DTYPE_F32, a, b);
    const std::vector<float> hypot = apply(GetParam(), NG_BINARY_HYPOT, NG_DTYPE_F32, a, b);
    for (size_t i = 0; i < a.size(); ++i) {
        EXPECT_TRUE(same_value(atan2[i], std::atan2(a[i], b[i])));
        EXPECT_TRUE(same_value(hypot[i], std::hypot(a[i], b[i])));
    }
}

TEST_P(BinaryKernels, MaximumAndMinimumPropagateNaNAndKeepTheFirstOnTies) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const std::vector<float> a = repeated<float>({1.0f, nan, 3.0f, -0.0f, 0.0f, -2.0f, nan});
    const std::vector<float> b = repeated<float>({2.0f, 1.0f, nan, 0.0f, -0.0f, -3.0f, nan});
    const std::vector<float> max = apply(GetParam(), NG_BINARY_MAXIMUM, NG_DTYPE_F32, a, b);
    const std::vector<float> min = apply(GetParam(), NG_BINARY_MINIMUM, NG_DTYPE_F32, a, b);
    for (size_t i = 0; i + 7 <= a.size(); i += 7) {
        EXPECT_EQ(max[i], 2.0f);
        EXPECT_TRUE(std::isnan(max[i + 1]) && std::isnan(max[i + 2])) << i;
        EXPECT_TRUE(same_value(max[i + 3], -0.0f)) << "maximum(-0, 0) is -0, as in PyTorch";
        EXPECT_TRUE(same_value(max[i + 4], 0.0f));
        EXPECT_EQ(max[i + 5], -2.0f);
        EXPECT_TRUE(std::isnan(max[i + 6]) && std::isnan(min[i + 6]));
        EXPECT_EQ(min[i], 1.0f);
        EXPECT_TRUE(std::isnan(min[i + 1]) && std::isnan(min[i + 2])) << i;
        EXPECT_TRUE(same_value(min[i + 3], -0.0f));
        EXPECT_TRUE(same_value(min[i + 4], 0.0f));
        EXPECT_EQ(min[i + 5], -3.0f);
    }
    const std::vector<int64_t> ia = {5, -7, std::numeric_limits<int64_t>::min()}, ib = {-5, 7, 0};
    EXPECT_EQ(apply(GetParam(), NG_BINARY_MAXIMUM, NG_DTYPE_I64, ia, ib), (std::vector<int64_t>{5, 7, 0}));
    EXPECT_EQ(apply(GetParam(), NG_BINARY_MINIMUM, NG_DTYPE_I64, ia, ib),
              (std::vector<int64_t>{-5, -7, std::numeric_limits<int64_t>::min()}));
}

TEST_P(BinaryKernels, ComparisonsWithNaNAreFalseExceptNotEqual) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> a = repeated<double>({1.0, 2.0, 3.0, nan, 1.0, nan, -0.0});
    const std::vector<double> b = repeated<double>({2.0, 2.0, 1.0, 1.0, nan, nan, 0.0});
    struct Expected {
        ng_binary_op op;
        uint8_t values[7];
    };
    const Expected table[] = {
        {NG_BINARY_EQ, {0, 1, 0, 0, 0, 0, 1}}, {NG_BINARY_NE, {1, 0, 1, 1, 1, 1, 0}},
        {NG_BINARY_LT, {1, 0, 0, 0, 0, 0, 0}}, {NG_BINARY_LE, {1, 1, 0, 0, 0, 0, 1}},
        {NG_BINARY_GT, {0, 0, 1, 0, 0, 0, 0}}, {NG_BINARY_GE, {0, 1, 1, 0, 0, 0, 1}},
    };
    for (const Expected& e : table) {
        const std::vector<uint8_t> out = apply<double, uint8_t>(GetParam(), e.op, NG_DTYPE_F64, a, b);
        for (size_t i = 0; i < out.size(); ++i) ASSERT_EQ(out[i], e.values[i % 7]) << "op " << e.op << " at " << i;
    }
    const std::vector<uint8_t> x = {0, 0, 1, 1}, y = {0, 1, 0, 1};
    EXPECT_EQ((apply<uint8_t, uint8_t>(GetParam(), NG_BINARY_LT, NG_DTYPE_BOOL, x, y)), (std::vector<uint8_t>{0, 1, 0, 0}));
    EXPECT_EQ((apply<uint8_t, uint8_t>(GetParam(), NG_BINARY_NE, NG_DTYPE_BOOL, x, y)), (std::vector<uint8_t>{0, 1, 1, 0}));
    const std::vector<int64_t> i = {-1, 5, std::numeric_limits<int64_t>::min()}, j = {1, 5, 0};
    EXPECT_EQ((apply<int64_t, uint8_t>(GetParam(), NG_BINARY_GE, NG_DTYPE_I64, i, j)), (std::vector<uint8_t>{0, 1, 0}));
}

TEST_P(BinaryKernels, IntegerArithmeticWrapsAndPowSquares) {
    const int64_t max = std::numeric_limits<int64_t>::max(), min = std::numeric_limits<int64_t>::min();
    const std::vector<int64_t> a = {max, min, 3, -3, 2, 0, 7, -2, 1};
    const std::vector<int64_t> b = {1, 1, 4, 3, 62, 0, 0, 63, 1000000};
    EXPECT_EQ(apply(GetParam(), NG_BINARY_ADD, NG_DTYPE_I64, a, b),
              (std::vector<int64_t>{min, min + 1, 7, 0, 64, 0, 7, 61, 1000001}));
    EXPECT_EQ(apply(GetParam(), NG_BINARY_SUB, NG_DTYPE_I64, a, b),
              (std::vector<int64_t>{max - 1, max, -1, -6, -60, 0, 7, -65, -999999}));
    EXPECT_EQ(apply(GetParam(), NG_BINARY_MUL, NG_DTYPE_I64, a, b),
              (std::vector<int64_t>{max, min, 12, -9, 124, 0, 0, -126, 1000000}));
    EXPECT_EQ(apply(GetParam(), NG_BINARY_POW, NG_DTYPE_I64, a, b),
              (std::vector<int64_t>{max, min, 81, -27, int64_t{1} << 62, 1, 1, min, 1}));
}

// PyTorch 1.13's tensor ** tensor for integers: a negative exponent truncates 1 / a^-b, so 1 and -1
// keep their powers (-1 by the exponent's parity, INT64_MIN even) and every other base, 0 too, gives 0.
TEST_P(BinaryKernels, IntegerNegativeExponentsTruncate) {
    const int64_t min = std::numeric_limits<int64_t>::min();
    const std::vector<int64_t> a = {2, 1, -1, -1, 0, 3, -2, -1, -1, 1, 5};
    const std::vector<int64_t> b = {-1, -3, -3, -2, -2, -1, -2, min, min + 1, min, 0};
    EXPECT_EQ(apply(GetParam(), NG_BINARY_POW, NG_DTYPE_I64, a, b),
              (std::vector<int64_t>{0, 1, -1, 1, 0, 0, 0, 1, -1, 1, 1}));
}

TEST_P(BinaryKernels, FloatArithmeticIsIeee) {
    const float inf = std::numeric_limits<float>::infinity();
    const std::vector<float> a = {1.0f, -1.0f, 0.0f, 2.0f, 0.1f, 2.0f, -8.0f};
    const std::vector<float> b = {0.0f, 0.0f, 0.0f, 0.5f, 0.2f, 10.0f, 1.0f / 3.0f};
    const std::vector<float> div = apply(GetParam(), NG_BINARY_DIV, NG_DTYPE_F32, a, b);
    EXPECT_EQ(div[0], inf);
    EXPECT_EQ(div[1], -inf);
    EXPECT_TRUE(std::isnan(div[2]));
    EXPECT_EQ(div[3], 4.0f);
    EXPECT_EQ(apply(GetParam(), NG_BINARY_SUB, NG_DTYPE_F32, a, b)[4], 0.1f - 0.2f);
    const std::vector<float> pow = apply(GetParam(), NG_BINARY_POW, NG_DTYPE_F32, a, b);
    EXPECT_EQ(pow[5], 1024.0f);
    EXPECT_TRUE(std::isnan(pow[6])) << "a negative base to a non-integer power";
}

INSTANTIATE_TEST_SUITE_P(Tiers, BinaryKernels, testing::ValuesIn(ngtest::kAllTiers), ngtest::tier_name);

}  // namespace
