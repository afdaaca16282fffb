// The FMA throughput ceiling the GEMM is measured against: kChains independent chains of
// dependent FMAs, enough to cover the FMA latency times the number of FMA pipes. Written in
// assembly because compilers keep "unused" accumulators in memory, which measures store
// forwarding instead.
#include "fma_peak.h"

namespace ngbench {
namespace {
constexpr int kChains = 12;

#define NG_FMA12(reg)                                                                                      \
    "vfmadd231ps %" reg "14, %" reg "15, %" reg "0\n\t"                                                     \
    "vfmadd231ps %" reg "14, %" reg "15, %" reg "1\n\t"                                                     \
    "vfmadd231ps %" reg "14, %" reg "15, %" reg "2\n\t"                                                     \
    "vfmadd231ps %" reg "14, %" reg "15, %" reg "3\n\t"                                                     \
    "vfmadd231ps %" reg "14, %" reg "15, %" reg "4\n\t"                                                     \
    "vfmadd231ps %" reg "14, %" reg "15, %" reg "5\n\t"                                                     \
    "vfmadd231ps %" reg "14, %" reg "15, %" reg "6\n\t"                                                     \
    "vfmadd231ps %" reg "14, %" reg "15, %" reg "7\n\t"                                                     \
    "vfmadd231ps %" reg "14, %" reg "15, %" reg "8\n\t"                                                     \
    "vfmadd231ps %" reg "14, %" reg "15, %" reg "9\n\t"                                                     \
    "vfmadd231ps %" reg "14, %" reg "15, %" reg "10\n\t"                                                    \
    "vfmadd231ps %" reg "14, %" reg "15, %" reg "11\n\t"

#define NG_FMA_CLOBBERS(reg)                                                                                \
    reg "0", reg "1", reg "2", reg "3", reg "4", reg "5", reg "6", reg "7", reg "8", reg "9", reg "10", reg "11", \
        reg "14", reg "15"
}  // namespace

void fma_peak_256(int64_t steps) {
    __asm__ volatile(
        "vxorps %%ymm14, %%ymm14, %%ymm14\n\t"
        "vxorps %%ymm15, %%ymm15, %%ymm15\n\t"
        "1:\n\t" NG_FMA12("%ymm")
        "dec %0\n\t"
        "jnz 1b\n\t"
        "vzeroupper"
        : "+r"(steps)
        :
        : NG_FMA_CLOBBERS("xmm"), "cc");
}

void fma_peak_512(int64_t steps) {
    __asm__ volatile(
        "vxorps %%ymm14, %%ymm14, %%ymm14\n\t"
        "vxorps %%ymm15, %%ymm15, %%ymm15\n\t"
        "1:\n\t" NG_FMA12("%zmm")
        "dec %0\n\t"
        "jnz 1b\n\t"
        "vzeroupper"
        : "+r"(steps)
        :
        : NG_FMA_CLOBBERS("xmm"), "cc");
}

int fma_peak_flops_per_step(int vector_bits) { return kChains * 2 * vector_bits / 32; }

}  // namespace ngbench
