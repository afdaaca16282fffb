// Every tier's ng_copy row kernels (every pair of dtypes) and ng_where row kernels (every dtype)
// against the scalar reference, bit for bit, for every length from 0 to 40 and every stride
// pattern; then the conversions' semantics checked by hand on every tier.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#include "kernels/kernels.h"
#include "test_support.h"

namespace {

constexpr int64_t kMaxLength = 40;
constexpr size_t kGuard = 16;

struct Strides {
    int64_t first;
    int64_t second;
    int64_t third = 1;
};

// Bytes for `length` elements of `size` bytes at `stride` (plus an offset of one element and a
// guard), and the offset in bytes of element 0 (the far end for a negative stride).
size_t buffer_bytes(int64_t length, int64_t stride, int64_t size) {
    return static_cast<size_t>((std::llabs(stride) * (length > 0 ? length - 1 : 0) + 2) * size) + kGuard * 8;
}
size_t start_byte(int64_t length, int64_t stride, int64_t size) {
    return static_cast<size_t>((1 + (stride < 0 ? -stride * (length > 0 ? length - 1 : 0) : 0)) * size);
}

// Raw bytes of valid values of dtype (random, with specials for floats, 0/1 for bool).
std::vector<uint8_t> valid_bytes(ng_dtype dtype, size_t bytes, uint32_t seed) {
    std::vector<uint8_t> out(bytes);
    ngtest::with_dtype(dtype, [&](auto type) {
        using T = decltype(type);
        const std::vector<T> values = ngtest::test_values<T>(bytes / sizeof(T), seed);
        std::memcpy(out.data(), values.data(), values.size() * sizeof(T));
    });
    return out;
}

void expect_copy_matches_scalar(ng_cpu_tier tier, ng_dtype src, ng_dtype dst, int64_t length, Strides s) {
    const int64_t src_size = ng::dtype_size(src), dst_size = ng::dtype_size(dst);
    const std::vector<uint8_t> input =
        valid_bytes(src, buffer_bytes(length, s.first, src_size), static_cast<uint32_t>(length * 5 + src * 3 + dst));
    auto run = [&](ng_cpu_tier run_tier) {
        std::vector<uint8_t> out(buffer_bytes(length, s.second, dst_size), 0x5A);
        ng::kernel_table(run_tier).copy(src, dst)(length, input.data() + start_byte(length, s.first, src_size), s.first,
                                                  out.data() + start_byte(length, s.second, dst_size), s.second);
        return out;
    };
    const std::vector<uint8_t> expected = run(NG_CPU_TIER_SCALAR), actual = run(tier);
    size_t at = 0;
    ASSERT_TRUE(ngtest::same_elements(dst, actual.data(), expected.data(), actual.size() / static_cast<size_t>(dst_size), &at))
        << ngtest::dtype_label(src) << " -> " << ngtest::dtype_label(dst) << ", length " << length << ", strides ("
        << s.first << ", " << s.second << "): element " << at;
}

void expect_where_matches_scalar(ng_cpu_tier tier, ng_dtype dtype, int64_t length, Strides s) {
    const int64_t size = ng::dtype_size(dtype);
    const uint32_t seed = static_cast<uint32_t>(length * 7 + dtype);
    const std::vector<uint8_t> cond = valid_bytes(NG_DTYPE_BOOL, buffer_bytes(length, s.first, 1), seed);
    const std::vector<uint8_t> a = valid_bytes(dtype, buffer_bytes(length, s.second, size), seed + 1);
    const std::vector<uint8_t> b = valid_bytes(dtype, buffer_bytes(length, s.third, size), seed + 2);
    auto run = [&](ng_cpu_tier run_tier) {
        std::vector<uint8_t> out(buffer_bytes(length, 1, size), 0x5A);
        ng::kernel_table(run_tier).where(dtype)(length, cond.data() + start_byte(length, s.first, 1), s.first,
                                                a.data() + start_byte(length, s.second, size), s.second,
                                                b.data() + start_byte(length, s.third, size), s.third,
                                                out.data() + static_cast<size_t>(size));
        return out;
    };
    const std::vector<uint8_t> expected = run(NG_CPU_TIER_SCALAR), actual = run(tier);
    ASSERT_EQ(std::memcmp(actual.data(), expected.data(), actual.size()), 0)
        << ngtest::dtype_label(dtype) << ", length " << length << ", strides (" << s.first << ", " << s.second << ", "
        << s.third << ")";
}

class CopyWhereKernels : public testing::TestWithParam<ng_cpu_tier> {
protected:
    void SetUp() override { NG_SKIP_IF_TIER_UNSUPPORTED(GetParam()); }
};

TEST_P(CopyWhereKernels, CopyMatchesScalarForEveryDtypePairAndStride) {
    const Strides patterns[] = {{1, 1}, {0, 1}, {2, 1}, {1, 3}, {-1, 1}, {1, -1}, {0, 2}, {-2, -1}, {0, 0}};
    for (ng_dtype src : ngtest::kAllDtypeValues) {
        for (ng_dtype dst : ngtest::kAllDtypeValues) {
            ASSERT_NE(ng::kernel_table(GetParam()).copy(src, dst), nullptr);
            for (const Strides& s : patterns) {
                for (int64_t length = 0; length <= kMaxLength; ++length) {
                    expect_copy_matches_scalar(GetParam(), src, dst, length, s);
                    if (HasFatalFailure()) return;
                }
            }
        }
    }
}

TEST_P(CopyWhereKernels, WhereMatchesScalarForEveryDtypeAndStride) {
    const Strides patterns[] = {{1, 1, 1}, {1, 1, 0}, {1, 0, 1}, {0, 1, 1}, {2, -1, 3}, {0, 0, 0}, {-1, 1, 1}};
    for (ng_dtype dtype : ngtest::kAllDtypeValues) {
        ASSERT_NE(ng::kernel_table(GetParam()).where(dtype), nullptr);
        for (const Strides& s : patterns) {
            for (int64_t length = 0; length <= kMaxLength; ++length) {
                expect_where_matches_scalar(GetParam(), dtype, length, s);
                if (HasFatalFailure()) return;
            }
        }
    }
}

template <class S, class D>
std::vector<D> convert(ng_cpu_tier tier, ng_dtype src, ng_dtype dst, const std::vector<S>& x) {
    std::vector<D> out(x.size());
    ng::kernel_table(tier).copy(src, dst)(static_cast<int64_t>(x.size()), x.data(), 1, out.data(), 1);
    return out;
}

TEST_P(CopyWhereKernels, ConversionsByHand) {
    const ng_cpu_tier tier = GetParam();
    const double nan = std::numeric_limits<double>::quiet_NaN(), inf = std::numeric_limits<double>::infinity();
    const int64_t min = std::numeric_limits<int64_t>::min();
    const std::vector<double> d = {3.7, -3.7, -0.0, 0.5, nan, inf, -inf, 1e30, -9223372036854775808.0, 9.2233720368547748e18};
    EXPECT_EQ((convert<double, int64_t>(tier, NG_DTYPE_F64, NG_DTYPE_I64, d)),
              (std::vector<int64_t>{3, -3, 0, 0, min, min, min, min, min, 9223372036854774784}))
        << "truncation; NaN and out-of-range give INT64_MIN, as x86 (and PyTorch on it) does";
    EXPECT_EQ((convert<double, uint8_t>(tier, NG_DTYPE_F64, NG_DTYPE_BOOL, d)),
              (std::vector<uint8_t>{1, 1, 0, 1, 1, 1, 1, 1, 1, 1}))
        << "anything to bool is value != 0, so NaN is true and -0 false";
    const std::vector<float> f = {2.5f, -1.5f, std::numeric_limits<float>::quiet_NaN(), 16777217.0f};
    EXPECT_EQ((convert<float, int64_t>(tier, NG_DTYPE_F32, NG_DTYPE_I64, f)), (std::vector<int64_t>{2, -1, min, 16777216}));
    const std::vector<double> widened = convert<float, double>(tier, NG_DTYPE_F32, NG_DTYPE_F64, f);
    EXPECT_EQ(widened[0], 2.5);
    EXPECT_TRUE(std::isnan(widened[2]));
    const std::vector<double> narrow = {0.1, 1e300, -1e300, 1e-300};
    const std::vector<float> narrowed = convert<double, float>(tier, NG_DTYPE_F64, NG_DTYPE_F32, narrow);
    EXPECT_EQ(narrowed[0], 0.1f);
    EXPECT_EQ(narrowed[1], std::numeric_limits<float>::infinity());
    EXPECT_EQ(narrowed[2], -std::numeric_limits<float>::infinity());
    EXPECT_TRUE(ngtest::same_value(narrowed[3], 0.0f));
    const std::vector<uint8_t> bools = {0, 1, 1, 0};
    EXPECT_EQ((convert<uint8_t, double>(tier, NG_DTYPE_BOOL, NG_DTYPE_F64, bools)), (std::vector<double>{0, 1, 1, 0}));
    EXPECT_EQ((convert<uint8_t, int64_t>(tier, NG_DTYPE_BOOL, NG_DTYPE_I64, bools)), (std::vector<int64_t>{0, 1, 1, 0}));
    const std::vector<int64_t> ints = {-2, 0, 7, (int64_t{1} << 53) + 1, std::numeric_limits<int64_t>::max()};
    EXPECT_EQ((convert<int64_t, uint8_t>(tier, NG_DTYPE_I64, NG_DTYPE_BOOL, ints)), (std::vector<uint8_t>{1, 0, 1, 1, 1}));
    EXPECT_EQ((convert<int64_t, double>(tier, NG_DTYPE_I64, NG_DTYPE_F64, ints)),
              (std::vector<double>{-2, 0, 7, 9007199254740992.0, 9223372036854775808.0}));
    EXPECT_EQ((convert<int64_t, float>(tier, NG_DTYPE_I64, NG_DTYPE_F32, ints))[3], 9007199254740992.0f);
}

TEST_P(CopyWhereKernels, WherePicksBitsByCondition) {
    const double nan_payload = std::bit_cast<double>(uint64_t{0x7FF8DEADBEEF0001});
    const std::vector<uint8_t> cond = {1, 0, 1, 0};
    const std::vector<double> a = {nan_payload, 2.0, -0.0, 4.0}, b = {10.0, 20.0, 30.0, -0.0};
    std::vector<double> out(4);
    ng::kernel_table(GetParam()).where(NG_DTYPE_F64)(4, cond.data(), 1, a.data(), 1, b.data(), 1, out.data());
    EXPECT_EQ(std::bit_cast<uint64_t>(out[0]), uint64_t{0x7FF8DEADBEEF0001}) << "NaN payloads pass through";
    EXPECT_EQ(out[1], 20.0);
    EXPECT_TRUE(ngtest::same_value(out[2], -0.0));
    EXPECT_TRUE(ngtest::same_value(out[3], -0.0));
}

INSTANTIATE_TEST_SUITE_P(Tiers, CopyWhereKernels, testing::ValuesIn(ngtest::kAllTiers), ngtest::tier_name);

}  // namespace
