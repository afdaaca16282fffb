// Single-thread float32 GEMM throughput: NativeGrad's tiers, OpenBLAS's cblas_sgemm (when built
// with it) and the FMA peak, in one run so they share the machine's state. Counters are FLOP/s.
//
//   OPENBLAS_NUM_THREADS=1 OPENBLAS_CORETYPE=SkylakeX artifacts/g/bin/nativegrad_gemm_bench
// (OPENBLAS_CORETYPE=Haswell for the 256-bit comparison; OPENBLAS_VERBOSE=2 prints the core.)
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

#include "cpu_dispatch.h"
#include "fma_peak.h"
#include "kernels/kernels.h"

#if defined(NG_BENCH_OPENBLAS)
#include <cblas.h>
#endif

namespace {

struct SquareProblem {
    explicit SquareProblem(int64_t n) : n(n), a(n * n), b(n * n), c(n * n) {
        std::mt19937 random(42);
        std::uniform_real_distribution<float> value(-1.0f, 1.0f);
        for (float& x : a) x = value(random);
        for (float& x : b) x = value(random);
    }
    int64_t n;
    std::vector<float> a, b, c;
};

// The machine is shared: with --benchmark_repetitions, the best run is the one least disturbed.
double best_of(const std::vector<double>& runs) {
    double best = 0;
    for (double run : runs) best = run > best ? run : best;
    return best;
}

void report_flops(benchmark::State& state, double flops_per_iteration) {
    state.counters["FLOPS"] = benchmark::Counter(flops_per_iteration, benchmark::Counter::kIsIterationInvariantRate);
}

void nativegrad_sgemm(benchmark::State& state, ng_cpu_tier tier) {
    if (!ng::cpu_supports(tier)) {
        state.SkipWithError("tier not supported on this CPU");
        return;
    }
    SquareProblem p(state.range(0));
    const ng::GemmKernel<float> gemm = ng::kernel_table(tier).gemm<float>();
    for (auto _ : state) {
        gemm({false, false, p.n, p.n, p.n, 1.0f, p.a.data(), p.n, p.b.data(), p.n, 0.0f, p.c.data(), p.n});
        benchmark::ClobberMemory();
    }
    report_flops(state, 2.0 * p.n * p.n * p.n);
}

void BM_NativeGradAvx2(benchmark::State& state) { nativegrad_sgemm(state, NG_CPU_TIER_AVX2); }
void BM_NativeGradAvx512(benchmark::State& state) { nativegrad_sgemm(state, NG_CPU_TIER_AVX512); }
BENCHMARK(BM_NativeGradAvx2)->Arg(64)->Arg(256)->Arg(512)->Arg(1024)->ComputeStatistics("best", best_of);
BENCHMARK(BM_NativeGradAvx512)->Arg(64)->Arg(256)->Arg(512)->Arg(1024)->ComputeStatistics("best", best_of);

#if defined(NG_BENCH_OPENBLAS)
void BM_OpenBlas(benchmark::State& state) {
    SquareProblem p(state.range(0));
    const int n = static_cast<int>(p.n);
    for (auto _ : state) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1.0f, p.a.data(), n, p.b.data(), n, 0.0f,
                    p.c.data(), n);
        benchmark::ClobberMemory();
    }
    report_flops(state, 2.0 * p.n * p.n * p.n);
}
BENCHMARK(BM_OpenBlas)->Arg(64)->Arg(256)->Arg(512)->Arg(1024)->ComputeStatistics("best", best_of);
#endif

constexpr int64_t kPeakSteps = 1 << 20;

void BM_FmaPeak256(benchmark::State& state) {
    for (auto _ : state) ngbench::fma_peak_256(kPeakSteps);
    report_flops(state, static_cast<double>(kPeakSteps) * ngbench::fma_peak_flops_per_step(256));
}
void BM_FmaPeak512(benchmark::State& state) {
    if (!ng::cpu_supports(NG_CPU_TIER_AVX512)) {
        state.SkipWithError("no AVX-512");
        return;
    }
    for (auto _ : state) ngbench::fma_peak_512(kPeakSteps);
    report_flops(state, static_cast<double>(kPeakSteps) * ngbench::fma_peak_flops_per_step(512));
}
BENCHMARK(BM_FmaPeak256)->ComputeStatistics("best", best_of);
BENCHMARK(BM_FmaPeak512)->ComputeStatistics("best", best_of);

}  // namespace

BENCHMARK_MAIN();
