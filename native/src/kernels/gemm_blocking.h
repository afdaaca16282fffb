// What the packed GEMM drivers (gemm_blocked.h) need from outside their tier files: block sizes
// derived from the cache sizes, and reusable packing buffers. Both live in baseline code, so no
// tier file defines a function or a thread_local another tier could end up sharing.
#ifndef NATIVEGRAD_SRC_KERNELS_GEMM_BLOCKING_H
#define NATIVEGRAD_SRC_KERNELS_GEMM_BLOCKING_H

#include <cstdint>

#include "cpu_cache.h"

namespace ng {

// kc: depth of a packed block. mc: rows of op(A) packed per block. nc: columns of op(B) packed
// per block. mc is a multiple of the micro-tile's rows, nc of its columns.
struct GemmBlocking {
    int64_t mc, kc, nc;
};

// The classic analysis (Goto & van de Geijn; BLIS): a kc x NR micro-panel of B stays in L1
// while the micro-kernel sweeps the rows of a block, an mc x kc block of A stays in L2 while it
// meets every micro-panel of B, and a kc x nc block of B stays in L3.
GemmBlocking gemm_blocking(const CacheSizes& caches, int64_t tile_rows, int64_t tile_cols, int64_t element_size);

enum class GemmBuffer { packed_a, packed_b };

// A 64-byte aligned buffer of at least `bytes`, owned by the calling thread and reused by its
// next calls (so it must not be held across two GEMMs on one thread). nullptr when the memory
// cannot be had: callers inside parallel_for bodies, which must not throw, report that themselves.
void* gemm_buffer(GemmBuffer which, int64_t bytes) noexcept;

// Tests: when > 0, every split in the packed GEMM runs as chunks of this many items, serially
// and last chunk first, as a thread pool might, to show that results do not depend on the
// split. 0 (the default) leaves splitting to ng::parallel_for.
void set_gemm_chunk_override(int64_t items) noexcept;
int64_t gemm_chunk_override() noexcept;

// Throws std::bad_alloc; here so tier files need not instantiate its inline constructor.
[[noreturn]] void throw_gemm_out_of_memory();

}  // namespace ng

#endif
