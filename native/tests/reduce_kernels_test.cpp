// Every tier's ng_reduce kernels against the scalar reference: MAX and MIN give identical values
// and indices (first extreme, first NaN) in every tier; SUM agrees within the rounding that a
// different summation order allows. Then the reference's semantics by hand, on every tier.
// Reductions down columns (inner > 1) against a plain loop over the transposed block: every tier,
// bit for bit, SUM included (each column is summed in order).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "kernels/kernels.h"
#include "test_support.h"

namespace {

using ngtest::same_value;

constexpr int64_t kRows = 3;

template <class T>
struct Reduced {
    std::vector<T> values;
    std::vector<int64_t> indices;
};

template <class T>
Reduced<T> reduce(ng_cpu_tier tier, ng_reduce_op op, ng_dtype dtype, const std::vector<T>& x, int64_t rows,
                  int64_t length) {
    Reduced<T> result{std::vector<T>(static_cast<size_t>(rows) + 1, T(77)),
                      std::vector<int64_t>(static_cast<size_t>(rows) + 1, -77)};
    ng::kernel_table(tier).reduce(op, dtype)(x.data(), rows, length, 1, result.values.data(), result.indices.data());
    return result;
}

// Values with NaNs only where `nan_every` says (0: none), and many ties: small integers.
template <class T>
std::vector<T> row_values(size_t count, uint32_t seed, size_t nan_every) {
    std::vector<T> values = ngtest::test_values<T>(count, seed);
    if constexpr (std::is_floating_point_v<T>) {
        for (size_t i = 0; i < count; ++i) {
            if (std::isnan(values[i])) values[i] = T(1);
            if (i % 3 == 0) values[i] = std::round(values[i] * T(2));  // ties (and -0 from small negatives)
        }
        if (nan_every != 0)
            for (size_t i = seed % nan_every; i < count; i += nan_every) values[i] = std::numeric_limits<T>::quiet_NaN();
    }
    return values;
}

template <class T>
void expect_extremes_match(ng_cpu_tier tier, ng_dtype dtype, int64_t length, size_t nan_every) {
    for (ng_reduce_op op : {NG_REDUCE_MAX, NG_REDUCE_MIN}) {
        const std::vector<T> x = row_values<T>(static_cast<size_t>(kRows * length), static_cast<uint32_t>(length * 3 + op),
                                               nan_every);
        const Reduced<T> expected = reduce(NG_CPU_TIER_SCALAR, op, dtype, x, kRows, length);
        const Reduced<T> actual = reduce(tier, op, dtype, x, kRows, length);
        for (size_t r = 0; r <= static_cast<size_t>(kRows); ++r) {  // the extra slot must stay untouched
            ASSERT_TRUE(same_value(actual.values[r], expected.values[r]))
                << "op " << op << " " << ngtest::dtype_label(dtype) << " length " << length << " row " << r << ": "
                << actual.values[r] << " vs " << expected.values[r];
            ASSERT_EQ(actual.indices[r], expected.indices[r]) << "op " << op << " length " << length << " row " << r;
        }
    }
}

template <class T>
void expect_sums_match(ng_cpu_tier tier, ng_dtype dtype, int64_t length) {
    // No infinities or huge values here: whether they overflow or cancel depends on the order.
    std::vector<T> x;
    if constexpr (std::is_floating_point_v<T>) x = ngtest::random_values<T>(static_cast<size_t>(kRows * length), 9);
    else x = ngtest::test_values<T>(static_cast<size_t>(kRows * length), static_cast<uint32_t>(length));
    const Reduced<T> expected = reduce(NG_CPU_TIER_SCALAR, NG_REDUCE_SUM, dtype, x, kRows, length);
    const Reduced<T> actual = reduce(tier, NG_REDUCE_SUM, dtype, x, kRows, length);
    for (size_t r = 0; r < static_cast<size_t>(kRows); ++r) {
        if constexpr (std::is_floating_point_v<T>) {
            double magnitude = 0;
            for (int64_t i = 0; i < length; ++i) magnitude += std::abs(static_cast<double>(x[r * length + i]));
            // F32 sums in double and rounds once; F64 may differ by the summation order.
            const double rounding = sizeof(T) == 4 ? std::abs(static_cast<double>(expected.values[r])) * 1.2e-7 : 0.0;
            const double tolerance = rounding + magnitude * static_cast<double>(length) * 2.3e-16;
            ASSERT_LE(std::abs(static_cast<double>(actual.values[r]) - static_cast<double>(expected.values[r])), tolerance)
                << ngtest::dtype_label(dtype) << " length " << length << " row " << r;
        } else {
            ASSERT_EQ(actual.values[r], expected.values[r]) << "I64 sums are exact (wrapping)";
        }
        EXPECT_EQ(actual.indices[r], -77) << "SUM writes no index";
    }
    EXPECT_EQ(actual.values[kRows], T(77)) << "nothing written past the rows";
}

class ReduceKernels : public testing::TestWithParam<ng_cpu_tier> {
protected:
    void SetUp() override { NG_SKIP_IF_TIER_UNSUPPORTED(GetParam()); }
};

std::vector<int64_t> lengths() {
    std::vector<int64_t> out;
    for (int64_t length = 1; length <= 40; ++length) out.push_back(length);
    for (int64_t length : {63, 64, 65, 100, 1000, 4099}) out.push_back(length);
    return out;
}

TEST_P(ReduceKernels, MaxAndMinMatchScalarWithTies) {
    for (ng_dtype dtype : {NG_DTYPE_F32, NG_DTYPE_F64, NG_DTYPE_I64}) {
        for (int64_t length : lengths()) {
            ngtest::with_dtype(dtype, [&](auto type) { expect_extremes_match<decltype(type)>(GetParam(), dtype, length, 0); });
            if (HasFatalFailure()) return;
        }
    }
}

TEST_P(ReduceKernels, MaxAndMinMatchScalarWithNaNs) {
    for (ng_dtype dtype : {NG_DTYPE_F32, NG_DTYPE_F64}) {
        for (size_t nan_every : {size_t{5}, size_t{23}, size_t{700}}) {
            for (int64_t length : lengths()) {
                ngtest::with_dtype(dtype,
                                   [&](auto type) { expect_extremes_match<decltype(type)>(GetParam(), dtype, length, nan_every); });
                if (HasFatalFailure()) return;
            }
        }
    }
}

TEST_P(ReduceKernels, SumsMatchScalar) {
    for (ng_dtype dtype : {NG_DTYPE_F32, NG_DTYPE_F64, NG_DTYPE_I64}) {
        for (int64_t length : lengths()) {
            ngtest::with_dtype(dtype, [&](auto type) { expect_sums_match<decltype(type)>(GetParam(), dtype, length); });
            if (HasFatalFailure()) return;
        }
    }
}

TEST_P(ReduceKernels, EmptyRowsSumToZero) {
    for (ng_dtype dtype : {NG_DTYPE_F32, NG_DTYPE_F64, NG_DTYPE_I64}) {
        ngtest::with_dtype(dtype, [&](auto type) {
            using T = decltype(type);
            const Reduced<T> sums = reduce(GetParam(), NG_REDUCE_SUM, dtype, std::vector<T>{}, kRows, 0);
            for (int64_t r = 0; r < kRows; ++r) EXPECT_TRUE(same_value(sums.values[r], T(0)));
        });
    }
}

TEST_P(ReduceKernels, HandComputedExtremes) {
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    struct Case {
        std::vector<double> x;
        double max;
        int64_t max_index;
        double min;
        int64_t min_index;
    };
    std::vector<double> long_ties(50, 3.0);
    long_ties[17] = 9.0;
    long_ties[33] = 9.0;
    long_ties[40] = -1.0;
    std::vector<double> late_nan(50, 1.0);
    late_nan[45] = nan;
    late_nan[48] = nan;
    const Case cases[] = {
        {{5.0}, 5.0, 0, 5.0, 0},
        {{1.0, 3.0, 3.0, nan, nan}, nan, 3, nan, 3},
        {{nan, 1.0}, nan, 0, nan, 0},
        {{-0.0, 0.0}, -0.0, 0, -0.0, 0},
        {{0.0, -0.0}, 0.0, 0, 0.0, 0},
        {{1.0, 0.0, -0.0, 0.0}, 1.0, 0, 0.0, 1},
        {{-inf, -inf, inf, inf}, inf, 2, -inf, 0},
        {long_ties, 9.0, 17, -1.0, 40},
        {late_nan, nan, 45, nan, 45},
    };
    for (const Case& c : cases) {
        const int64_t n = static_cast<int64_t>(c.x.size());
        const Reduced<double> max = reduce(GetParam(), NG_REDUCE_MAX, NG_DTYPE_F64, c.x, 1, n);
        const Reduced<double> min = reduce(GetParam(), NG_REDUCE_MIN, NG_DTYPE_F64, c.x, 1, n);
        EXPECT_TRUE(same_value(max.values[0], c.max)) << max.values[0] << " vs " << c.max << " (length " << n << ")";
        EXPECT_EQ(max.indices[0], c.max_index) << "length " << n;
        EXPECT_TRUE(same_value(min.values[0], c.min)) << min.values[0] << " vs " << c.min << " (length " << n << ")";
        EXPECT_EQ(min.indices[0], c.min_index) << "length " << n;
    }
    const std::vector<int64_t> i = {4, -9, 7, 7, -9};
    EXPECT_EQ(reduce(GetParam(), NG_REDUCE_MAX, NG_DTYPE_I64, i, 1, 5).indices[0], 2);
    EXPECT_EQ(reduce(GetParam(), NG_REDUCE_MIN, NG_DTYPE_I64, i, 1, 5).indices[0], 1);
}

TEST_P(ReduceKernels, HandComputedSums) {
    // 2^24 + 1 + 1 ... is not representable step by step in float; in double it is exact.
    std::vector<float> x(33, 1.0f);
    x[0] = 16777216.0f;
    EXPECT_EQ(reduce(GetParam(), NG_REDUCE_SUM, NG_DTYPE_F32, x, 1, 33).values[0], 16777248.0f);
    const std::vector<int64_t> i = {std::numeric_limits<int64_t>::max(), 1, 5};
    EXPECT_EQ(reduce(GetParam(), NG_REDUCE_SUM, NG_DTYPE_I64, i, 1, 3).values[0], std::numeric_limits<int64_t>::min() + 5);
    const std::vector<double> d = {1.0, std::numeric_limits<double>::infinity(), 2.0, -std::numeric_limits<double>::infinity()};
    EXPECT_TRUE(std::isnan(reduce(GetParam(), NG_REDUCE_SUM, NG_DTYPE_F64, d, 1, 4).values[0]));
    EXPECT_EQ(reduce(GetParam(), NG_REDUCE_SUM, NG_DTYPE_F64, d, 2, 2).values[0], std::numeric_limits<double>::infinity());
    // Long enough to be summed in blocks: still exact in double.
    std::vector<float> long_row(3 * 65536 + 5, 1.0f);
    long_row[0] = 16777216.0f;
    EXPECT_EQ(reduce(GetParam(), NG_REDUCE_SUM, NG_DTYPE_F32, long_row, 1, static_cast<int64_t>(long_row.size())).values[0],
              16777216.0f + static_cast<float>(long_row.size() - 1));
    const std::vector<float> rows = {1, 2, 3, 4, 5, 6};
    const Reduced<float> sums = reduce(GetParam(), NG_REDUCE_SUM, NG_DTYPE_F32, rows, 3, 2);
    EXPECT_EQ(sums.values, (std::vector<float>{3, 7, 11, 77}));
}

// ---- Down columns: outer x length x inner, the middle axis reduced ------------------------------

// The middle axis reduced by the obvious loops: SUM in order (F32 in double), MAX / MIN keeping the
// first extreme or the first NaN, as documented in nativegrad.h.
template <class T>
Reduced<T> reduce_middle_by_hand(ng_reduce_op op, const std::vector<T>& x, int64_t outer, int64_t length,
                                 int64_t inner) {
    Reduced<T> result{std::vector<T>(static_cast<size_t>(outer * inner)), std::vector<int64_t>(static_cast<size_t>(outer * inner))};
    for (int64_t o = 0; o < outer; ++o) {
        for (int64_t j = 0; j < inner; ++j) {
            auto at = [&](int64_t k) { return x[static_cast<size_t>((o * length + k) * inner + j)]; };
            const size_t r = static_cast<size_t>(o * inner + j);
            if (op == NG_REDUCE_SUM) {
                if constexpr (std::is_same_v<T, int64_t>) {
                    uint64_t sum = 0;
                    for (int64_t k = 0; k < length; ++k) sum += static_cast<uint64_t>(at(k));
                    result.values[r] = static_cast<int64_t>(sum);
                } else {
                    double sum = 0;
                    for (int64_t k = 0; k < length; ++k) sum += at(k);
                    result.values[r] = static_cast<T>(sum);
                }
                continue;
            }
            int64_t best = 0;
            for (int64_t k = 1; k < length; ++k) {
                if constexpr (std::is_floating_point_v<T>) {
                    if (std::isnan(at(best))) break;
                    if (std::isnan(at(k))) {
                        best = k;
                        break;
                    }
                }
                if (op == NG_REDUCE_MAX ? at(k) > at(best) : at(k) < at(best)) best = k;
            }
            result.values[r] = at(best);
            result.indices[r] = best;
        }
    }
    return result;
}

template <class T>
void expect_columns_match(ng_cpu_tier tier, ng_dtype dtype, int64_t outer, int64_t length, int64_t inner,
                          size_t nan_every) {
    for (ng_reduce_op op : {NG_REDUCE_SUM, NG_REDUCE_MAX, NG_REDUCE_MIN}) {
        std::vector<T> x;
        const size_t count = static_cast<size_t>(outer * length * inner);
        x = row_values<T>(count, static_cast<uint32_t>(length * 5 + inner + op), nan_every);
        if constexpr (std::is_floating_point_v<T>) {
            if (op == NG_REDUCE_SUM) x = ngtest::random_values<T>(count, static_cast<uint32_t>(length + inner));
        }
        const Reduced<T> expected = reduce_middle_by_hand(op, x, outer, length, inner);
        Reduced<T> actual{std::vector<T>(expected.values.size() + 1, T(77)), std::vector<int64_t>(expected.values.size() + 1, -77)};
        ng::kernel_table(tier).reduce(op, dtype)(x.data(), outer, length, inner, actual.values.data(), actual.indices.data());
        for (size_t r = 0; r < expected.values.size(); ++r) {
            ASSERT_TRUE(same_value(actual.values[r], expected.values[r]))
                << "op " << op << " " << ngtest::dtype_label(dtype) << " " << outer << " x " << length << " x " << inner
                << " output " << r << ": " << actual.values[r] << " vs " << expected.values[r];
            if (op != NG_REDUCE_SUM) {
                ASSERT_EQ(actual.indices[r], expected.indices[r]) << "op " << op << " output " << r;
            }
        }
        ASSERT_TRUE(same_value(actual.values.back(), T(77))) << "nothing written past the outputs";
        ASSERT_EQ(actual.indices.back(), -77);
    }
}

TEST_P(ReduceKernels, ColumnsMatchPlainLoops) {
    const int64_t inners[] = {2, 3, 7, 8, 15, 16, 17, 31, 33, 64, 65, 130, 300};
    for (ng_dtype dtype : {NG_DTYPE_F32, NG_DTYPE_F64, NG_DTYPE_I64}) {
        for (int64_t inner : inners) {
            for (int64_t length : {int64_t{1}, int64_t{2}, int64_t{5}, int64_t{40}}) {
                for (size_t nan_every : {size_t{0}, size_t{7}}) {
                    ngtest::with_dtype(dtype, [&](auto type) {
                        expect_columns_match<decltype(type)>(GetParam(), dtype, 3, length, inner, nan_every);
                    });
                    if (HasFatalFailure()) return;
                }
            }
        }
    }
}

TEST_P(ReduceKernels, ColumnsOfEmptyLengthSumToZero) {
    std::vector<float> out(7, 77.0f);
    ng::kernel_table(GetParam()).reduce(NG_REDUCE_SUM, NG_DTYPE_F32)(nullptr, 2, 0, 3, out.data(), nullptr);
    EXPECT_EQ(out, (std::vector<float>{0, 0, 0, 0, 0, 0, 77}));
}

TEST_P(ReduceKernels, HandComputedColumns) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // 1 x 4 x 3: columns (1, 5, 5, -2), (nan, 0, nan, 9), (-0, 0, -1, -1)
    const std::vector<double> x = {1, nan, -0.0, 5, 0, 0.0, 5, nan, -1, -2, 9, -1};
    std::vector<double> values(3);
    std::vector<int64_t> indices(3);
    ng::kernel_table(GetParam()).reduce(NG_REDUCE_MAX, NG_DTYPE_F64)(x.data(), 1, 4, 3, values.data(), indices.data());
    EXPECT_EQ(values[0], 5.0);
    EXPECT_TRUE(std::isnan(values[1]));
    EXPECT_TRUE(same_value(values[2], -0.0)) << "-0 and 0 tie: the first wins";
    EXPECT_EQ(indices, (std::vector<int64_t>{1, 0, 0}));
    ng::kernel_table(GetParam()).reduce(NG_REDUCE_MIN, NG_DTYPE_F64)(x.data(), 1, 4, 3, values.data(), indices.data());
    EXPECT_EQ(values[0], -2.0);
    EXPECT_EQ(indices, (std::vector<int64_t>{3, 0, 2}));
    std::vector<float> f = {16777216.0f, 1.0f};
    for (int i = 0; i < 32; ++i) f.insert(f.end(), {1.0f, 2.0f});
    std::vector<float> sums(2);
    ng::kernel_table(GetParam()).reduce(NG_REDUCE_SUM, NG_DTYPE_F32)(f.data(), 1, 33, 2, sums.data(), nullptr);
    EXPECT_EQ(sums, (std::vector<float>{16777248.0f, 65.0f})) << "F32 columns accumulate in double";
}

INSTANTIATE_TEST_SUITE_P(Tiers, ReduceKernels, testing::ValuesIn(ngtest::kAllTiers), ngtest::tier_name);

}  // namespace
