#ifndef NATIVEGRAD_BENCH_FMA_PEAK_H
#define NATIVEGRAD_BENCH_FMA_PEAK_H

#include <cstdint>

namespace ngbench {

// `steps` (> 0) rounds of independent float FMAs on 256- or 512-bit vectors.
void fma_peak_256(int64_t steps);
void fma_peak_512(int64_t steps);
// Floating-point operations per step of the functions above.
int fma_peak_flops_per_step(int vector_bits);

}  // namespace ngbench

#endif
