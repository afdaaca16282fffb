// The storage allocator: size classes, caching, limits, counters, and thread safety. Tests of
// behaviour that depends on cache state use their own StorageAllocator; tests through the C ABI
// share the process-wide one and so compare counter deltas.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <set>
#include <thread>
#include <vector>

#include "allocator.h"
#include "test_support.h"

namespace {

namespace sc = ng::size_classes;

bool is_aligned(const void* ptr) { return reinterpret_cast<uintptr_t>(ptr) % 64 == 0; }

ng_memory_counters stats() {
    ng_memory_counters counters{};
    EXPECT_EQ(ng_memory_stats(&counters), NG_STATUS_OK);
    return counters;
}

// NATIVEGRAD_TEST_ALLOC_PAIRS lowers the count for slow runs (valgrind).
int64_t alloc_pairs() {
    const char* text = std::getenv("NATIVEGRAD_TEST_ALLOC_PAIRS");
    return text != nullptr ? std::atoll(text) : 1'000'000;
}

// ---- Size classes -------------------------------------------------------------------------------

TEST(SizeClasses, CoverEveryRequestWithBoundedWaste) {
    int previous = 0;
    for (int64_t bytes = 0; bytes <= 200'000; ++bytes) {
        const int index = sc::index_for(bytes);
        const int64_t class_bytes = sc::bytes_of(index);
        ASSERT_GE(class_bytes, bytes);
        ASSERT_EQ(class_bytes % 64, 0) << bytes;
        ASSERT_GE(index, previous) << bytes;
        if (index > 0) {
            ASSERT_LT(sc::bytes_of(index - 1), bytes) << "not the smallest class for " << bytes;
        }
        if (bytes > 256) {
            ASSERT_LE(class_bytes, bytes + bytes / 4) << bytes;
        }
        previous = index;
    }
}

TEST(SizeClasses, IndexAndBytesRoundTripUpToTheMaximum) {
    for (int index = 0; index < sc::kCount; ++index) {
        ASSERT_EQ(sc::index_for(sc::bytes_of(index)), index);
        if (index > 0) {
            ASSERT_GT(sc::bytes_of(index), sc::bytes_of(index - 1));
        }
    }
    EXPECT_EQ(sc::bytes_of(sc::kCount - 1), sc::kMaxRequestBytes);
    EXPECT_EQ(sc::index_for(sc::kMaxRequestBytes), sc::kCount - 1);
    EXPECT_EQ(sc::bytes_of(0), 64);
    EXPECT_EQ(sc::index_for(0), 0);
}

// ---- A private allocator -------------------------------------------------------------------------

TEST(StorageAllocator, ReusesFreedBlocksOfTheSameClass) {
    ng::StorageAllocator allocator;
    void* first = allocator.allocate(1000);
    allocator.deallocate(first);
    EXPECT_EQ(allocator.counters().cached_bytes, sc::bytes_of(sc::index_for(1000)));
    void* second = allocator.allocate(1010);  // same 1024-byte class
    EXPECT_EQ(second, first);
    EXPECT_EQ(allocator.counters().cache_hits, 1);
    EXPECT_EQ(allocator.counters().cached_bytes, 0);
    EXPECT_EQ(allocator.counters().live_bytes, 1010);
    allocator.deallocate(second);
}

TEST(StorageAllocator, ZeroBytesGivesUniqueAlignedBlocks) {
    ng::StorageAllocator allocator;
    std::set<void*> seen;
    std::vector<void*> blocks;
    for (int i = 0; i < 100; ++i) {
        void* ptr = allocator.allocate(0);
        ASSERT_NE(ptr, nullptr);
        ASSERT_TRUE(is_aligned(ptr));
        ASSERT_TRUE(seen.insert(ptr).second) << "duplicate pointer";
        blocks.push_back(ptr);
    }
    EXPECT_EQ(allocator.counters().live_bytes, 0);
    for (void* ptr : blocks) allocator.deallocate(ptr);
}

TEST(StorageAllocator, EveryBlockIsAlignedAndWritable) {
    ng::StorageAllocator allocator;
    std::vector<void*> blocks;
    for (int64_t bytes : {1, 7, 63, 64, 65, 100, 255, 256, 257, 1000, 4096, 65537, 1 << 20, (1 << 20) + 1, 3 << 20}) {
        void* ptr = allocator.allocate(bytes);
        ASSERT_TRUE(is_aligned(ptr)) << bytes;
        static_cast<unsigned char*>(ptr)[0] = 1;
        static_cast<unsigned char*>(ptr)[bytes - 1] = 2;
        blocks.push_back(ptr);
    }
    for (void* ptr : blocks) allocator.deallocate(ptr);
    EXPECT_EQ(allocator.counters().live_bytes, 0);
}

TEST(StorageAllocator, TrimEmptiesTheCache) {
    ng::StorageAllocator allocator;
    std::vector<void*> blocks;
    for (int64_t bytes : {100, 5000, 2 << 20}) blocks.push_back(allocator.allocate(bytes));
    for (void* ptr : blocks) allocator.deallocate(ptr);
    EXPECT_GT(allocator.counters().cached_bytes, 0);
    allocator.trim();
    EXPECT_EQ(allocator.counters().cached_bytes, 0);
    void* again = allocator.allocate(100);
    EXPECT_EQ(allocator.counters().cache_hits, 0);
    allocator.deallocate(again);
}

TEST(StorageAllocator, ZeroLimitDisablesCaching) {
    ng::StorageAllocator allocator;
    allocator.set_cache_limit(0);
    for (int i = 0; i < 10; ++i) allocator.deallocate(allocator.allocate(256));
    const ng_memory_counters counters = allocator.counters();
    EXPECT_EQ(counters.cached_bytes, 0);
    EXPECT_EQ(counters.cache_hits, 0);
    EXPECT_EQ(counters.alloc_count, 10);
    EXPECT_EQ(counters.free_count, 10);
    EXPECT_EQ(counters.cache_limit, 0);
}

TEST(StorageAllocator, ShrinkingTheLimitEvictsUntilTheCacheFits) {
    ng::StorageAllocator allocator;
    std::vector<void*> blocks;
    for (int i = 0; i < 8; ++i) blocks.push_back(allocator.allocate(4096));
    for (void* ptr : blocks) allocator.deallocate(ptr);
    EXPECT_EQ(allocator.counters().cached_bytes, 8 * 4096);
    allocator.set_cache_limit(3 * 4096 + 100);
    EXPECT_EQ(allocator.counters().cached_bytes, 3 * 4096);
    EXPECT_EQ(allocator.counters().cache_limit, 3 * 4096 + 100);
}

TEST(StorageAllocator, BlocksThatWouldOverfillTheCacheGoBackToTheSystem) {
    ng::StorageAllocator allocator;
    allocator.set_cache_limit(10'000);
    void* big = allocator.allocate(20'000);
    void* small1 = allocator.allocate(4096);
    void* small2 = allocator.allocate(4096);
    void* small3 = allocator.allocate(4096);
    allocator.deallocate(big);  // larger than the whole limit
    EXPECT_EQ(allocator.counters().cached_bytes, 0);
    allocator.deallocate(small1);
    allocator.deallocate(small2);
    allocator.deallocate(small3);  // a third would pass 10,000
    EXPECT_EQ(allocator.counters().cached_bytes, 2 * 4096);
}

TEST(StorageAllocator, DefaultLimitIsOneGiB) {
    ng::StorageAllocator allocator;
    EXPECT_EQ(allocator.counters().cache_limit, int64_t{1} << 30);
    EXPECT_EQ(stats().cache_limit, int64_t{1} << 30);  // no test leaves the global limit changed
}

// ---- The process-wide allocator through the C ABI -------------------------------------------------

TEST(StorageApi, MillionMixedPairsLeaveNothingLive) {
    const int64_t sizes[] = {0, 1, 8, 63, 64, 65, 100, 640, 1000, 4096, 10'000, 65'536, 100'000, 1 << 20, 3 << 20};
    constexpr int kSlots = 24;
    void* slots[kSlots] = {};
    const ng_memory_counters before = stats();
    const int64_t pairs = alloc_pairs();
    uint32_t state = 12345;
    for (int64_t i = 0; i < pairs; ++i) {
        state = state * 1664525u + 1013904223u;
        const int slot = static_cast<int>((state >> 8) % kSlots);
        if (slots[slot] != nullptr) ng_storage_free(slots[slot]);
        const int64_t bytes = sizes[(state >> 16) % std::size(sizes)];
        ASSERT_EQ(ng_storage_alloc(bytes, &slots[slot]), NG_STATUS_OK) << ng_last_error_message();
        ASSERT_TRUE(is_aligned(slots[slot]));
        if (bytes > 0) static_cast<unsigned char*>(slots[slot])[bytes - 1] = 0xAB;
    }
    for (void* ptr : slots) ng_storage_free(ptr);  // NULL for slots never used: a no-op
    const ng_memory_counters after = stats();
    EXPECT_EQ(after.live_bytes, before.live_bytes);
    EXPECT_EQ(after.alloc_count - before.alloc_count, pairs);
    EXPECT_EQ(after.free_count - before.free_count, pairs);
    EXPECT_GT(after.cache_hits - before.cache_hits, pairs / 2) << "repeated sizes should mostly hit the cache";
}

TEST(StorageApi, RepeatedSizeHitsTheCache) {
    void* ptr = nullptr;
    ASSERT_EQ(ng_storage_alloc(12'345, &ptr), NG_STATUS_OK);
    ng_storage_free(ptr);
    const ng_memory_counters before = stats();
    ASSERT_EQ(ng_storage_alloc(12'345, &ptr), NG_STATUS_OK);
    const ng_memory_counters after = stats();
    EXPECT_EQ(after.cache_hits - before.cache_hits, 1);
    EXPECT_EQ(after.live_bytes - before.live_bytes, 12'345);
    ng_storage_free(ptr);
}

TEST(StorageApi, TrimAndZeroLimitThroughTheAbi) {
    void* ptr = nullptr;
    ASSERT_EQ(ng_storage_alloc(5000, &ptr), NG_STATUS_OK);
    ng_storage_free(ptr);
    EXPECT_GT(stats().cached_bytes, 0);
    ng_memory_trim();
    EXPECT_EQ(stats().cached_bytes, 0);

    ASSERT_EQ(ng_memory_set_cache_limit(0), NG_STATUS_OK);
    ASSERT_EQ(ng_storage_alloc(5000, &ptr), NG_STATUS_OK);
    ng_storage_free(ptr);
    EXPECT_EQ(stats().cached_bytes, 0);
    EXPECT_EQ(stats().cache_limit, 0);
    ASSERT_EQ(ng_memory_set_cache_limit(int64_t{1} << 30), NG_STATUS_OK);
}

TEST(StorageApi, TwoThreadsAllocatingAndFreeingConcurrently) {
    const ng_memory_counters before = stats();
    const int64_t pairs_per_thread = alloc_pairs() / 5;
    auto work = [pairs_per_thread](unsigned char tag) {
        void* held[8] = {};
        for (int64_t i = 0; i < pairs_per_thread; ++i) {
            const int slot = static_cast<int>(i % 8);
            if (held[slot] != nullptr) {
                // A block shared with the other thread would show the other tag here.
                if (static_cast<unsigned char*>(held[slot])[0] != tag) std::abort();
                ng_storage_free(held[slot]);
            }
            const int64_t bytes = 64 + (i % 5) * 1000;
            if (ng_storage_alloc(bytes, &held[slot]) != NG_STATUS_OK) std::abort();
            static_cast<unsigned char*>(held[slot])[0] = tag;
        }
        for (void* ptr : held) ng_storage_free(ptr);
    };
    std::thread first(work, 1), second(work, 2);
    first.join();
    second.join();
    const ng_memory_counters after = stats();
    EXPECT_EQ(after.live_bytes, before.live_bytes);
    EXPECT_EQ(after.alloc_count - before.alloc_count, 2 * pairs_per_thread);
    EXPECT_EQ(after.free_count - before.free_count, 2 * pairs_per_thread);
}

}  // namespace
