// Every status ng_unary, ng_binary, ng_add_scaled, ng_where, ng_copy and ng_reduce can return, with the message
// naming the argument at fault, and the order in which the checks run.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "test_support.h"

namespace {

using ngtest::failed_with;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

ng_dtype bad_dtype(int value) { return static_cast<ng_dtype>(value); }

// ---- ng_unary ------------------------------------------------------------------------------------

class UnaryErrors : public testing::Test {
protected:
    float x[4] = {1, 2, 3, 4}, out[4] = {};
};

TEST_F(UnaryErrors, UnknownOp) {
    for (int op : {27, 99, -1}) {
        EXPECT_TRUE(failed_with(ng_unary(static_cast<ng_unary_op>(op), NG_DTYPE_F32, x, out, 4), NG_STATUS_INVALID_ARGUMENT,
                                {"ng_unary: op (", std::to_string(op).c_str(), ") is not an ng_unary_op; expected one of ",
                                 "NG_UNARY_NEG (0), NG_UNARY_EXP (1)", "NG_UNARY_COSH (26)"}));
    }
}

TEST_F(UnaryErrors, UnknownAndUnsupportedDtypes) {
    EXPECT_TRUE(failed_with(ng_unary(NG_UNARY_EXP, bad_dtype(9), x, out, 4), NG_STATUS_INVALID_ARGUMENT,
                            {"ng_unary: dtype (9) is not an ng_dtype; expected NG_DTYPE_F32 (0) or NG_DTYPE_F64 (1)"}));
    EXPECT_TRUE(failed_with(ng_unary(NG_UNARY_EXP, NG_DTYPE_I64, x, out, 4), NG_STATUS_UNSUPPORTED_DTYPE,
                            {"ng_unary: dtype NG_DTYPE_I64 (2) is not supported by NG_UNARY_EXP; expected NG_DTYPE_F32 (0) "
                             "or NG_DTYPE_F64 (1)"}));
    EXPECT_TRUE(failed_with(ng_unary(NG_UNARY_NEG, NG_DTYPE_BOOL, x, out, 4), NG_STATUS_UNSUPPORTED_DTYPE,
                            {"ng_unary: dtype NG_DTYPE_BOOL (3) is not supported by NG_UNARY_NEG; expected NG_DTYPE_F32 "
                             "(0), NG_DTYPE_F64 (1) or NG_DTYPE_I64 (2)"}));
    EXPECT_TRUE(failed_with(ng_unary(NG_UNARY_RELU, NG_DTYPE_I64, x, out, 4), NG_STATUS_UNSUPPORTED_DTYPE,
                            {"by NG_UNARY_RELU"}));
}

TEST_F(UnaryErrors, NegativeOrOverflowingCount) {
    EXPECT_TRUE(failed_with(ng_unary(NG_UNARY_NEG, NG_DTYPE_F32, x, out, -1), NG_STATUS_INVALID_SIZE,
                            {"ng_unary: count must be >= 0, got -1"}));
    EXPECT_TRUE(failed_with(ng_unary(NG_UNARY_NEG, NG_DTYPE_I64, x, out, kInt64Max / 4), NG_STATUS_INVALID_SIZE,
                            {"ng_unary: count (2305843009213693951) times the 8-byte element size overflows int64"}));
}

TEST_F(UnaryErrors, NullPointers) {
    EXPECT_TRUE(failed_with(ng_unary(NG_UNARY_NEG, NG_DTYPE_F32, nullptr, out, 4), NG_STATUS_NULL_POINTER,
                            {"ng_unary: x must not be NULL when count (4) > 0"}));
    EXPECT_TRUE(failed_with(ng_unary(NG_UNARY_NEG, NG_DTYPE_F32, x, nullptr, 4), NG_STATUS_NULL_POINTER,
                            {"ng_unary: out must not be NULL when count (4) > 0"}));
    EXPECT_EQ(ng_unary(NG_UNARY_NEG, NG_DTYPE_F32, nullptr, nullptr, 0), NG_STATUS_OK);
}

TEST_F(UnaryErrors, OpThenDtypeThenCount) {
    EXPECT_TRUE(failed_with(ng_unary(static_cast<ng_unary_op>(99), bad_dtype(9), nullptr, nullptr, -1),
                            NG_STATUS_INVALID_ARGUMENT, {"op (99)"}));
    EXPECT_TRUE(failed_with(ng_unary(NG_UNARY_LOG, NG_DTYPE_BOOL, nullptr, nullptr, -1), NG_STATUS_UNSUPPORTED_DTYPE,
                            {"NG_DTYPE_BOOL"}));
}

// ---- ng_binary -----------------------------------------------------------------------------------

class BinaryErrors : public testing::Test {
protected:
    ng_status binary(ng_binary_op op = NG_BINARY_ADD, ng_dtype dtype = NG_DTYPE_F32, int32_t ndim = 2,
                     const int64_t* dims = kShape, const void* pa = &kUse, const int64_t* sa = kStrides,
                     const void* pb = &kUse, const int64_t* sb = kStrides, void* po = &kUse) {
        return ng_binary(op, dtype, ndim, dims, pa == &kUse ? a : pa, sa, pb == &kUse ? b : pb, sb,
                         po == &kUse ? static_cast<void*>(out) : po);
    }
    static inline char kUse = 0;
    static inline const int64_t kShape[] = {2, 2};
    static inline const int64_t kStrides[] = {2, 1};
    int64_t a[4] = {1, 2, 3, 4}, b[4] = {1, 1, 1, 1}, out[4] = {};
};

TEST_F(BinaryErrors, ValidCallSucceeds) { EXPECT_EQ(binary(), NG_STATUS_OK) << ng_last_error_message(); }

TEST_F(BinaryErrors, UnknownOp) {
    for (int op : {20, 99, -1}) {
        EXPECT_TRUE(failed_with(binary(static_cast<ng_binary_op>(op)), NG_STATUS_INVALID_ARGUMENT,
                                {"ng_binary: op (", std::to_string(op).c_str(), ") is not an ng_binary_op; expected one of ",
                                 "NG_BINARY_ADD (0), NG_BINARY_MUL (1), NG_BINARY_SUB (2)", "NG_BINARY_BITWISE_XOR (19)"}));
    }
}

TEST_F(BinaryErrors, UnknownAndUnsupportedDtypes) {
    EXPECT_TRUE(failed_with(binary(NG_BINARY_ADD, bad_dtype(4)), NG_STATUS_INVALID_ARGUMENT,
                            {"ng_binary: dtype (4) is not an ng_dtype; expected NG_DTYPE_F32 (0), NG_DTYPE_F64 (1) or "
                             "NG_DTYPE_I64 (2)"}));
    EXPECT_TRUE(failed_with(binary(NG_BINARY_EQ, bad_dtype(-1)), NG_STATUS_INVALID_ARGUMENT,
                            {"expected NG_DTYPE_F32 (0), NG_DTYPE_F64 (1), NG_DTYPE_I64 (2) or NG_DTYPE_BOOL (3)"}));
    EXPECT_TRUE(failed_with(binary(NG_BINARY_DIV, NG_DTYPE_I64), NG_STATUS_UNSUPPORTED_DTYPE,
                            {"ng_binary: dtype NG_DTYPE_I64 (2) is not supported by NG_BINARY_DIV; expected NG_DTYPE_F32 "
                             "(0) or NG_DTYPE_F64 (1)"}));
    EXPECT_TRUE(failed_with(binary(NG_BINARY_ADD, NG_DTYPE_BOOL), NG_STATUS_UNSUPPORTED_DTYPE,
                            {"ng_binary: dtype NG_DTYPE_BOOL (3) is not supported by NG_BINARY_ADD"}));
    EXPECT_EQ(binary(NG_BINARY_LT, NG_DTYPE_BOOL), NG_STATUS_OK) << "comparisons take every dtype";
}

TEST_F(BinaryErrors, Ndim) {
    EXPECT_TRUE(failed_with(binary(NG_BINARY_ADD, NG_DTYPE_I64, 70), NG_STATUS_INVALID_ARGUMENT,
                            {"ng_binary: ndim (70) must be in [0, 64]"}));
    EXPECT_TRUE(failed_with(binary(NG_BINARY_ADD, NG_DTYPE_I64, -1), NG_STATUS_INVALID_ARGUMENT,
                            {"ng_binary: ndim (-1) must be in [0, 64]"}));
}

TEST_F(BinaryErrors, Shape) {
    EXPECT_TRUE(failed_with(binary(NG_BINARY_ADD, NG_DTYPE_I64, 2, nullptr), NG_STATUS_NULL_POINTER,
                            {"ng_binary: shape must not be NULL when ndim (2) > 0"}));
    const int64_t negative[] = {2, -3};
    EXPECT_TRUE(failed_with(binary(NG_BINARY_ADD, NG_DTYPE_I64, 2, negative), NG_STATUS_INVALID_SIZE,
                            {"ng_binary: shape[1] must be >= 0, got -3"}));
    const int64_t huge[] = {int64_t{1} << 31, int64_t{1} << 31};
    EXPECT_TRUE(failed_with(binary(NG_BINARY_ADD, NG_DTYPE_I64, 2, huge), NG_STATUS_INVALID_SIZE,
                            {"ng_binary: shape [2147483648, 2147483648] times the 8-byte element size overflows int64"}));
}

TEST_F(BinaryErrors, Strides) {
    EXPECT_TRUE(failed_with(binary(NG_BINARY_ADD, NG_DTYPE_I64, 2, kShape, &kUse, nullptr), NG_STATUS_NULL_POINTER,
                            {"ng_binary: a_strides must not be NULL when ndim (2) > 0"}));
    EXPECT_TRUE(failed_with(binary(NG_BINARY_ADD, NG_DTYPE_I64, 2, kShape, &kUse, kStrides, &kUse, nullptr),
                            NG_STATUS_NULL_POINTER, {"ng_binary: b_strides must not be NULL when ndim (2) > 0"}));
    const int64_t far[] = {kInt64Max / 2, 1};
    EXPECT_TRUE(failed_with(binary(NG_BINARY_ADD, NG_DTYPE_I64, 2, kShape, &kUse, far), NG_STATUS_INVALID_SIZE,
                            {"ng_binary: a_strides (stride 4611686018427387903 over dimension 0 of shape [2, 2]) reach "
                             "more bytes than an int64 can count"}));
    const int64_t most_negative[] = {std::numeric_limits<int64_t>::min(), 1};
    EXPECT_TRUE(failed_with(binary(NG_BINARY_ADD, NG_DTYPE_I64, 2, kShape, &kUse, kStrides, &kUse, most_negative),
                            NG_STATUS_INVALID_SIZE, {"ng_binary: b_strides (stride -9223372036854775808"}));
    const int64_t one_row[] = {1, 2};
    EXPECT_EQ(binary(NG_BINARY_ADD, NG_DTYPE_I64, 2, one_row, &kUse, most_negative, &kUse, most_negative), NG_STATUS_OK)
        << "the stride of a size-1 dimension is never used";
}

TEST_F(BinaryErrors, NullData) {
    EXPECT_TRUE(failed_with(binary(NG_BINARY_ADD, NG_DTYPE_I64, 2, kShape, nullptr), NG_STATUS_NULL_POINTER,
                            {"ng_binary: a must not be NULL when shape [2, 2] has 4 elements"}));
    EXPECT_TRUE(failed_with(binary(NG_BINARY_ADD, NG_DTYPE_I64, 2, kShape, &kUse, kStrides, nullptr),
                            NG_STATUS_NULL_POINTER, {"ng_binary: b must not be NULL"}));
    EXPECT_TRUE(failed_with(binary(NG_BINARY_ADD, NG_DTYPE_I64, 2, kShape, &kUse, kStrides, &kUse, kStrides, nullptr),
                            NG_STATUS_NULL_POINTER, {"ng_binary: out must not be NULL"}));
    EXPECT_TRUE(failed_with(binary(NG_BINARY_ADD, NG_DTYPE_I64, 0, nullptr, nullptr, nullptr), NG_STATUS_NULL_POINTER,
                            {"ng_binary: a must not be NULL when shape [] has 1 element"}));
}

TEST_F(BinaryErrors, EmptyShapesAcceptNullData) {
    const int64_t empty[] = {3, 0};
    EXPECT_EQ(binary(NG_BINARY_ADD, NG_DTYPE_I64, 2, empty, nullptr, kStrides, nullptr, kStrides, nullptr), NG_STATUS_OK);
}

TEST_F(BinaryErrors, OpThenDtypeThenNdim) {
    EXPECT_TRUE(failed_with(binary(static_cast<ng_binary_op>(50), bad_dtype(9), 99, nullptr), NG_STATUS_INVALID_ARGUMENT,
                            {"op (50)"}));
    EXPECT_TRUE(failed_with(binary(NG_BINARY_DIV, NG_DTYPE_BOOL, 99, nullptr), NG_STATUS_UNSUPPORTED_DTYPE,
                            {"NG_DTYPE_BOOL"}));
    EXPECT_TRUE(failed_with(binary(NG_BINARY_DIV, NG_DTYPE_F64, 99, nullptr), NG_STATUS_INVALID_ARGUMENT, {"ndim (99)"}));
}

// ---- ng_where and ng_copy ------------------------------------------------------------------------

TEST(WhereErrors, EachArgument) {
    const uint8_t cond[4] = {1, 0, 1, 0};
    const float a[4] = {}, b[4] = {};
    float out[4];
    const int64_t shape[] = {4}, strides[] = {1};
    EXPECT_EQ(ng_where(NG_DTYPE_F32, 1, shape, cond, strides, a, strides, b, strides, out), NG_STATUS_OK);
    EXPECT_TRUE(failed_with(ng_where(bad_dtype(7), 1, shape, cond, strides, a, strides, b, strides, out),
                            NG_STATUS_INVALID_ARGUMENT,
                            {"ng_where: dtype (7) is not an ng_dtype; expected NG_DTYPE_F32 (0), NG_DTYPE_F64 (1), "
                             "NG_DTYPE_I64 (2) or NG_DTYPE_BOOL (3)"}));
    EXPECT_TRUE(failed_with(ng_where(NG_DTYPE_F32, 65, shape, cond, strides, a, strides, b, strides, out),
                            NG_STATUS_INVALID_ARGUMENT, {"ng_where: ndim (65) must be in [0, 64]"}));
    EXPECT_TRUE(failed_with(ng_where(NG_DTYPE_F32, 1, shape, cond, nullptr, a, strides, b, strides, out),
                            NG_STATUS_NULL_POINTER, {"ng_where: cond_strides must not be NULL when ndim (1) > 0"}));
    EXPECT_TRUE(failed_with(ng_where(NG_DTYPE_F32, 1, shape, nullptr, strides, a, strides, b, strides, out),
                            NG_STATUS_NULL_POINTER, {"ng_where: cond must not be NULL when shape [4] has 4 elements"}));
    EXPECT_TRUE(failed_with(ng_where(NG_DTYPE_F32, 1, shape, cond, strides, a, strides, b, strides, nullptr),
                            NG_STATUS_NULL_POINTER, {"ng_where: out must not be NULL"}));
    const int64_t negative[] = {-4};
    EXPECT_TRUE(failed_with(ng_where(NG_DTYPE_F32, 1, negative, cond, strides, a, strides, b, strides, out),
                            NG_STATUS_INVALID_SIZE, {"ng_where: shape[0] must be >= 0, got -4"}));
}

TEST(AddScaledErrors, EachArgument) {
    const float a[4] = {}, b[4] = {}, alpha = 0.5f;
    float out[4];
    const int64_t shape[] = {4}, strides[] = {1};
    EXPECT_EQ(ng_add_scaled(NG_DTYPE_F32, 1, shape, a, strides, b, strides, &alpha, out), NG_STATUS_OK);
    EXPECT_TRUE(failed_with(ng_add_scaled(bad_dtype(9), 1, shape, a, strides, b, strides, &alpha, out),
                            NG_STATUS_INVALID_ARGUMENT, {"ng_add_scaled: dtype (9) is not an ng_dtype"}));
    EXPECT_TRUE(failed_with(ng_add_scaled(NG_DTYPE_BOOL, 1, shape, a, strides, b, strides, &alpha, out),
                            NG_STATUS_UNSUPPORTED_DTYPE,
                            {"ng_add_scaled: dtype NG_DTYPE_BOOL (3) is not supported by ng_add_scaled; expected "
                             "NG_DTYPE_F32 (0), NG_DTYPE_F64 (1) or NG_DTYPE_I64 (2)"}));
    EXPECT_TRUE(failed_with(ng_add_scaled(NG_DTYPE_F32, -1, shape, a, strides, b, strides, &alpha, out),
                            NG_STATUS_INVALID_ARGUMENT, {"ng_add_scaled: ndim (-1) must be in [0, 64]"}));
    EXPECT_TRUE(failed_with(ng_add_scaled(NG_DTYPE_F32, 1, shape, a, strides, b, nullptr, &alpha, out),
                            NG_STATUS_NULL_POINTER, {"ng_add_scaled: b_strides must not be NULL when ndim (1) > 0"}));
    EXPECT_TRUE(failed_with(ng_add_scaled(NG_DTYPE_F32, 1, shape, a, strides, b, strides, nullptr, out),
                            NG_STATUS_NULL_POINTER, {"ng_add_scaled: alpha must not be NULL"}));
    EXPECT_TRUE(failed_with(ng_add_scaled(NG_DTYPE_F32, 1, shape, nullptr, strides, b, strides, &alpha, out),
                            NG_STATUS_NULL_POINTER, {"ng_add_scaled: a must not be NULL when shape [4] has 4 elements"}));
    EXPECT_TRUE(failed_with(ng_add_scaled(NG_DTYPE_F32, 1, shape, a, strides, b, strides, &alpha, nullptr),
                            NG_STATUS_NULL_POINTER, {"ng_add_scaled: out must not be NULL"}));
    const int64_t negative[] = {-4};
    EXPECT_TRUE(failed_with(ng_add_scaled(NG_DTYPE_F32, 1, negative, a, strides, b, strides, &alpha, out),
                            NG_STATUS_INVALID_SIZE, {"ng_add_scaled: shape[0] must be >= 0, got -4"}));
    const int64_t empty[] = {0};
    EXPECT_EQ(ng_add_scaled(NG_DTYPE_F32, 1, empty, nullptr, strides, nullptr, strides, &alpha, nullptr), NG_STATUS_OK);
}

TEST(CopyErrors, EachArgument) {
    const double src[4] = {1, 2, 3, 4};
    float dst[4];
    const int64_t shape[] = {4}, strides[] = {1};
    EXPECT_EQ(ng_copy(1, shape, NG_DTYPE_F64, src, strides, NG_DTYPE_F32, dst, strides), NG_STATUS_OK);
    EXPECT_TRUE(failed_with(ng_copy(1, shape, bad_dtype(5), src, strides, NG_DTYPE_F32, dst, strides),
                            NG_STATUS_INVALID_ARGUMENT, {"ng_copy: src_dtype (5) is not an ng_dtype"}));
    EXPECT_TRUE(failed_with(ng_copy(1, shape, NG_DTYPE_F64, src, strides, bad_dtype(-2), dst, strides),
                            NG_STATUS_INVALID_ARGUMENT, {"ng_copy: dst_dtype (-2) is not an ng_dtype"}));
    EXPECT_TRUE(failed_with(ng_copy(100, shape, NG_DTYPE_F64, src, strides, NG_DTYPE_F32, dst, strides),
                            NG_STATUS_INVALID_ARGUMENT, {"ng_copy: ndim (100) must be in [0, 64]"}));
    EXPECT_TRUE(failed_with(ng_copy(1, shape, NG_DTYPE_F64, src, nullptr, NG_DTYPE_F32, dst, strides),
                            NG_STATUS_NULL_POINTER, {"ng_copy: src_strides must not be NULL when ndim (1) > 0"}));
    EXPECT_TRUE(failed_with(ng_copy(1, shape, NG_DTYPE_F64, src, strides, NG_DTYPE_F32, dst, nullptr),
                            NG_STATUS_NULL_POINTER, {"ng_copy: dst_strides must not be NULL"}));
    EXPECT_TRUE(failed_with(ng_copy(1, shape, NG_DTYPE_F64, nullptr, strides, NG_DTYPE_F32, dst, strides),
                            NG_STATUS_NULL_POINTER, {"ng_copy: src must not be NULL when shape [4] has 4 elements"}));
    EXPECT_TRUE(failed_with(ng_copy(1, shape, NG_DTYPE_F64, src, strides, NG_DTYPE_F32, nullptr, strides),
                            NG_STATUS_NULL_POINTER, {"ng_copy: dst must not be NULL"}));
    const int64_t far[] = {kInt64Max / 4};
    EXPECT_TRUE(failed_with(ng_copy(1, shape, NG_DTYPE_F64, src, strides, NG_DTYPE_F32, dst, far),
                            NG_STATUS_INVALID_SIZE, {"ng_copy: dst_strides (stride 2305843009213693951"}));
    const int64_t empty[] = {0};
    EXPECT_EQ(ng_copy(1, empty, NG_DTYPE_F64, nullptr, strides, NG_DTYPE_F32, nullptr, strides), NG_STATUS_OK);
}

// ---- ng_reduce -----------------------------------------------------------------------------------

TEST(ReduceErrors, OpAndDtype) {
    const float x[6] = {};
    float out[2];
    EXPECT_TRUE(failed_with(ng_reduce(static_cast<ng_reduce_op>(3), NG_DTYPE_F32, x, 2, 3, out, nullptr),
                            NG_STATUS_INVALID_ARGUMENT,
                            {"ng_reduce: op (3) is not an ng_reduce_op; expected one of NG_REDUCE_SUM (0), "
                             "NG_REDUCE_MAX (1), NG_REDUCE_MIN (2)"}));
    EXPECT_TRUE(failed_with(ng_reduce(NG_REDUCE_SUM, bad_dtype(8), x, 2, 3, out, nullptr), NG_STATUS_INVALID_ARGUMENT,
                            {"ng_reduce: dtype (8) is not an ng_dtype"}));
    EXPECT_TRUE(failed_with(ng_reduce(NG_REDUCE_MAX, NG_DTYPE_BOOL, x, 2, 3, out, nullptr), NG_STATUS_UNSUPPORTED_DTYPE,
                            {"ng_reduce: dtype NG_DTYPE_BOOL (3) is not supported by NG_REDUCE_MAX; expected "
                             "NG_DTYPE_F32 (0), NG_DTYPE_F64 (1) or NG_DTYPE_I64 (2)"}));
}

TEST(ReduceErrors, Sizes) {
    const float x[6] = {};
    float out[2];
    EXPECT_TRUE(failed_with(ng_reduce(NG_REDUCE_SUM, NG_DTYPE_F32, x, -1, 3, out, nullptr), NG_STATUS_INVALID_SIZE,
                            {"ng_reduce: rows must be >= 0, got -1"}));
    EXPECT_TRUE(failed_with(ng_reduce(NG_REDUCE_SUM, NG_DTYPE_F32, x, 2, -3, out, nullptr), NG_STATUS_INVALID_SIZE,
                            {"ng_reduce: length must be >= 0, got -3"}));
    EXPECT_TRUE(failed_with(ng_reduce(NG_REDUCE_SUM, NG_DTYPE_F64, x, int64_t{1} << 31, int64_t{1} << 31, out, nullptr),
                            NG_STATUS_INVALID_SIZE,
                            {"ng_reduce: rows (2147483648) x length (2147483648) times the 8-byte element size "
                             "overflows int64"}));
}

TEST(ReduceErrors, MaxAndMinOfEmptyRows) {
    float out[3];
    EXPECT_TRUE(failed_with(ng_reduce(NG_REDUCE_MAX, NG_DTYPE_F32, nullptr, 3, 0, out, nullptr),
                            NG_STATUS_INVALID_ARGUMENT, {"ng_reduce: length must be > 0 for NG_REDUCE_MAX when rows (3) > 0"}));
    EXPECT_TRUE(failed_with(ng_reduce(NG_REDUCE_MIN, NG_DTYPE_I64, nullptr, 1, 0, out, nullptr),
                            NG_STATUS_INVALID_ARGUMENT, {"ng_reduce: length must be > 0 for NG_REDUCE_MIN when rows (1) > 0"}));
    EXPECT_EQ(ng_reduce(NG_REDUCE_MAX, NG_DTYPE_F32, nullptr, 0, 0, nullptr, nullptr), NG_STATUS_OK) << "no rows: no work";
    EXPECT_EQ(ng_reduce(NG_REDUCE_SUM, NG_DTYPE_F32, nullptr, 3, 0, out, nullptr), NG_STATUS_OK);
}

TEST(ReduceErrors, ReduceDimSizes) {
    const float x[6] = {};
    float out[2];
    EXPECT_TRUE(failed_with(ng_reduce_dim(NG_REDUCE_SUM, NG_DTYPE_F32, x, 1, 3, -2, out, nullptr), NG_STATUS_INVALID_SIZE,
                            {"ng_reduce_dim: inner must be >= 0, got -2"}));
    EXPECT_TRUE(failed_with(ng_reduce_dim(NG_REDUCE_SUM, NG_DTYPE_F64, x, int64_t{1} << 31, 2, int64_t{1} << 31, out, nullptr),
                            NG_STATUS_INVALID_SIZE,
                            {"ng_reduce_dim: outer (2147483648) x length (2) x inner (2147483648) times the 8-byte "
                             "element size overflows int64"}));
    EXPECT_TRUE(failed_with(ng_reduce_dim(NG_REDUCE_MAX, NG_DTYPE_F32, nullptr, 1, 0, 2, out, nullptr),
                            NG_STATUS_INVALID_ARGUMENT,
                            {"ng_reduce_dim: length must be > 0 for NG_REDUCE_MAX when outer (1) x inner > 0"}));
    EXPECT_EQ(ng_reduce_dim(NG_REDUCE_MAX, NG_DTYPE_F32, nullptr, 1, 0, 0, nullptr, nullptr), NG_STATUS_OK) << "no outputs";
    ASSERT_EQ(ng_reduce_dim(NG_REDUCE_SUM, NG_DTYPE_F32, x, 1, 3, 2, out, nullptr), NG_STATUS_OK);
    EXPECT_EQ(out[0], 0.0f);
}

TEST(ReduceErrors, NullPointers) {
    const float x[6] = {};
    float out[2];
    EXPECT_TRUE(failed_with(ng_reduce(NG_REDUCE_SUM, NG_DTYPE_F32, nullptr, 2, 3, out, nullptr), NG_STATUS_NULL_POINTER,
                            {"ng_reduce: x must not be NULL when rows (2) x length (3) > 0"}));
    EXPECT_TRUE(failed_with(ng_reduce(NG_REDUCE_MAX, NG_DTYPE_F32, x, 2, 3, nullptr, nullptr), NG_STATUS_NULL_POINTER,
                            {"ng_reduce: out must not be NULL when rows (2) > 0"}));
    EXPECT_TRUE(failed_with(ng_reduce(NG_REDUCE_SUM, NG_DTYPE_F32, x, 2, 0, nullptr, nullptr), NG_STATUS_NULL_POINTER,
                            {"ng_reduce: out must not be NULL when rows (2) > 0"}));
    EXPECT_EQ(ng_reduce(NG_REDUCE_SUM, NG_DTYPE_F32, nullptr, 0, 3, nullptr, nullptr), NG_STATUS_OK);
}

}  // namespace
