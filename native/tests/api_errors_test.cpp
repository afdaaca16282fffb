// Every status each export can return, with the message naming the argument at fault.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <thread>

#include "api/guard.h"
#include "test_support.h"

namespace {

using ngtest::failed_with;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

ng_dtype bad_dtype(int value) { return static_cast<ng_dtype>(value); }

// ---- Status names, version, last error -----------------------------------------------------

TEST(StatusToString, NamesEveryStatus) {
    EXPECT_STREQ(ng_status_to_string(NG_STATUS_OK), "NG_STATUS_OK");
    EXPECT_STREQ(ng_status_to_string(NG_STATUS_NULL_POINTER), "NG_STATUS_NULL_POINTER");
    EXPECT_STREQ(ng_status_to_string(NG_STATUS_INVALID_ARGUMENT), "NG_STATUS_INVALID_ARGUMENT");
    EXPECT_STREQ(ng_status_to_string(NG_STATUS_INVALID_SIZE), "NG_STATUS_INVALID_SIZE");
    EXPECT_STREQ(ng_status_to_string(NG_STATUS_SHAPE_MISMATCH), "NG_STATUS_SHAPE_MISMATCH");
    EXPECT_STREQ(ng_status_to_string(NG_STATUS_UNSUPPORTED_DTYPE), "NG_STATUS_UNSUPPORTED_DTYPE");
    EXPECT_STREQ(ng_status_to_string(NG_STATUS_OUT_OF_MEMORY), "NG_STATUS_OUT_OF_MEMORY");
    EXPECT_STREQ(ng_status_to_string(NG_STATUS_INTERNAL), "NG_STATUS_INTERNAL");
}

TEST(StatusToString, UnknownStatusIsNamedSo) {
    for (int value : {-6, -50, 1, 12345, std::numeric_limits<int>::min()}) {
        EXPECT_STREQ(ng_status_to_string(static_cast<ng_status>(value)), "unknown status") << value;
    }
}

TEST(Version, MatchesHeader) { EXPECT_EQ(ng_version_number(), NG_VERSION_NUMBER); }

TEST(LastError, IsEmptyOnAThreadWhereNothingFailed) {
    std::string seen = "not run";
    std::thread([&] { seen = ng_last_error_message(); }).join();
    EXPECT_EQ(seen, "");
}

TEST(LastError, IsThreadLocal) {
    ASSERT_TRUE(failed_with(ng_memory_set_cache_limit(-7), NG_STATUS_INVALID_SIZE, {"got -7"}));
    const std::string mine = ng_last_error_message();

    std::string theirs;
    std::thread([&] {
        ng_storage_alloc(-3, nullptr);
        theirs = ng_last_error_message();
    }).join();

    EXPECT_NE(theirs.find("ng_storage_alloc: out_ptr must not be NULL"), std::string::npos) << theirs;
    EXPECT_EQ(ng_last_error_message(), mine);
}

TEST(LastError, SurvivesLaterSuccessfulCalls) {
    ASSERT_TRUE(failed_with(ng_memory_stats(nullptr), NG_STATUS_NULL_POINTER, {"ng_memory_stats"}));
    ng_memory_counters counters;
    ASSERT_EQ(ng_memory_stats(&counters), NG_STATUS_OK);
    EXPECT_STREQ(ng_last_error_message(), "ng_memory_stats: out must not be NULL");
}

// ---- The guard's mapping of exceptions (reached by exports only through bugs or OOM) ----------

TEST(Guard, MapsEachKindOfException) {
    EXPECT_EQ(ng::api::guarded("ok", [] {}), NG_STATUS_OK);
    EXPECT_TRUE(failed_with(ng::api::guarded("f", [] { throw ng::Error(NG_STATUS_SHAPE_MISMATCH, "bad shape"); }),
                            NG_STATUS_SHAPE_MISMATCH, {"f: bad shape"}));
    EXPECT_TRUE(failed_with(ng::api::guarded("f", [] { throw std::bad_alloc(); }), NG_STATUS_OUT_OF_MEMORY,
                            {"f: out of memory"}));
    EXPECT_TRUE(failed_with(ng::api::guarded("f", [] { throw std::logic_error("broken invariant"); }),
                            NG_STATUS_INTERNAL, {"f: internal error: broken invariant"}));
    EXPECT_TRUE(failed_with(ng::api::guarded("f", [] { throw 42; }), NG_STATUS_INTERNAL,
                            {"f: internal error: an exception of unknown type"}));
}

// ---- Storage -------------------------------------------------------------------------------------

TEST(StorageAllocErrors, NullOutPointer) {
    EXPECT_TRUE(failed_with(ng_storage_alloc(16, nullptr), NG_STATUS_NULL_POINTER,
                            {"ng_storage_alloc: out_ptr must not be NULL"}));
}

TEST(StorageAllocErrors, NegativeSizes) {
    for (int64_t bytes : {int64_t{-1}, int64_t{-5}, std::numeric_limits<int64_t>::min()}) {
        void* ptr = reinterpret_cast<void*>(0x1234);
        EXPECT_TRUE(failed_with(ng_storage_alloc(bytes, &ptr), NG_STATUS_INVALID_SIZE,
                                {"ng_storage_alloc: bytes must be >= 0, got ", std::to_string(bytes).c_str()}));
        EXPECT_EQ(ptr, nullptr);
    }
}

TEST(StorageAllocErrors, ImpossibleSizesAreOutOfMemory) {
    ng_memory_counters before, after;
    ASSERT_EQ(ng_memory_stats(&before), NG_STATUS_OK);
    for (int64_t bytes : {kInt64Max, kInt64Max / 2, (int64_t{1} << 48) + 1}) {
        void* ptr = reinterpret_cast<void*>(0x1234);
        EXPECT_TRUE(failed_with(ng_storage_alloc(bytes, &ptr), NG_STATUS_OUT_OF_MEMORY,
                                {"ng_storage_alloc: bytes (", std::to_string(bytes).c_str(), ") can never be allocated"}));
        EXPECT_EQ(ptr, nullptr);
    }
    ASSERT_EQ(ng_memory_stats(&after), NG_STATUS_OK);
    EXPECT_EQ(after.alloc_count, before.alloc_count);
    EXPECT_EQ(after.live_bytes, before.live_bytes);
}

// 2^47 bytes is the whole user address space of x86-64: the system must refuse it.
TEST(StorageAllocErrors, SystemRefusalIsOutOfMemory) {
    void* ptr = reinterpret_cast<void*>(0x1234);
    EXPECT_TRUE(failed_with(ng_storage_alloc(int64_t{1} << 47, &ptr), NG_STATUS_OUT_OF_MEMORY,
                            {"ng_storage_alloc: the system could not provide 140737488355328 bytes"}));
    EXPECT_EQ(ptr, nullptr);
}

TEST(StorageFree, NullIsANoOp) {
    ng_memory_counters before, after;
    ASSERT_EQ(ng_memory_stats(&before), NG_STATUS_OK);
    ng_storage_free(nullptr);
    ASSERT_EQ(ng_memory_stats(&after), NG_STATUS_OK);
    EXPECT_EQ(after.free_count, before.free_count);
    EXPECT_EQ(after.live_bytes, before.live_bytes);
}

TEST(MemoryErrors, StatsNeedsOut) {
    EXPECT_TRUE(failed_with(ng_memory_stats(nullptr), NG_STATUS_NULL_POINTER, {"ng_memory_stats: out must not be NULL"}));
}

TEST(MemoryErrors, NegativeCacheLimit) {
    ng_memory_counters before, after;
    ASSERT_EQ(ng_memory_stats(&before), NG_STATUS_OK);
    EXPECT_TRUE(failed_with(ng_memory_set_cache_limit(-1), NG_STATUS_INVALID_SIZE,
                            {"ng_memory_set_cache_limit: bytes must be >= 0, got -1"}));
    ASSERT_EQ(ng_memory_stats(&after), NG_STATUS_OK);
    EXPECT_EQ(after.cache_limit, before.cache_limit);
}

// ---- CPU features --------------------------------------------------------------------------------

TEST(CpuFeaturesErrors, NullOut) {
    EXPECT_TRUE(failed_with(ng_cpu_features(nullptr), NG_STATUS_NULL_POINTER, {"ng_cpu_features: out must not be NULL"}));
}

// ---- ng_gemm ----------------------------------------------------------------------------------------

class GemmErrors : public testing::Test {
protected:
    // Default problem: 2 x 3 @ 3 x 4 -> 2 x 4, all minimal leading dimensions.
    ng_status gemm(int32_t trans_a = 0, int32_t trans_b = 0, int64_t m = 2, int64_t n = 4, int64_t k = 3,
                   int64_t lda = -100, int64_t ldb = -100, int64_t ldc = -100, ng_dtype dtype = NG_DTYPE_F32,
                   const void* pa = &kUseBuffer, const void* pb = &kUseBuffer, void* pc = &kUseBuffer) {
        if (lda == -100) lda = trans_a ? m : k;
        if (ldb == -100) ldb = trans_b ? k : n;
        if (ldc == -100) ldc = n;
        if (pa == &kUseBuffer) pa = a;
        if (pb == &kUseBuffer) pb = b;
        if (pc == &kUseBuffer) pc = c;
        return ng_gemm(dtype, trans_a, trans_b, m, n, k, 1.0, pa, lda, pb, ldb, 0.0, pc, ldc);
    }
    static inline char kUseBuffer = 0;
    double a[64] = {}, b[64] = {}, c[64] = {};
};

TEST_F(GemmErrors, ValidCallSucceeds) { EXPECT_EQ(gemm(), NG_STATUS_OK) << ng_last_error_message(); }

TEST_F(GemmErrors, TransFlagsMustBeZeroOrOne) {
    EXPECT_TRUE(failed_with(gemm(2), NG_STATUS_INVALID_ARGUMENT, {"ng_gemm: trans_a must be 0 or 1, got 2"}));
    EXPECT_TRUE(failed_with(gemm(0, -1), NG_STATUS_INVALID_ARGUMENT, {"ng_gemm: trans_b must be 0 or 1, got -1"}));
}

TEST_F(GemmErrors, Dtypes) {
    EXPECT_TRUE(failed_with(gemm(0, 0, 2, 4, 3, -100, -100, -100, bad_dtype(99)), NG_STATUS_INVALID_ARGUMENT,
                            {"ng_gemm: dtype (99) is not an ng_dtype"}));
    EXPECT_TRUE(failed_with(gemm(0, 0, 2, 4, 3, -100, -100, -100, NG_DTYPE_I64), NG_STATUS_UNSUPPORTED_DTYPE,
                            {"ng_gemm: dtype NG_DTYPE_I64 (2) is not supported"}));
    EXPECT_TRUE(failed_with(gemm(0, 0, 2, 4, 3, -100, -100, -100, NG_DTYPE_BOOL), NG_STATUS_UNSUPPORTED_DTYPE,
                            {"NG_DTYPE_BOOL"}));
}

TEST_F(GemmErrors, NegativeSizes) {
    EXPECT_TRUE(failed_with(gemm(0, 0, -1, 4, 3, 3, 4, 4), NG_STATUS_INVALID_SIZE, {"ng_gemm: m must be >= 0, got -1"}));
    EXPECT_TRUE(failed_with(gemm(0, 0, 2, -2, 3, 3, 4, 4), NG_STATUS_INVALID_SIZE, {"ng_gemm: n must be >= 0, got -2"}));
    EXPECT_TRUE(failed_with(gemm(0, 0, 2, 4, -3, 3, 4, 4), NG_STATUS_INVALID_SIZE, {"ng_gemm: k must be >= 0, got -3"}));
}

TEST_F(GemmErrors, LeadingDimensionsTooSmall) {
    EXPECT_TRUE(failed_with(gemm(0, 0, 2, 4, 4, 3), NG_STATUS_SHAPE_MISMATCH,
                            {"ng_gemm: lda (3) must be >= k (4) when trans_a is 0"}));
    EXPECT_TRUE(failed_with(gemm(1, 0, 4, 4, 3, 3), NG_STATUS_SHAPE_MISMATCH,
                            {"ng_gemm: lda (3) must be >= m (4) when trans_a is 1"}));
    EXPECT_TRUE(failed_with(gemm(0, 0, 2, 4, 3, 3, 2), NG_STATUS_SHAPE_MISMATCH,
                            {"ng_gemm: ldb (2) must be >= n (4) when trans_b is 0"}));
    EXPECT_TRUE(failed_with(gemm(0, 1, 2, 4, 3, 3, 2), NG_STATUS_SHAPE_MISMATCH,
                            {"ng_gemm: ldb (2) must be >= k (3) when trans_b is 1"}));
    EXPECT_TRUE(failed_with(gemm(0, 0, 2, 4, 3, 3, 4, 3), NG_STATUS_SHAPE_MISMATCH,
                            {"ng_gemm: ldc (3) must be >= n (4)"}));
    EXPECT_TRUE(failed_with(gemm(0, 0, 0, 0, 0, -1, 0, 0), NG_STATUS_SHAPE_MISMATCH, {"lda (-1) must be >= k (0)"}));
}

TEST_F(GemmErrors, ExtentsBeyondInt64) {
    EXPECT_TRUE(failed_with(gemm(0, 0, 3, 4, 3, kInt64Max / 2), NG_STATUS_INVALID_SIZE,
                            {"ng_gemm: A (3 x 3 stored with leading dimension 4611686018427387903) spans more bytes"}));
    EXPECT_TRUE(failed_with(gemm(0, 0, 2, 4, 3, 3, kInt64Max / 4), NG_STATUS_INVALID_SIZE, {"ng_gemm: B (3 x 4"}));
    EXPECT_TRUE(failed_with(gemm(0, 0, 2, 4, 3, 3, 4, kInt64Max / 4), NG_STATUS_INVALID_SIZE, {"ng_gemm: C (2 x 4"}));
}

TEST_F(GemmErrors, NullMatrices) {
    EXPECT_TRUE(failed_with(gemm(0, 0, 2, 4, 3, -100, -100, -100, NG_DTYPE_F32, nullptr), NG_STATUS_NULL_POINTER,
                            {"ng_gemm: a must not be NULL when op(A) is 2 x 3"}));
    EXPECT_TRUE(failed_with(gemm(0, 0, 2, 4, 3, -100, -100, -100, NG_DTYPE_F32, a, nullptr), NG_STATUS_NULL_POINTER,
                            {"ng_gemm: b must not be NULL when op(B) is 3 x 4"}));
    EXPECT_TRUE(failed_with(gemm(0, 0, 2, 4, 3, -100, -100, -100, NG_DTYPE_F32, a, b, nullptr), NG_STATUS_NULL_POINTER,
                            {"ng_gemm: c must not be NULL when C is 2 x 4"}));
}

TEST_F(GemmErrors, EmptyMatricesMayBeNull) {
    EXPECT_EQ(gemm(0, 0, 0, 0, 0, 0, 0, 0, NG_DTYPE_F64, nullptr, nullptr, nullptr), NG_STATUS_OK);
    EXPECT_EQ(gemm(0, 0, 0, 5, 3, -100, -100, -100, NG_DTYPE_F64, nullptr, b, nullptr), NG_STATUS_OK);
    EXPECT_EQ(gemm(0, 0, 2, 4, 0, -100, -100, -100, NG_DTYPE_F64, nullptr, nullptr, c), NG_STATUS_OK);
}

TEST_F(GemmErrors, ChecksRunInTheHeadersOrder) {
    // trans flag, then dtype, then sizes, then leading dimensions, then pointers.
    EXPECT_TRUE(failed_with(ng_gemm(bad_dtype(9), 5, 0, -1, -1, -1, 1, nullptr, -1, nullptr, -1, 0, nullptr, -1),
                            NG_STATUS_INVALID_ARGUMENT, {"trans_a"}));
    EXPECT_TRUE(failed_with(ng_gemm(bad_dtype(9), 0, 0, -1, -1, -1, 1, nullptr, -1, nullptr, -1, 0, nullptr, -1),
                            NG_STATUS_INVALID_ARGUMENT, {"dtype (9)"}));
    EXPECT_TRUE(failed_with(ng_gemm(NG_DTYPE_F32, 0, 0, -1, -1, -1, 1, nullptr, -1, nullptr, -1, 0, nullptr, -1),
                            NG_STATUS_INVALID_SIZE, {"m must be"}));
    EXPECT_TRUE(failed_with(ng_gemm(NG_DTYPE_F32, 0, 0, 2, 2, 2, 1, nullptr, 1, nullptr, 2, 0, nullptr, 2),
                            NG_STATUS_SHAPE_MISMATCH, {"lda (1)"}));
}

// ---- ng_gemm_batched: ng_gemm's checks, then the batch's -----------------------------------------

class GemmBatchedErrors : public testing::Test {
protected:
    // Default: 3 products of 2 x 3 @ 3 x 4, packed back to back.
    ng_status gemm(int64_t batch = 3, int64_t stride_a = 6, int64_t stride_b = 12, int64_t stride_c = 8,
                   int64_t ldc = 4, void* pc = nullptr) {
        return ng_gemm_batched(NG_DTYPE_F64, 0, 0, 2, 4, 3, batch, 1.0, a, 3, stride_a, b, 4, stride_b, 0.0,
                               pc == nullptr ? c : pc, ldc, stride_c);
    }
    double a[64] = {}, b[64] = {}, c[64] = {};
};

TEST_F(GemmBatchedErrors, ValidCallsSucceed) {
    EXPECT_EQ(gemm(), NG_STATUS_OK) << ng_last_error_message();
    EXPECT_EQ(gemm(3, 0, 0), NG_STATUS_OK) << "A and B shared by every product";
    EXPECT_EQ(gemm(0, 0, 0, 0), NG_STATUS_OK) << "an empty batch";
    EXPECT_EQ(gemm(1, 0, 0, 0), NG_STATUS_OK) << "one product needs no stride";
}

TEST_F(GemmBatchedErrors, RunsNgGemmsChecksFirst) {
    EXPECT_TRUE(failed_with(ng_gemm_batched(NG_DTYPE_F64, 3, 0, 2, 4, 3, 1, 1.0, a, 3, 0, b, 4, 0, 0.0, c, 4, 0),
                            NG_STATUS_INVALID_ARGUMENT, {"ng_gemm_batched: trans_a must be 0 or 1, got 3"}));
    EXPECT_TRUE(failed_with(ng_gemm_batched(NG_DTYPE_F64, 0, 0, 2, 4, 3, 1, 1.0, a, 2, 0, b, 4, 0, 0.0, c, 4, 0),
                            NG_STATUS_SHAPE_MISMATCH, {"ng_gemm_batched: lda (2) must be >= k (3) when trans_a is 0"}));
}

TEST_F(GemmBatchedErrors, NegativeBatchOrStrides) {
    EXPECT_TRUE(failed_with(gemm(-1), NG_STATUS_INVALID_SIZE, {"ng_gemm_batched: batch must be >= 0, got -1"}));
    EXPECT_TRUE(failed_with(gemm(3, -6), NG_STATUS_INVALID_SIZE, {"ng_gemm_batched: stride_a must be >= 0, got -6"}));
    EXPECT_TRUE(failed_with(gemm(3, 6, -1), NG_STATUS_INVALID_SIZE, {"ng_gemm_batched: stride_b must be >= 0, got -1"}));
    EXPECT_TRUE(failed_with(gemm(3, 6, 12, -8), NG_STATUS_INVALID_SIZE, {"ng_gemm_batched: stride_c must be >= 0, got -8"}));
}

TEST_F(GemmBatchedErrors, OverlappingOutputs) {
    EXPECT_TRUE(failed_with(gemm(3, 6, 12, 7), NG_STATUS_SHAPE_MISMATCH,
                            {"ng_gemm_batched: stride_c (7) must be >= (m - 1) * ldc + n (8) so that the 3 C matrices "
                             "do not overlap"}));
    // With ldc = 5 a C matrix spans (2 - 1) * 5 + 4 = 9 elements: stride_c 9 is exactly enough.
    EXPECT_EQ(gemm(2, 6, 12, 9, 5), NG_STATUS_OK) << ng_last_error_message();
    EXPECT_TRUE(failed_with(gemm(2, 6, 12, 8, 5), NG_STATUS_SHAPE_MISMATCH, {"stride_c (8) must be >= (m - 1) * ldc + n (9)"}));
}

TEST_F(GemmBatchedErrors, BatchBeyondInt64) {
    EXPECT_TRUE(failed_with(gemm(3, kInt64Max / 16), NG_STATUS_INVALID_SIZE,
                            {"ng_gemm_batched: the batch of 3 A matrices 576460752303423487 elements apart spans more "
                             "bytes than an int64 can count"}));
    EXPECT_TRUE(failed_with(gemm(3, 6, kInt64Max / 16), NG_STATUS_INVALID_SIZE, {"the batch of 3 B matrices"}));
    EXPECT_TRUE(failed_with(gemm(3, 6, 12, kInt64Max / 16), NG_STATUS_INVALID_SIZE, {"the batch of 3 C matrices"}));
}

}  // namespace
