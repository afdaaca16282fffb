// The data cache sizes the GEMM blocks for, read once per process from CPUID.
//
// Intel describes its caches in leaf 4 and AMD (with TOPOEXT) in leaf 0x8000001D, in the same
// format: one subleaf per cache, with its level, type, ways, partitions, line size and sets. Both
// report per-core (L1, L2) or per-complex (L3) sizes, which is what blocking wants. A CPU (or a
// hypervisor) that answers neither gets kFallbackCacheSizes, sized for a typical 2020s x86 core.
#ifndef NATIVEGRAD_SRC_CPU_CACHE_H
#define NATIVEGRAD_SRC_CPU_CACHE_H

#include <cstdint>

namespace ng {

struct CacheSizes {
    int64_t l1d = 0;  // bytes of L1 data cache per core
    int64_t l2 = 0;   // bytes of L2 per core
    int64_t l3 = 0;   // bytes of L3 shared by a core complex (0 when there is none)
};

inline constexpr CacheSizes kFallbackCacheSizes{32 * 1024, 512 * 1024, 8 * 1024 * 1024};

// What CPUID says, with each level it does not describe taken from kFallbackCacheSizes.
CacheSizes detect_cache_sizes();

// detect_cache_sizes(), once (thread-safe).
const CacheSizes& cache_sizes();

}  // namespace ng

#endif
