// Findings of the libFuzzer harness (native/fuzz/abi_fuzzer.cpp), one test each, reduced to the
// call that failed. The harness runs under ASan + UBSan; these run in every build.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <type_traits>

#include "test_support.h"

namespace {

using ngtest::failed_with;

// ng_status_to_string(-1524741848) was undefined behaviour (UBSan: "load of value -1524741848,
// which is not a valid value for type 'ng_status'"): in C++ an enum without a fixed underlying
// type only holds its enumerators' bit range, so any out-of-range value a C caller may pass was
// UB before the library could reject it. Every ABI enum now has int32_t underneath in C++.
TEST(FuzzRegressions, AbiEnumsHoldEveryInt32Value) {
    static_assert(std::is_same_v<std::underlying_type_t<ng_status>, int32_t>);
    static_assert(std::is_same_v<std::underlying_type_t<ng_dtype>, int32_t>);
    static_assert(std::is_same_v<std::underlying_type_t<ng_cpu_tier>, int32_t>);
    static_assert(std::is_same_v<std::underlying_type_t<ng_cpu_feature>, int32_t>);
    static_assert(std::is_same_v<std::underlying_type_t<ng_unary_op>, int32_t>);
    static_assert(std::is_same_v<std::underlying_type_t<ng_binary_op>, int32_t>);
    static_assert(std::is_same_v<std::underlying_type_t<ng_reduce_op>, int32_t>);
    EXPECT_STREQ(ng_status_to_string(static_cast<ng_status>(-1524741848)), "unknown status");

    const int32_t huge = std::numeric_limits<int32_t>::max();
    EXPECT_TRUE(failed_with(ng_unary(static_cast<ng_unary_op>(huge), NG_DTYPE_F32, nullptr, nullptr, 0),
                            NG_STATUS_INVALID_ARGUMENT, {"op (2147483647) is not an ng_unary_op"}));
    EXPECT_TRUE(failed_with(ng_unary(NG_UNARY_NEG, static_cast<ng_dtype>(-7), nullptr, nullptr, 0),
                            NG_STATUS_INVALID_ARGUMENT, {"dtype (-7) is not an ng_dtype"}));
    EXPECT_TRUE(failed_with(ng_reduce(static_cast<ng_reduce_op>(1 << 20), NG_DTYPE_F32, nullptr, 0, 0, nullptr, nullptr),
                            NG_STATUS_INVALID_ARGUMENT, {"is not an ng_reduce_op"}));
}

// Found writing the harness's model of ng_gather: x_strides were used unchecked, so a stride
// whose reach overflows int64 (no real buffer has one) made x[o * s0 + k * s1 + j * s2] overflow
// and read anywhere. They are now checked as every other strided operand's are.
TEST(FuzzRegressions, GatherRejectsStridesWhoseReachOverflows) {
    const float x[2] = {1.0f, 2.0f};
    const int64_t index[1] = {1};
    float out[1] = {-1.0f};
    const int64_t huge[3] = {0, std::numeric_limits<int64_t>::max(), 0};
    EXPECT_TRUE(failed_with(ng_gather(NG_DTYPE_F32, 1, 2, 1, x, huge, index, out), NG_STATUS_INVALID_SIZE,
                            {"ng_gather: x_strides (stride 9223372036854775807 over dimension 1 of shape [1, 2, 1])"}));
    EXPECT_EQ(out[0], -1.0f);
    // Strides that do fit, negative ones included, still gather.
    const int64_t backwards[3] = {0, -1, 0};
    ASSERT_EQ(ng_gather(NG_DTYPE_F32, 1, 2, 1, x + 1, backwards, index, out), NG_STATUS_OK);
    EXPECT_EQ(out[0], 1.0f);
}

// ng_gemm_batched(F32, m = 2, n = 2, k = 0, batch = 3, a = b = NULL with strides 5 and 7): the
// batch moved every matrix pointer by its stride, NULL ones too (UBSan: "applying non-zero offset
// 8 to null pointer"), although a matrix with no elements may be NULL; and with a stride of 2^61
// an empty matrix's pointer wrapped ("subtraction of unsigned offset ... overflowed"). Only
// matrices with elements move now. Here only C is there, to scale.
TEST(FuzzRegressions, GemmBatchedLeavesNullMatricesUnmoved) {
    // Three 2 x 2 products with ldc 2, 4 elements apart: C = 2 * C over all 12 elements.
    auto expect_doubled = [](const float* c, const char* where) {
        for (int i = 0; i < 12; ++i) EXPECT_EQ(c[i], 2.0f * static_cast<float>(i + 1)) << where << ", element " << i;
    };
    for (ng_cpu_tier tier : ngtest::kAllTiers) {
        if (!ng::cpu_supports(tier)) continue;
        float c[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        const ng::GemmArgs<float> args{false, false, 2, 2, 0, 1.0f, nullptr, 0, nullptr, 2, 2.0f, c, 2};
        ng::kernel_table(tier).gemm_batched<float>()(args, ng::GemmBatch{3, int64_t{1} << 61, 7, 4});
        expect_doubled(c, ng::kernel_table(tier).name);
    }
    float c[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    ASSERT_EQ(ng_gemm_batched(NG_DTYPE_F32, 0, 0, 2, 2, 0, 3, 1.0, nullptr, 0, 5, nullptr, 2, 7, 2.0, c, 2, 4),
              NG_STATUS_OK)
        << ng_last_error_message();
    expect_doubled(c, "ng_gemm_batched");
}

// ng_scatter(F64, outer = 1, length = 0, inner = 2, every index -1, out = NULL): out has no
// elements, so NULL is allowed, but the kernel cleared it with memset(NULL, 0, 0), which is
// undefined (UBSan: "null pointer passed as argument 1, which is declared to never be null").
TEST(FuzzRegressions, ScatterIntoNoElementsAcceptsNullOut) {
    const double values[2] = {1.0, 2.0};
    const int64_t index[2] = {-1, -1};
    EXPECT_EQ(ng_scatter(NG_DTYPE_F64, 1, 0, 2, values, index, nullptr), NG_STATUS_OK) << ng_last_error_message();
}

// ng_col2im (and ng_im2col) over a window whose rows fall on padding: the kernels formed
// `row + offset` from the NULL they pass for a padding row (UBSan: "applying non-zero offset
// 18446744073709551612 to null pointer"). Padding rows now form no pointer; values unchanged.
TEST(FuzzRegressions, WindowRowsOnPaddingFormNoPointer) {
    const ng_window2d window{3, 3, 1, 1, 2, 2, 1, 1};  // 3 x 3, padding 2: whole rows of padding
    const float image[4] = {1, 2, 3, 4};               // one 2 x 2 plane
    float columns[9 * 4];                              // 9 taps x (2 x 2 outputs)
    ASSERT_EQ(ng_im2col(NG_DTYPE_F32, 1, 1, 1, 2, 2, &window, 2, 2, image, columns), NG_STATUS_OK);
    // Output (0, 0) covers rows -2..0 and columns -2..0: only tap (2, 2) is the input's (0, 0).
    for (int tap = 0; tap < 9; ++tap) EXPECT_EQ(columns[tap * 4], tap == 8 ? 1.0f : 0.0f) << tap;
    float back[4];
    ASSERT_EQ(ng_col2im(NG_DTYPE_F32, 1, 1, 1, 2, 2, &window, 2, 2, columns, back), NG_STATUS_OK);
    // Each element comes back once per window covering it: (0, 0) is under all four outputs'
    // windows, (0, 1) and (1, 0) under two, (1, 1) under one.
    const float expected[4] = {1 * 4, 2 * 2, 3 * 2, 4 * 1};
    for (int e = 0; e < 4; ++e) EXPECT_EQ(back[e], expected[e]) << e;
}

// ng_gemm_batched(m = 0, batch = 2^62): every product is empty and the call is valid, but the
// kernels walked the whole batch (the fuzzer's 10 s timeout). A C without elements now returns
// at once.
TEST(FuzzRegressions, GemmBatchedOfEmptyProductsReturnsAtOnce) {
    const float a[4] = {}, b[16] = {};
    for (ng_dtype dtype : {NG_DTYPE_F32, NG_DTYPE_F64}) {
        EXPECT_EQ(ng_gemm_batched(dtype, 0, 0, 0, 4, 4, int64_t{1} << 62, 1.0, a, 4, 0, b, 4, 0, 1.0, nullptr, 4, 0),
                  NG_STATUS_OK)
            << ng_last_error_message();
    }
}

// ng_where over shape [1] with a stride of INT64_MIN: a dimension of size 1 never steps, so the
// call is valid, but the reach check negated the stride first (UBSan: "negation of
// -9223372036854775808 cannot be represented").
TEST(FuzzRegressions, StrideOfInt64MinOverASizeOneDimensionIsValid) {
    const int64_t shape[1] = {1};
    const int64_t odd[1] = {std::numeric_limits<int64_t>::min()};
    const uint8_t cond[1] = {1};
    const float a[1] = {3.0f}, b[1] = {4.0f};
    float out[1] = {0.0f};
    ASSERT_EQ(ng_where(NG_DTYPE_F32, 1, shape, cond, odd, a, odd, b, odd, out), NG_STATUS_OK) << ng_last_error_message();
    EXPECT_EQ(out[0], 3.0f);
}

// ng_reduce(SUM, F64, rows = 2^62, length = 0): out's 2^62 doubles overflow int64's bytes, but
// only x's size was checked (0 elements), so the kernel wrote zeros past any buffer (ASan:
// heap-buffer-overflow in reduce_row). out's size is now checked too.
TEST(FuzzRegressions, ReduceChecksTheOutputsBytesForEmptyRows) {
    double out[1] = {-1.0};
    const int64_t rows = int64_t{1} << 62;
    EXPECT_TRUE(failed_with(ng_reduce(NG_REDUCE_SUM, NG_DTYPE_F64, nullptr, rows, 0, out, nullptr),
                            NG_STATUS_INVALID_SIZE, {"ng_reduce: rows (4611686018427387904) x length (0)"}));
    EXPECT_TRUE(failed_with(ng_reduce_dim(NG_REDUCE_SUM, NG_DTYPE_F64, nullptr, 2, 0, rows, out, nullptr),
                            NG_STATUS_INVALID_SIZE, {"ng_reduce_dim: outer (2) x length (0) x inner"}));
    EXPECT_EQ(out[0], -1.0);
}

// ng_gemm(F32, m = 1, n = 0, k = INT64_MAX, lda = INT64_MAX): A's one row of 2^63 - 1 floats
// spans more bytes than an int64 counts, but the span check divided a negative by lda, which
// rounded to 0, and accepted it. The columns are now checked first.
TEST(FuzzRegressions, GemmRejectsARowWiderThanAnInt64Counts) {
    const float a[1] = {};
    const int64_t huge = std::numeric_limits<int64_t>::max();
    EXPECT_TRUE(failed_with(ng_gemm(NG_DTYPE_F32, 0, 0, 1, 0, huge, 1.0, a, huge, nullptr, 2, 0.0, nullptr, 2),
                            NG_STATUS_INVALID_SIZE, {"ng_gemm: A (1 x 9223372036854775807 stored with leading"}));
}

// ng_gemm(F32, m = 1, n = 1, k = 64, ldc = 2^60): C's one row is valid, but the micro-kernel
// prefetched all eight rows of its tile, and c + 7 * ldc overflows the address space (UBSan's
// pointer-overflow, found through ng_gemm_batched). Only the rows that exist are prefetched now.
TEST(FuzzRegressions, GemmPrefetchesOnlyTheRowsOfCThatExist) {
    float a[64], b[64];
    for (int i = 0; i < 64; ++i) a[i] = 0.5f, b[i] = 2.0f;
    const int64_t ldc = int64_t{1} << 60;
    for (ng_cpu_tier tier : {NG_CPU_TIER_SCALAR, NG_CPU_TIER_AVX2, NG_CPU_TIER_AVX512}) {
        if (!ng::cpu_supports(tier)) continue;
        float c[1] = {-1.0f};
        ng::kernel_table(tier).gemm<float>()({false, false, 1, 1, 64, 1.0f, a, 64, b, 1, 0.0f, c, ldc});
        EXPECT_EQ(c[0], 64.0f) << "tier " << tier;
    }
    float c[1] = {-1.0f};
    ASSERT_EQ(ng_gemm(NG_DTYPE_F32, 0, 0, 1, 1, 64, 1.0, a, 64, b, 1, 0.0, c, ldc), NG_STATUS_OK);
    EXPECT_EQ(c[0], 64.0f);
}

}  // namespace
