#include "cpu_dispatch.h"

#include <cstdlib>

#include "error.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define NG_X86_CPUID 1
#endif

namespace ng {
namespace {

constexpr int32_t kAvx2TierFeatures = NG_CPU_FEATURE_AVX | NG_CPU_FEATURE_AVX2 | NG_CPU_FEATURE_FMA;
// The AVX-512 kernel files are compiled with the AVX2 and FMA flags too.
constexpr int32_t kAvx512TierFeatures = kAvx2TierFeatures | NG_CPU_FEATURE_AVX512F | NG_CPU_FEATURE_AVX512DQ |
                                        NG_CPU_FEATURE_AVX512BW | NG_CPU_FEATURE_AVX512VL;

const char* tier_name(ng_cpu_tier tier) {
    switch (tier) {
        case NG_CPU_TIER_AVX2: return "avx2";
        case NG_CPU_TIER_AVX512: return "avx512";
        default: return "scalar";
    }
}

bool equals_ignoring_case(const char* text, const char* lower_name) {
    for (; *text != '\0' && *lower_name != '\0'; ++text, ++lower_name) {
        const char c = (*text >= 'A' && *text <= 'Z') ? static_cast<char>(*text - 'A' + 'a') : *text;
        if (c != *lower_name) return false;
    }
    return *text == '\0' && *lower_name == '\0';
}

#if defined(NG_X86_CPUID)
uint64_t read_xcr0() {
    uint32_t low = 0, high = 0;
    __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
    return (static_cast<uint64_t>(high) << 32) | low;
}
#endif

}  // namespace

int32_t detect_cpu_features() {
#if defined(NG_X86_CPUID)
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    const unsigned max_leaf = __get_cpuid_max(0, nullptr);
    if (max_leaf < 1) return 0;
    __cpuid(1, eax, ebx, ecx, edx);
    const unsigned leaf1_ecx = ecx;
    unsigned leaf7_ebx = 0;
    if (max_leaf >= 7) {
        __cpuid_count(7, 0, eax, ebx, ecx, edx);
        leaf7_ebx = ebx;
    }

    const bool osxsave = (leaf1_ecx & (1u << 27)) != 0;
    const uint64_t xcr0 = osxsave ? read_xcr0() : 0;
    const bool os_saves_ymm = (xcr0 & 0x6) == 0x6;                    // SSE + AVX state
    const bool os_saves_zmm = os_saves_ymm && (xcr0 & 0xE0) == 0xE0;  // opmask + ZMM state

    int32_t features = 0;
    if (leaf1_ecx & (1u << 20)) features |= NG_CPU_FEATURE_SSE42;
    if (os_saves_ymm) {
        if (leaf1_ecx & (1u << 28)) features |= NG_CPU_FEATURE_AVX;
        if (leaf1_ecx & (1u << 12)) features |= NG_CPU_FEATURE_FMA;
        if (leaf7_ebx & (1u << 5)) features |= NG_CPU_FEATURE_AVX2;
    }
    if (os_saves_zmm) {
        if (leaf7_ebx & (1u << 16)) features |= NG_CPU_FEATURE_AVX512F;
        if (leaf7_ebx & (1u << 17)) features |= NG_CPU_FEATURE_AVX512DQ;
        if (leaf7_ebx & (1u << 30)) features |= NG_CPU_FEATURE_AVX512BW;
        if (leaf7_ebx & (1u << 31)) features |= NG_CPU_FEATURE_AVX512VL;
    }
    return features;
#else
    return 0;
#endif
}

bool tier_supported(ng_cpu_tier tier, int32_t features) {
#if !defined(NG_HAVE_X86_KERNELS)
    if (tier != NG_CPU_TIER_SCALAR) return false;
#endif
    switch (tier) {
        case NG_CPU_TIER_SCALAR: return true;
        case NG_CPU_TIER_AVX2: return (features & kAvx2TierFeatures) == kAvx2TierFeatures;
        case NG_CPU_TIER_AVX512: return (features & kAvx512TierFeatures) == kAvx512TierFeatures;
    }
    return false;
}

ng_cpu_tier best_tier(int32_t features) {
    if (tier_supported(NG_CPU_TIER_AVX512, features)) return NG_CPU_TIER_AVX512;
    if (tier_supported(NG_CPU_TIER_AVX2, features)) return NG_CPU_TIER_AVX2;
    return NG_CPU_TIER_SCALAR;
}

CpuSelection select_cpu_tier(int32_t features, const char* requested_name) {
    CpuSelection selection;
    selection.features = features;
    selection.best = best_tier(features);
    selection.active = selection.best;
    if (requested_name == nullptr || *requested_name == '\0') return selection;

    for (ng_cpu_tier tier : {NG_CPU_TIER_SCALAR, NG_CPU_TIER_AVX2, NG_CPU_TIER_AVX512}) {
        if (equals_ignoring_case(requested_name, tier_name(tier))) {
            selection.requested = tier;
            // A tier this CPU cannot run falls back to the best one it can.
            if (tier_supported(tier, features)) selection.active = tier;
            return selection;
        }
    }
    selection.error = concat("NATIVEGRAD_CPU is \"", requested_name, "\"; expected scalar, avx2 or avx512 (the best tier, ",
                             tier_name(selection.best), ", runs instead)");
    return selection;
}

const CpuSelection& cpu_selection() {
    static const CpuSelection selection = select_cpu_tier(detect_cpu_features(), std::getenv("NATIVEGRAD_CPU"));
    return selection;
}

bool cpu_supports(ng_cpu_tier tier) { return tier_supported(tier, cpu_selection().features); }

const KernelTable& active_kernels() {
    static const KernelTable& table = kernel_table(cpu_selection().active);
    return table;
}

}  // namespace ng
