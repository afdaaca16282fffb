// The thread pool behind parallel.h and ng_threads_*: every index runs exactly once whatever the
// thread count, nested and concurrent callers fall back to serial work without deadlock, and the
// split exports give the one-thread result bit for bit.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <thread>
#include <vector>

#include "nativegrad.h"
#include "parallel.h"
#include "test_support.h"

namespace {

// Restores the thread count a test changed, so test order does not matter.
class ThreadCountScope {
public:
    ThreadCountScope() : saved_(ng_threads_get()) {}
    ~ThreadCountScope() { ng_threads_set(saved_); }

private:
    int32_t saved_;
};

TEST(ThreadPool, EveryIndexRunsExactlyOnceForAnyThreadCount) {
    ThreadCountScope scope;
    for (int threads : {1, 2, 3, 8}) {
        ASSERT_EQ(ng_threads_set(threads), NG_STATUS_OK);
        for (int64_t count : {int64_t{0}, int64_t{1}, int64_t{7}, int64_t{1000}, int64_t{100003}}) {
            std::vector<std::atomic<int>> hits(static_cast<size_t>(count));
            std::atomic<int> chunks{0};
            ng::parallel_for(count, 10, [&](int64_t begin, int64_t end) {
                EXPECT_LT(begin, end);
                ++chunks;
                for (int64_t i = begin; i < end; ++i) ++hits[static_cast<size_t>(i)];
            });
            for (int64_t i = 0; i < count; ++i) ASSERT_EQ(hits[static_cast<size_t>(i)], 1) << i;
            EXPECT_LE(chunks, threads);
        }
    }
}

TEST(ThreadPool, RangesUnderTwoGrainsStayOnTheCallersThread) {
    ThreadCountScope scope;
    ASSERT_EQ(ng_threads_set(4), NG_STATUS_OK);
    const std::thread::id caller = std::this_thread::get_id();
    ng::parallel_for(199, 100, [&](int64_t begin, int64_t end) {
        EXPECT_EQ(std::this_thread::get_id(), caller);
        EXPECT_EQ(begin, 0);
        EXPECT_EQ(end, 199);
    });
}

TEST(ThreadPool, NestedAndConcurrentCallsRunSeriallyInsteadOfWaiting) {
    ThreadCountScope scope;
    ASSERT_EQ(ng_threads_set(2), NG_STATUS_OK);
    std::atomic<int64_t> total{0};
    auto nested = [&] {
        ng::parallel_for(64, 1, [&](int64_t begin, int64_t end) {
            ng::parallel_for(end - begin, 1, [&](int64_t b, int64_t e) { total += e - b; });
        });
    };
    std::vector<std::thread> callers;
    for (int i = 0; i < 4; ++i) callers.emplace_back([&] {
        for (int round = 0; round < 200; ++round) nested();
    });
    for (std::thread& caller : callers) caller.join();
    EXPECT_EQ(total, int64_t{4} * 200 * 64);
}

TEST(ThreadPool, ResizingBetweenJobsKeepsWorking) {
    ThreadCountScope scope;
    for (int round = 0; round < 50; ++round) {
        ASSERT_EQ(ng_threads_set(1 + round % 3), NG_STATUS_OK);
        EXPECT_EQ(ng_threads_get(), 1 + round % 3);
        std::atomic<int64_t> sum{0};
        ng::parallel_for(1000, 1, [&](int64_t begin, int64_t end) {
            for (int64_t i = begin; i < end; ++i) sum += i;
        });
        EXPECT_EQ(sum, 999 * 1000 / 2);
    }
}

TEST(ThreadsApi, RejectsCountsOutsideTheRange) {
    ThreadCountScope scope;
    const int32_t before = ng_threads_get();
    for (int32_t bad : {0, -1, 1025}) {
        EXPECT_EQ(ng_threads_set(bad), NG_STATUS_INVALID_ARGUMENT);
        EXPECT_NE(std::strstr(ng_last_error_message(), "threads must be in [1, 1024]"), nullptr)
            << ng_last_error_message();
        EXPECT_EQ(ng_threads_get(), before);
    }
}

// Large enough to split (several kElementwiseGrain), with a ragged tail and a broadcast operand.
TEST(ThreadsApi, SplitExportsMatchOneThreadBitForBit) {
    ThreadCountScope scope;
    const int64_t rows = 3, cols = 100003, count = rows * cols;
    const std::vector<float> a = ngtest::values_with_specials<float>(static_cast<size_t>(count), 1);
    const std::vector<float> b = ngtest::values_with_specials<float>(static_cast<size_t>(cols), 2);
    const int64_t shape[] = {rows, cols}, a_strides[] = {cols, 1}, b_strides[] = {0, 1};
    const int64_t flat[] = {count}, unit[] = {1};
    auto run = [&](int threads) {
        EXPECT_EQ(ng_threads_set(threads), NG_STATUS_OK);
        std::vector<float> sum(static_cast<size_t>(count)), exp(static_cast<size_t>(count)),
            copy(static_cast<size_t>(count));
        EXPECT_EQ(ng_binary(NG_BINARY_ADD, NG_DTYPE_F32, 2, shape, a.data(), a_strides, b.data(), b_strides,
                            sum.data()), NG_STATUS_OK);
        EXPECT_EQ(ng_unary(NG_UNARY_EXP, NG_DTYPE_F32, a.data(), exp.data(), count), NG_STATUS_OK);
        EXPECT_EQ(ng_copy(1, flat, NG_DTYPE_F32, a.data(), unit, NG_DTYPE_F32, copy.data(), unit), NG_STATUS_OK);
        std::vector<float> all = sum;
        all.insert(all.end(), exp.begin(), exp.end());
        all.insert(all.end(), copy.begin(), copy.end());
        return all;
    };
    const std::vector<float> serial = run(1);
    for (int threads : {2, 3, 7}) {
        const std::vector<float> split = run(threads);
        ASSERT_EQ(std::memcmp(serial.data(), split.data(), serial.size() * sizeof(float)), 0) << threads;
    }
}

}  // namespace
