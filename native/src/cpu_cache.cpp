#include "cpu_cache.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define NG_X86_CPUID 1
#endif

namespace ng {
namespace {

#if defined(NG_X86_CPUID)
// Walks the deterministic cache parameters leaf (4 or 0x8000001D) until its null subleaf.
void read_cache_leaf(unsigned leaf, CacheSizes& sizes) {
    for (unsigned subleaf = 0; subleaf < 16; ++subleaf) {
        unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
        __cpuid_count(leaf, subleaf, eax, ebx, ecx, edx);
        const unsigned type = eax & 0x1F;  // 0: no more caches, 1: data, 2: instruction, 3: unified
        if (type == 0) break;
        if (type == 2) continue;
        const unsigned level = (eax >> 5) & 0x7;
        const int64_t ways = ((ebx >> 22) & 0x3FF) + 1;
        const int64_t partitions = ((ebx >> 12) & 0x3FF) + 1;
        const int64_t line = (ebx & 0xFFF) + 1;
        const int64_t sets = static_cast<int64_t>(ecx) + 1;
        const int64_t bytes = ways * partitions * line * sets;
        if (level == 1) sizes.l1d = bytes;
        else if (level == 2) sizes.l2 = bytes;
        else if (level == 3) sizes.l3 = bytes;
    }
}
#endif

}  // namespace

CacheSizes detect_cache_sizes() {
    CacheSizes sizes;
#if defined(NG_X86_CPUID)
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    const unsigned max_leaf = __get_cpuid_max(0, &ebx);
    const bool amd = ebx == 0x68747541;  // "Auth" of "AuthenticAMD"
    if (amd) {
        const unsigned max_extended = __get_cpuid_max(0x80000000, nullptr);
        __cpuid(0x80000001, eax, ebx, ecx, edx);
        const bool topology_extensions = (ecx & (1u << 22)) != 0;
        if (max_extended >= 0x8000001D && topology_extensions) read_cache_leaf(0x8000001D, sizes);
    } else if (max_leaf >= 4) {
        read_cache_leaf(4, sizes);
    }
#endif
    if (sizes.l1d <= 0) sizes.l1d = kFallbackCacheSizes.l1d;
    if (sizes.l2 <= 0) sizes.l2 = kFallbackCacheSizes.l2;
    if (sizes.l3 <= 0) sizes.l3 = kFallbackCacheSizes.l3;
    return sizes;
}

const CacheSizes& cache_sizes() {
    static const CacheSizes sizes = detect_cache_sizes();
    return sizes;
}

}  // namespace ng
