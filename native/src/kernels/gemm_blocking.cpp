#include "kernels/gemm_blocking.h"

#include <algorithm>
#include <atomic>
#include <new>

namespace ng {
namespace {

int64_t round_down_to(int64_t value, int64_t multiple) { return std::max(multiple, value / multiple * multiple); }

struct AlignedBuffer {
    static constexpr std::align_val_t kAlignment{64};
    void* data = nullptr;
    int64_t bytes = 0;

    ~AlignedBuffer() { release(); }
    void release() noexcept {
        if (data != nullptr) ::operator delete(data, kAlignment);
        data = nullptr;
        bytes = 0;
    }
    void* at_least(int64_t wanted) noexcept {
        if (wanted <= bytes) return data;
        release();
        // Grow geometrically so a run of slowly growing shapes does not reallocate every call.
        const int64_t grown = std::max(wanted, bytes + bytes / 2);
        data = ::operator new(static_cast<size_t>(grown), kAlignment, std::nothrow);
        if (data != nullptr) bytes = grown;
        return data;
    }
};

}  // namespace

GemmBlocking gemm_blocking(const CacheSizes& caches, int64_t tile_rows, int64_t tile_cols, int64_t element_size) {
    // kc: the textbook choice keeps the kc x NR micro-panel of B in half of L1 (kc = 128 for an
    // 8 x 32 float tile with Zen 4's 32 KiB). Measured on Zen 4, four times that (the panel then
    // streams from L2, which keeps up) was 20-30% faster at n = 1024: every depth block costs a
    // pass over C, whose rows alias in L1 when ldc is a power of two. mc: the mc x kc block of A
    // in a quarter of L2. The clamps keep an odd report from making blocks absurd.
    // At least 256: products up to that depth are summed in one pass before C is read, which the
    // C ABI promises (ng_gemm) and autograd relies on to add a gradient straight into .grad.
    const int64_t kc = std::clamp<int64_t>(round_down_to(2 * caches.l1d / (tile_cols * element_size), 8), 256, 512);
    const int64_t mc = std::clamp<int64_t>(round_down_to(caches.l2 / 4 / (kc * element_size), tile_rows),
                                           tile_rows, 1024 / tile_rows * tile_rows);
    const int64_t nc = std::clamp<int64_t>(round_down_to(caches.l3 / 4 / (kc * element_size), tile_cols),
                                           tile_cols, 8192 / tile_cols * tile_cols);
    return {mc, kc, nc};
}

void* gemm_buffer(GemmBuffer which, int64_t bytes) noexcept {
    thread_local AlignedBuffer buffers[2];
    return buffers[which == GemmBuffer::packed_a ? 0 : 1].at_least(bytes);
}

namespace {
std::atomic<int64_t> chunk_override{0};
}

void set_gemm_chunk_override(int64_t items) noexcept { chunk_override.store(items, std::memory_order_relaxed); }
int64_t gemm_chunk_override() noexcept { return chunk_override.load(std::memory_order_relaxed); }

void throw_gemm_out_of_memory() { throw std::bad_alloc(); }

}  // namespace ng
