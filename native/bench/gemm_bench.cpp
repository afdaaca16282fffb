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

// The MLP benchmark's products (784-256-10, batch 64): forward X W1^T, and W1's gradient
// G^T X. Arguments: m, n, k, trans_a, trans_b. Row-major like the library's tensors.
struct ShapedProblem {
    explicit ShapedProblem(const benchmark::State& state)
        : m(state.range(0)), n(state.range(1)), k(state.range(2)), trans_a(state.range(3) != 0),
          trans_b(state.range(4) != 0), a(m * k), b(k * n), c(m * n) {
        std::mt19937 random(42);
        std::uniform_real_distribution<float> value(-1.0f, 1.0f);
        for (float& x : a) x = value(random);
        for (float& x : b) x = value(random);
    }
    int64_t lda() const { return trans_a ? m : k; }
    int64_t ldb() const { return trans_b ? k : n; }
    int64_t m, n, k;
    bool trans_a, trans_b;
    std::vector<float> a, b, c;
};

void shaped_args(benchmark::internal::Benchmark* b) {
    b->Args({64, 256, 784, 0, 1})->Args({256, 784, 64, 1, 0})->Args({64, 10, 256, 0, 1})->Args({64, 256, 10, 0, 0});
    b->Args({10, 256, 64, 1, 0});  // W2's gradient
    b->ComputeStatistics("best", best_of);
}

void nativegrad_shaped(benchmark::State& state, ng_cpu_tier tier) {
    if (!ng::cpu_supports(tier)) {
        state.SkipWithError("tier not supported on this CPU");
        return;
    }
    ShapedProblem p(state);
    const ng::GemmKernel<float> gemm = ng::kernel_table(tier).gemm<float>();
    for (auto _ : state) {
        gemm({p.trans_a, p.trans_b, p.m, p.n, p.k, 1.0f, p.a.data(), p.lda(), p.b.data(), p.ldb(), 0.0f, p.c.data(), p.n});
        benchmark::ClobberMemory();
    }
    report_flops(state, 2.0 * p.m * p.n * p.k);
}
void BM_ShapedAvx2(benchmark::State& state) { nativegrad_shaped(state, NG_CPU_TIER_AVX2); }
void BM_ShapedAvx512(benchmark::State& state) { nativegrad_shaped(state, NG_CPU_TIER_AVX512); }
BENCHMARK(BM_ShapedAvx2)->Apply(shaped_args);
BENCHMARK(BM_ShapedAvx512)->Apply(shaped_args);

#if defined(NG_BENCH_OPENBLAS)
void BM_ShapedOpenBlas(benchmark::State& state) {
    ShapedProblem p(state);
    for (auto _ : state) {
        cblas_sgemm(CblasRowMajor, p.trans_a ? CblasTrans : CblasNoTrans, p.trans_b ? CblasTrans : CblasNoTrans,
                    static_cast<int>(p.m), static_cast<int>(p.n), static_cast<int>(p.k), 1.0f, p.a.data(),
                    static_cast<int>(p.lda()), p.b.data(), static_cast<int>(p.ldb()), 0.0f, p.c.data(),
                    static_cast<int>(p.n));
        benchmark::ClobberMemory();
    }
    report_flops(state, 2.0 * p.m * p.n * p.k);
}
BENCHMARK(BM_ShapedOpenBlas)->Apply(shaped_args);
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
