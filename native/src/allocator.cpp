#include "allocator.h"

#include <bit>
#include <cstdlib>

#if defined(_WIN32)
#include <malloc.h>
#else
#include <sys/mman.h>
#endif

#include "error.h"

namespace ng {

namespace size_classes {

int index_for(int64_t bytes) noexcept {
    if (bytes <= 64) return 0;
    if (bytes <= 256) return static_cast<int>((bytes + 63) / 64) - 1;
    // 2^p < bytes <= 2^(p+1); the classes in that range are 5, 6, 7, 8 steps of 2^(p-2).
    const int p = 63 - std::countl_zero(static_cast<uint64_t>(bytes - 1));
    const int64_t steps = (bytes + (int64_t{1} << (p - 2)) - 1) >> (p - 2);
    return 4 + (p - 8) * 4 + static_cast<int>(steps - 5);
}

int64_t bytes_of(int index) noexcept {
    if (index < 4) return int64_t{index + 1} * 64;
    const int p = 8 + (index - 4) / 4;
    const int64_t steps = 5 + (index - 4) % 4;
    return steps << (p - 2);
}

}  // namespace size_classes

namespace {
// Blocks this large come straight from mmap, so evicting or trimming them gives the memory back
// to the operating system at once instead of leaving it in the C heap.
constexpr int64_t kMapThreshold = int64_t{1} << 20;
// Blocks that span a transparent huge page (2 MiB on x86-64 and arm64) ask for them: a stream
// through a 64 MiB tensor then misses the TLB 512 times less, and under a hypervisor each miss
// is a two-level page walk (a sum over 16M floats went from 24 to 31 GB/s on a KVM guest).
// Where THP is off or "always" the advice changes nothing.
constexpr int64_t kHugePageBytes = int64_t{2} << 20;
}  // namespace

struct StorageAllocator::BlockHeader {
    BlockHeader* next;   // free-list link while cached
    int64_t requested;   // bytes the caller asked for, for live_bytes
    int32_t size_class;  // index into size_classes
    int32_t mapped;      // 1 when the block came from mmap
};
StorageAllocator::BlockHeader* StorageAllocator::header_of(void* ptr) noexcept {
    static_assert(sizeof(BlockHeader) <= size_classes::kHeaderBytes);
    return reinterpret_cast<BlockHeader*>(static_cast<char*>(ptr) - size_classes::kHeaderBytes);
}

StorageAllocator::BlockHeader* StorageAllocator::system_allocate(int size_class) noexcept {
    const int64_t total = size_classes::kHeaderBytes + size_classes::bytes_of(size_class);
    void* raw = nullptr;
    int32_t mapped = 0;
#if defined(_WIN32)
    raw = _aligned_malloc(static_cast<size_t>(total), size_classes::kAlignment);
#else
    if (total - size_classes::kHeaderBytes >= kMapThreshold) {
        raw = mmap(nullptr, static_cast<size_t>(total), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
        if (raw == MAP_FAILED) raw = nullptr;
#if defined(MADV_HUGEPAGE)
        // Advice only: a kernel without THP refuses it, and the block works the same.
        else if (total >= kHugePageBytes) (void)madvise(raw, static_cast<size_t>(total), MADV_HUGEPAGE);
#endif
        mapped = 1;
    } else if (posix_memalign(&raw, size_classes::kAlignment, static_cast<size_t>(total)) != 0) {
        raw = nullptr;
    }
#endif
    if (raw == nullptr) return nullptr;
    auto* block = static_cast<BlockHeader*>(raw);
    block->next = nullptr;
    block->requested = 0;
    block->size_class = size_class;
    block->mapped = mapped;
    return block;
}

void StorageAllocator::system_release(BlockHeader* block) noexcept {
#if defined(_WIN32)
    _aligned_free(block);
#else
    if (block->mapped) {
        munmap(block, static_cast<size_t>(size_classes::kHeaderBytes + size_classes::bytes_of(block->size_class)));
    } else {
        std::free(block);
    }
#endif
}

void StorageAllocator::release_list(BlockHeader* list) noexcept {
    while (list != nullptr) {
        BlockHeader* next = list->next;
        system_release(list);
        list = next;
    }
}

StorageAllocator::~StorageAllocator() { trim(); }

void* StorageAllocator::allocate(int64_t bytes) {
    using namespace size_classes;
    if (bytes > kMaxRequestBytes) {
        fail(NG_STATUS_OUT_OF_MEMORY, "bytes (", bytes, ") can never be allocated: a block holds at most ",
             kMaxRequestBytes, " bytes (2^48)");
    }
    const int size_class = index_for(bytes);
    {
        std::lock_guard lock(mutex_);
        if (BlockHeader* block = free_lists_[size_class]) {
            free_lists_[size_class] = block->next;
            block->next = nullptr;
            block->requested = bytes;
            counters_.cached_bytes -= bytes_of(size_class);
            counters_.cache_hits += 1;
            counters_.alloc_count += 1;
            counters_.live_bytes += bytes;
            return reinterpret_cast<char*>(block) + kHeaderBytes;
        }
    }
    BlockHeader* block = system_allocate(size_class);
    if (block == nullptr) {
        trim();  // cached blocks of other sizes may be what stands in the way
        block = system_allocate(size_class);
    }
    if (block == nullptr) {
        fail(NG_STATUS_OUT_OF_MEMORY, "the system could not provide ", bytes, " bytes (a ", bytes_of(size_class),
             "-byte size class plus a ", kHeaderBytes, "-byte header)");
    }
    block->requested = bytes;
    {
        std::lock_guard lock(mutex_);
        counters_.alloc_count += 1;
        counters_.live_bytes += bytes;
    }
    return reinterpret_cast<char*>(block) + kHeaderBytes;
}

void StorageAllocator::deallocate(void* ptr) noexcept {
    if (ptr == nullptr) return;
    BlockHeader* block = header_of(ptr);
    const int64_t class_bytes = size_classes::bytes_of(block->size_class);
    bool cached = false;
    {
        std::lock_guard lock(mutex_);
        counters_.live_bytes -= block->requested;
        counters_.free_count += 1;
        if (class_bytes <= counters_.cache_limit - counters_.cached_bytes) {
            block->next = free_lists_[block->size_class];
            free_lists_[block->size_class] = block;
            counters_.cached_bytes += class_bytes;
            cached = true;
        }
    }
    if (!cached) system_release(block);
}

ng_memory_counters StorageAllocator::counters() const {
    std::lock_guard lock(mutex_);
    return counters_;
}

StorageAllocator::BlockHeader* StorageAllocator::evict_until_fits_locked(int64_t limit) noexcept {
    // Largest classes first: the fewest system calls give back the most memory.
    BlockHeader* evicted = nullptr;
    for (int size_class = size_classes::kCount - 1; size_class >= 0 && counters_.cached_bytes > limit;
         --size_class) {
        while (free_lists_[size_class] != nullptr && counters_.cached_bytes > limit) {
            BlockHeader* block = free_lists_[size_class];
            free_lists_[size_class] = block->next;
            block->next = evicted;
            evicted = block;
            counters_.cached_bytes -= size_classes::bytes_of(size_class);
        }
    }
    return evicted;
}

void StorageAllocator::trim() noexcept {
    BlockHeader* evicted;
    {
        std::lock_guard lock(mutex_);
        evicted = evict_until_fits_locked(0);
    }
    release_list(evicted);
}

void StorageAllocator::set_cache_limit(int64_t bytes) noexcept {
    BlockHeader* evicted;
    {
        std::lock_guard lock(mutex_);
        counters_.cache_limit = bytes;
        evicted = evict_until_fits_locked(bytes);
    }
    release_list(evicted);
}

namespace {
// NATIVEGRAD_CACHE_LIMIT=<bytes> sets the process allocator's starting limit. 0 sends every free
// straight to the system, which is how the sanitizer run in .ci/run lets ASan see a kernel that
// touches freed storage (a cached block still looks allocated to it). Anything unparsable is
// ignored: the default is always safe.
void apply_cache_limit_from_environment(StorageAllocator& allocator) {
    const char* text = std::getenv("NATIVEGRAD_CACHE_LIMIT");
    if (text == nullptr || *text == '\0') return;
    char* end = nullptr;
    const long long bytes = std::strtoll(text, &end, 10);
    if (*end == '\0' && bytes >= 0) allocator.set_cache_limit(bytes);
}
}  // namespace

StorageAllocator& storage_allocator() {
    static StorageAllocator* const instance = [] {
        auto* allocator = new StorageAllocator();
        apply_cache_limit_from_environment(*allocator);
        return allocator;
    }();
    return *instance;
}

}  // namespace ng
