// Storage allocator behind ng_storage_alloc / ng_storage_free.
//
// Why a cache: a training step allocates the same tensor sizes every iteration; handing back a
// block that is already mapped avoids a page fault per 4 KiB of fresh memory, which costs more
// than the elementwise work done in it.
//
// Size classes: 64, 128, 192, 256 bytes, then four classes per power of two
// (1.25x, 1.5x, 1.75x, 2x of the power below), so at most 25% of a block is rounding and the
// number of classes stays small (164 up to the 2^48-byte maximum). Every class is a multiple of
// 64, so the 64-byte header in front of each block keeps the block 64-byte aligned.
//
// Blocks of 1 MiB and more come from mmap (trimming then returns them to the system at once),
// and from 2 MiB on they ask for transparent huge pages: streaming through them is TLB-bound
// otherwise, the more so under a hypervisor.
//
// One mutex guards all free lists and counters: the critical sections are a handful of pointer
// moves, ng_memory_stats must return a consistent snapshot, and eviction looks across classes.
// System calls (allocating, releasing) happen outside the lock.
#ifndef NATIVEGRAD_SRC_ALLOCATOR_H
#define NATIVEGRAD_SRC_ALLOCATOR_H

#include <cstdint>
#include <mutex>

#include "nativegrad.h"

namespace ng {

namespace size_classes {
inline constexpr int64_t kAlignment = 64;
inline constexpr int64_t kHeaderBytes = 64;
// No request above this can ever succeed: it is larger than a 48-bit (256 TiB) address space,
// and keeping it there means header + rounding can never overflow.
inline constexpr int64_t kMaxRequestBytes = int64_t{1} << 48;
inline constexpr int kCount = 4 + (48 - 8) * 4;

// Index of the smallest class that holds `bytes` (0 <= bytes <= kMaxRequestBytes).
int index_for(int64_t bytes) noexcept;
// Bytes of class `index` (0 <= index < kCount).
int64_t bytes_of(int index) noexcept;
}  // namespace size_classes

class StorageAllocator {
public:
    static constexpr int64_t kDefaultCacheLimit = int64_t{1} << 30;

    StorageAllocator() = default;
    ~StorageAllocator();  // returns cached blocks; live blocks belong to their owners
    StorageAllocator(const StorageAllocator&) = delete;
    StorageAllocator& operator=(const StorageAllocator&) = delete;

    // Throws ng::Error(NG_STATUS_OUT_OF_MEMORY) for an impossible size or when the system
    // refuses (after trimming the cache once). bytes must be >= 0 (the API checks it).
    void* allocate(int64_t bytes);
    void deallocate(void* ptr) noexcept;

    ng_memory_counters counters() const;
    void trim() noexcept;
    void set_cache_limit(int64_t bytes) noexcept;

private:
    struct BlockHeader;
    static BlockHeader* header_of(void* ptr) noexcept;
    static BlockHeader* system_allocate(int size_class) noexcept;
    static void system_release(BlockHeader* block) noexcept;
    static void release_list(BlockHeader* list) noexcept;
    BlockHeader* evict_until_fits_locked(int64_t limit) noexcept;

    mutable std::mutex mutex_;
    BlockHeader* free_lists_[size_classes::kCount] = {};
    ng_memory_counters counters_{0, 0, 0, 0, 0, kDefaultCacheLimit};
};

// The process-wide allocator the C API uses. Never destroyed, so blocks freed by finalizers
// during process exit still find it.
StorageAllocator& storage_allocator();

}  // namespace ng

#endif
