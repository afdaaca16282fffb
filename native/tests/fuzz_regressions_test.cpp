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

}  // namespace
