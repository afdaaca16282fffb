// The N-d strided iteration (kernels/strided.h): how coalesce() simplifies layouts, and ng_binary,
// ng_where and ng_copy's strided drivers on every tier against an element-by-element walk of the
// same shapes through the scalar reference - 0-d, empty, contiguous, broadcast, transposed,
// negative strides, size-1 dimensions with odd strides, and many dimensions.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "kernels/kernels.h"
#include "kernels/strided.h"
#include "test_support.h"

namespace {

using Dims = std::vector<int64_t>;

ng::StridedLayout coalesce(const Dims& shape, std::initializer_list<Dims> strides) {
    std::vector<const int64_t*> pointers;
    for (const Dims& s : strides) pointers.push_back(s.data());
    return ng::coalesce(static_cast<int32_t>(shape.size()), shape.data(), static_cast<int>(pointers.size()),
                        pointers.data());
}

TEST(Coalesce, ContiguousBecomesOneRow) {
    const ng::StridedLayout layout = coalesce({2, 3, 4}, {{12, 4, 1}, {12, 4, 1}});
    ASSERT_EQ(layout.ndim, 1);
    EXPECT_EQ(layout.shape[0], 24);
    EXPECT_EQ(layout.strides[0][0], 1);
    EXPECT_EQ(layout.strides[1][0], 1);
}

TEST(Coalesce, BroadcastRowsStaySeparate) {
    const ng::StridedLayout layout = coalesce({5, 2, 3}, {{6, 3, 1}, {0, 3, 1}});
    ASSERT_EQ(layout.ndim, 2);
    EXPECT_EQ(layout.shape[0], 5);
    EXPECT_EQ(layout.shape[1], 6);
    EXPECT_EQ(layout.strides[0][0], 6);
    EXPECT_EQ(layout.strides[1][0], 0);
    EXPECT_EQ(layout.strides[1][1], 1);
}

TEST(Coalesce, SizeOneDimensionsAreDroppedWhateverTheirStrides) {
    const ng::StridedLayout layout = coalesce({1, 4, 1, 5, 1}, {{999, 5, -7, 1, 3}, {0, 5, 1, 1, 0}});
    ASSERT_EQ(layout.ndim, 1);
    EXPECT_EQ(layout.shape[0], 20);
}

TEST(Coalesce, NegativeStridesMergeWhenConsistent) {
    const ng::StridedLayout layout = coalesce({2, 3}, {{-3, -1}});
    ASSERT_EQ(layout.ndim, 1);
    EXPECT_EQ(layout.shape[0], 6);
    EXPECT_EQ(layout.strides[0][0], -1);
}

TEST(Coalesce, TransposedDoesNotMerge) {
    const ng::StridedLayout layout = coalesce({3, 4}, {{1, 3}, {4, 1}});
    EXPECT_EQ(layout.ndim, 2);
}

TEST(Coalesce, EmptyAndZeroDimensional) {
    EXPECT_TRUE(coalesce({3, 0, 2}, {{0, 0, 0}}).empty);
    const ng::StridedLayout scalar = coalesce({}, {{}});
    EXPECT_FALSE(scalar.empty);
    EXPECT_EQ(scalar.ndim, 0);
    const ng::StridedLayout ones = coalesce({1, 1}, {{5, 5}});
    EXPECT_FALSE(ones.empty);
    EXPECT_EQ(ones.ndim, 0);
}

// ---- The drivers against an element-by-element walk -----------------------------------------

struct Case {
    const char* name;
    Dims shape;
    Dims strides[3];  // first, second and third operand (binary: a, b; where: cond, a, b; copy: src, dst)
};

const Case kCases[] = {
    {"0-d", {}, {{}, {}, {}}},
    {"empty", {3, 0, 2}, {{0, 2, 1}, {0, 2, 1}, {0, 2, 1}}},
    {"contiguous", {2, 3, 37}, {{111, 37, 1}, {111, 37, 1}, {111, 37, 1}}},
    {"row broadcast", {4, 35}, {{35, 1}, {0, 1}, {35, 1}}},
    {"column broadcast", {4, 35}, {{0, 1}, {1, 0}, {35, 1}}},
    {"scalars", {3, 33}, {{0, 0}, {33, 1}, {0, 0}}},
    {"transposed", {5, 34}, {{1, 5}, {34, 1}, {1, 5}}},
    {"negative", {5, 6}, {{-6, -1}, {6, -1}, {-1, -5}}},
    {"strided rows", {3, 41}, {{100, 2}, {-41, 1}, {1, 3}}},
    {"size-one dims", {1, 3, 1, 19, 1}, {{999, 19, -4, 1, 7}, {0, 0, 3, 1, 0}, {57, 19, 19, 1, 1}}},
    {"many dims", {2, 2, 2, 2, 2, 2, 3}, {{96, 48, 24, 12, 6, 3, 1}, {0, 24, 0, 6, 0, 3, 1}, {1, 2, 4, 8, 16, 32, 64}}},
};

// The byte range an operand reaches: base (element 0) sits `before` bytes into a buffer of `bytes`.
struct Extent {
    size_t before;
    size_t bytes;
};

Extent extent_of(const Dims& shape, const Dims& strides, int64_t size) {
    int64_t low = 0, high = 0;
    for (size_t d = 0; d < shape.size(); ++d) {
        if (shape[d] == 0) return {0, 16};
        const int64_t step = strides[d] * (shape[d] - 1);
        (step < 0 ? low : high) += step;
    }
    return {static_cast<size_t>(-low * size), static_cast<size_t>((high - low + 1) * size) + 16};
}

int64_t element_count(const Dims& shape) {
    int64_t count = 1;
    for (int64_t d : shape) count *= d;
    return count;
}

// Calls f(linear index, per-operand element offsets) for each element of shape in row-major order.
template <class F>
void walk(const Dims& shape, const Dims* strides, int operands, F&& f) {
    const int64_t count = element_count(shape);
    for (int64_t linear = 0; linear < count; ++linear) {
        int64_t rest = linear;
        int64_t offsets[3] = {0, 0, 0};
        for (size_t d = shape.size(); d-- > 0;) {
            const int64_t index = rest % shape[d];
            rest /= shape[d];
            for (int k = 0; k < operands; ++k) offsets[k] += index * strides[k][d];
        }
        f(linear, offsets);
    }
}

std::vector<uint8_t> values_for(ng_dtype dtype, size_t bytes, uint32_t seed) {
    std::vector<uint8_t> out(bytes);
    ngtest::with_dtype(dtype, [&](auto type) {
        using T = decltype(type);
        const std::vector<T> values = ngtest::test_values<T>(bytes / sizeof(T), seed);
        std::memcpy(out.data(), values.data(), values.size() * sizeof(T));
    });
    return out;
}

class StridedDrivers : public testing::TestWithParam<ng_cpu_tier> {
protected:
    void SetUp() override { NG_SKIP_IF_TIER_UNSUPPORTED(GetParam()); }
};

TEST_P(StridedDrivers, BinaryMatchesAnElementwiseWalk) {
    const ng::KernelTable& scalar = ng::kernel_table(NG_CPU_TIER_SCALAR);
    for (const Case& c : kCases) {
        for (int op = 0; op < ng::kBinaryOpCount; ++op) {
            for (ng_dtype dtype : ngtest::kAllDtypeValues) {
                const auto binary_op = static_cast<ng_binary_op>(op);
                if ((ng::kBinaryOpDtypes[op] & ng::dtype_bit(dtype)) == 0) continue;
                const int64_t size = ng::dtype_size(dtype);
                const ng_dtype out_dtype = ng::is_comparison(binary_op) ? NG_DTYPE_BOOL : dtype;
                const int64_t out_size = ng::dtype_size(out_dtype);
                const Extent ea = extent_of(c.shape, c.strides[0], size), eb = extent_of(c.shape, c.strides[1], size);
                const std::vector<uint8_t> a = values_for(dtype, ea.bytes, 1), b = values_for(dtype, eb.bytes, 2);
                const size_t count = static_cast<size_t>(element_count(c.shape));
                std::vector<uint8_t> expected(count * static_cast<size_t>(out_size) + 8, 0xEE), actual = expected;
                walk(c.shape, c.strides, 2, [&](int64_t linear, const int64_t* offsets) {
                    scalar.binary(binary_op, dtype)(1, a.data() + ea.before + offsets[0] * size, 0,
                                                    b.data() + eb.before + offsets[1] * size, 0,
                                                    expected.data() + linear * out_size);
                });
                ng::run_binary(ng::kernel_table(GetParam()), binary_op, dtype, static_cast<int32_t>(c.shape.size()),
                               c.shape.data(), a.data() + ea.before, c.strides[0].data(), b.data() + eb.before,
                               c.strides[1].data(), actual.data());
                size_t at = 0;
                ASSERT_TRUE(ngtest::same_elements(out_dtype, actual.data(), expected.data(), count, &at))
                    << c.name << ", op " << op << " " << ngtest::dtype_label(dtype) << ": element " << at;
                ASSERT_EQ(std::memcmp(actual.data() + count * out_size, expected.data() + count * out_size, 8), 0)
                    << c.name << ": written past the output";
            }
        }
    }
}

TEST_P(StridedDrivers, WhereMatchesAnElementwiseWalk) {
    const ng::KernelTable& scalar = ng::kernel_table(NG_CPU_TIER_SCALAR);
    for (const Case& c : kCases) {
        for (ng_dtype dtype : ngtest::kAllDtypeValues) {
            const int64_t size = ng::dtype_size(dtype);
            const Extent ec = extent_of(c.shape, c.strides[0], 1);
            const Extent ea = extent_of(c.shape, c.strides[1], size), eb = extent_of(c.shape, c.strides[2], size);
            const std::vector<uint8_t> cond = values_for(NG_DTYPE_BOOL, ec.bytes, 3);
            const std::vector<uint8_t> a = values_for(dtype, ea.bytes, 4), b = values_for(dtype, eb.bytes, 5);
            const size_t count = static_cast<size_t>(element_count(c.shape));
            std::vector<uint8_t> expected(count * static_cast<size_t>(size) + 8, 0xEE), actual = expected;
            walk(c.shape, c.strides, 3, [&](int64_t linear, const int64_t* offsets) {
                scalar.where(dtype)(1, cond.data() + ec.before + offsets[0], 0, a.data() + ea.before + offsets[1] * size,
                                    0, b.data() + eb.before + offsets[2] * size, 0, expected.data() + linear * size);
            });
            ng::run_where(ng::kernel_table(GetParam()), dtype, static_cast<int32_t>(c.shape.size()), c.shape.data(),
                          cond.data() + ec.before, c.strides[0].data(), a.data() + ea.before, c.strides[1].data(),
                          b.data() + eb.before, c.strides[2].data(), actual.data());
            ASSERT_EQ(actual, expected) << c.name << " " << ngtest::dtype_label(dtype);
        }
    }
}

// Copies read the first operand's strides and write through the third's (which may be
// transposed or negative, as writes into views are).
TEST_P(StridedDrivers, CopyMatchesAnElementwiseWalk) {
    const ng::KernelTable& scalar = ng::kernel_table(NG_CPU_TIER_SCALAR);
    for (const Case& c : kCases) {
        // A destination that writes one element twice (stride 0) has no single right answer.
        bool writes_twice = false;
        for (size_t d = 0; d < c.shape.size(); ++d) writes_twice = writes_twice || (c.shape[d] > 1 && c.strides[2][d] == 0);
        if (writes_twice) continue;
        for (ng_dtype src : ngtest::kAllDtypeValues) {
            for (ng_dtype dst : ngtest::kAllDtypeValues) {
                const int64_t src_size = ng::dtype_size(src), dst_size = ng::dtype_size(dst);
                const Extent es = extent_of(c.shape, c.strides[0], src_size);
                const Extent ed = extent_of(c.shape, c.strides[2], dst_size);
                const std::vector<uint8_t> input = values_for(src, es.bytes, 6);
                std::vector<uint8_t> expected(ed.bytes, 0xEE), actual = expected;
                const Dims walked[] = {c.strides[0], c.strides[2]};
                walk(c.shape, walked, 2, [&](int64_t, const int64_t* offsets) {
                    scalar.copy(src, dst)(1, input.data() + es.before + offsets[0] * src_size, 0,
                                          expected.data() + ed.before + offsets[1] * dst_size, 0);
                });
                ng::run_copy(ng::kernel_table(GetParam()), static_cast<int32_t>(c.shape.size()), c.shape.data(), src,
                             input.data() + es.before, c.strides[0].data(), dst, actual.data() + ed.before,
                             c.strides[2].data());
                size_t at = 0;
                ASSERT_TRUE(ngtest::same_elements(dst, actual.data(), expected.data(),
                                                  ed.bytes / static_cast<size_t>(dst_size), &at))
                    << c.name << " " << ngtest::dtype_label(src) << " -> " << ngtest::dtype_label(dst) << ": element " << at;
            }
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Tiers, StridedDrivers, testing::ValuesIn(ngtest::kAllTiers), ngtest::tier_name);

}  // namespace
