// Which kernel tier runs: decided once per process from CPUID + XGETBV and NATIVEGRAD_CPU.
//
// XGETBV matters as much as CPUID: a CPU can have AVX-512 while the OS (or hypervisor) does not
// save ZMM registers on a context switch, and then AVX-512 code corrupts state. A tier is usable
// only when XCR0 says the OS saves its registers (bits 1-2 for AVX, 5-7 for AVX-512).
#ifndef NATIVEGRAD_SRC_CPU_DISPATCH_H
#define NATIVEGRAD_SRC_CPU_DISPATCH_H

#include <cstdint>
#include <string>

#include "kernels/kernels.h"
#include "nativegrad.h"

namespace ng {

struct CpuSelection {
    int32_t features = 0;                    // NG_CPU_FEATURE_* bits usable on this machine
    ng_cpu_tier best = NG_CPU_TIER_SCALAR;   // best tier the features allow
    ng_cpu_tier active = NG_CPU_TIER_SCALAR; // tier whose kernels run
    int32_t requested = -1;                  // tier NATIVEGRAD_CPU named, -1 if unset or unknown
    std::string error;                       // why NATIVEGRAD_CPU was rejected; empty if it was not
};

// CPUID + XGETBV, masked by what the OS saves. 0 on non-x86 builds.
int32_t detect_cpu_features();
bool tier_supported(ng_cpu_tier tier, int32_t features);
ng_cpu_tier best_tier(int32_t features);

// The pure decision, separate from the environment so tests can try every name in one process.
// requested_name is NATIVEGRAD_CPU's value or nullptr; "" counts as unset; case is ignored.
CpuSelection select_cpu_tier(int32_t features, const char* requested_name);

// Detected on first use (thread-safe) and fixed for the life of the process.
const CpuSelection& cpu_selection();
bool cpu_supports(ng_cpu_tier tier);
const KernelTable& active_kernels();

}  // namespace ng

#endif
