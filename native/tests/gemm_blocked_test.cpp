// Every tier's GEMM against a naive reference that accumulates in double: odd shapes around
// the micro-tile sizes, shapes crossing each cache block (kc, mc, the A slab, nc), all four trans
// combinations, alpha/beta (beta = 0 with NaN in C), padded leading dimensions, batches with
// strides, and results that do not depend on how the work is split.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "kernels/gemm_blocking.h"
#include "kernels/kernels.h"
#include "parallel.h"
#include "test_support.h"

namespace {

struct Case {
    bool trans_a, trans_b;
    int64_t m, n, k;
    double alpha, beta;
    int64_t pad;  // extra elements per stored row (leading dimension beyond the minimum)
};

template <class T>
struct Operands {
    Operands(const Case& c, uint32_t seed, int64_t batch = 1, int64_t gap = 0)
        : lda((c.trans_a ? c.m : c.k) + c.pad),
          ldb((c.trans_b ? c.k : c.n) + c.pad),
          ldc(c.n + c.pad),
          stride_a((c.trans_a ? c.k : c.m) * lda + gap),
          stride_b((c.trans_b ? c.n : c.k) * ldb + gap),
          stride_c(c.m * ldc + gap),
          a(ngtest::random_values<T>(static_cast<size_t>(batch * stride_a + 1), seed)),
          b(ngtest::random_values<T>(static_cast<size_t>(batch * stride_b + 1), seed + 1)),
          c(ngtest::random_values<T>(static_cast<size_t>(batch * stride_c + 1), seed + 2)) {
        if (c.beta != 0.0) return;
        // beta == 0: C must not be read, so NaN there must not survive.
        for (int64_t member = 0; member < batch; ++member)
            for (int64_t i = 0; i < c.m; ++i)
                for (int64_t j = 0; j < c.n; ++j)
                    this->c[static_cast<size_t>(member * stride_c + i * ldc + j)] = std::numeric_limits<T>::quiet_NaN();
    }
    int64_t lda, ldb, ldc;
    int64_t stride_a, stride_b, stride_c;
    std::vector<T> a, b, c;
};

template <class T>
ng::GemmArgs<T> args_of(const Case& c, Operands<T>& o, std::vector<T>& out) {
    return {c.trans_a, c.trans_b, c.m, c.n, c.k, static_cast<T>(c.alpha), o.a.data(), o.lda,
            o.b.data(), o.ldb, static_cast<T>(c.beta), out.data(), o.ldc};
}

// Checks member `member` of `actual` (C after the GEMM) against the double reference
// computed from the untouched operands, and that C's padding was not written.
template <class T>
testing::AssertionResult matches_reference(const char* tier, const Case& c, const Operands<T>& o,
                                           const std::vector<T>& actual, int64_t member = 0,
                                           int64_t stride_b = -1) {
    if (stride_b < 0) stride_b = o.stride_b;
    const T* a = o.a.data() + member * o.stride_a;
    const T* b = o.b.data() + member * stride_b;
    const int64_t c0 = member * o.stride_c;
    const double eps = std::numeric_limits<T>::epsilon();
    for (int64_t i = 0; i < c.m; ++i) {
        for (int64_t j = 0; j < o.ldc; ++j) {
            const size_t index = static_cast<size_t>(c0 + i * o.ldc + j);
            if (j >= c.n) {
                if (!ngtest::same_value(actual[index], o.c[index]))
                    return testing::AssertionFailure() << tier << ": padding of C written at " << i << "," << j;
                continue;
            }
            double sum = 0, magnitude = 0;
            for (int64_t p = 0; p < c.k; ++p) {
                const double x = c.trans_a ? a[p * o.lda + i] : a[i * o.lda + p];
                const double y = c.trans_b ? b[j * o.ldb + p] : b[p * o.ldb + j];
                sum += x * y;
                magnitude += std::fabs(x * y);
            }
            double expected = static_cast<double>(c.alpha) * sum;
            magnitude *= std::fabs(static_cast<double>(c.alpha));
            if (c.beta != 0.0) {
                expected += static_cast<double>(c.beta) * o.c[index];
                magnitude += std::fabs(static_cast<double>(c.beta) * o.c[index]);
            }
            const double tolerance = 2 * static_cast<double>(c.k + 2) * eps * magnitude +
                                          std::numeric_limits<T>::min();
            const double error = std::fabs(static_cast<double>(actual[index]) - expected);
            if (!(error <= tolerance)) {
                return testing::AssertionFailure()
                       << tier << " m=" << c.m << " n=" << c.n << " k=" << c.k << " trans_a=" << c.trans_a
                       << " trans_b=" << c.trans_b << " alpha=" << c.alpha << " beta=" << c.beta << " pad=" << c.pad
                       << " member " << member << " at (" << i << "," << j << "): " << actual[index] << ", expected "
                       << expected << " within " << tolerance;
            }
        }
    }
    return testing::AssertionSuccess();
}

template <class T>
testing::AssertionResult run_and_check(ng_cpu_tier tier, const Case& c, uint32_t seed) {
    Operands<T> operands(c, seed);
    std::vector<T> out = operands.c;
    ng::kernel_table(tier).gemm<T>()(args_of(c, operands, out));
    return matches_reference(ng::kernel_table(tier).name, c, operands, out);
}

constexpr double kScalings[][2] = {{1.0, 0.0}, {0.5, -1.5}, {-1.0, 1.0}, {2.0, 0.0}, {0.0, 0.0}, {0.0, 3.0}};

class GemmBlocked : public testing::TestWithParam<ng_cpu_tier> {
protected:
    void SetUp() override { NG_SKIP_IF_TIER_UNSUPPORTED(GetParam()); }
    void TearDown() override {
        ng::set_gemm_chunk_override(0);
        ng::set_thread_count(threads_before_);
    }
    const int threads_before_ = ng::thread_count();

    // Sizes around every tile height and width in use (6, 8; 8, 16, 32), primes, 0 and 1.
    template <class T>
    void odd_shapes() {
        uint32_t seed = 11;
        for (int trans = 0; trans < 4; ++trans)
            for (int64_t m : {0, 1, 5, 7, 9, 13, 17, 37})
                for (int64_t n : {0, 1, 7, 15, 17, 31, 33, 65, 67})
                    for (int64_t k : {0, 1, 3, 17, 61}) {
                        ++seed;
                        const double* scaling = kScalings[seed % std::size(kScalings)];
                        const Case c{(trans & 1) != 0, (trans & 2) != 0, m, n, k, scaling[0], scaling[1],
                                     seed % 3 == 0 ? 0 : 5};
                        ASSERT_TRUE(run_and_check<T>(GetParam(), c, seed));
                    }
    }

    // A @ Bᵀ deep enough for the dot-product tiles (gemm_dot.h): rows and columns around their
    // 4 x 6 and 2 x 5 tiles, depths around a vector's width, and the short, deep shapes.
    template <class T>
    void dot_shapes() {
        uint32_t seed = 201;
        for (int64_t m : {1, 2, 3, 4, 5, 9, 64})
            for (int64_t n : {1, 5, 6, 7, 10, 11, 13, 15, 16})
                for (int64_t k : {64, 71, 80, 800}) {
                    ++seed;
                    const double* scaling = kScalings[seed % std::size(kScalings)];
                    const Case c{false, true, m, n, k, scaling[0], scaling[1], seed % 3 == 0 ? 0 : 3};
                    ASSERT_TRUE(run_and_check<T>(GetParam(), c, seed));
                }
        ASSERT_TRUE(run_and_check<T>(GetParam(), {false, true, 37, 100, 790, 1.0, 0.5, 1}, ++seed));
    }

    // Past one kc (deep), past two mc blocks and a whole A slab (tall), past nc (wide).
    template <class T>
    void block_edges() {
        uint32_t seed = 101;
        for (int trans = 0; trans < 4; ++trans) {
            const bool ta = (trans & 1) != 0, tb = (trans & 2) != 0;
            for (const Case& c : {Case{ta, tb, 29, 41, 1100, 1.0, 0.0, 1}, Case{ta, tb, 263, 37, 300, 0.75, 0.5, 0},
                                  Case{ta, tb, 1100, 9, 13, 1.0, -1.0, 2}, Case{ta, tb, 7, 8300, 5, -0.5, 0.0, 3}})
                ASSERT_TRUE(run_and_check<T>(GetParam(), c, ++seed));
        }
    }

    // Members `gap` elements apart beyond their own extent, and B shared by all (stride 0);
    // small products take the split-over-the-batch path, large ones the split-within path.
    template <class T>
    void batched() {
        uint32_t seed = 301;
        for (int trans = 0; trans < 4; ++trans) {
            const bool ta = (trans & 1) != 0, tb = (trans & 2) != 0;
            for (const Case& c : {Case{ta, tb, 5, 9, 7, 1.0, 0.0, 2}, Case{ta, tb, 130, 140, 150, 0.5, 2.0, 1}}) {
                for (const bool shared_b : {false, true}) {
                    const int64_t batch = 4;
                    Operands<T> operands(c, ++seed, batch, 3);
                    const int64_t stride_b = shared_b ? 0 : operands.stride_b;
                    std::vector<T> out = operands.c;
                    ng::kernel_table(GetParam()).gemm_batched<T>()(
                        args_of(c, operands, out), {batch, operands.stride_a, stride_b, operands.stride_c});
                    for (int64_t member = 0; member < batch; ++member)
                        ASSERT_TRUE(matches_reference(ng::kernel_table(GetParam()).name, c, operands, out, member,
                                                      stride_b))
                            << " shared_b=" << shared_b;
                    // The gaps between members of C are not written.
                    for (int64_t member = 0; member < batch; ++member)
                        for (int64_t gap = 0; gap < 3; ++gap) {
                            const size_t index = static_cast<size_t>(member * operands.stride_c + c.m * operands.ldc + gap);
                            ASSERT_TRUE(ngtest::same_value(out[index], operands.c[index])) << "gap written";
                        }
                }
            }
        }
    }

    // The same products split every way: bit for bit what one chunk gives.
    template <class T>
    void split_invariant() {
        uint32_t seed = 501;
        for (int trans = 0; trans < 4; ++trans) {
            split_invariant_for<T>({(trans & 1) != 0, (trans & 2) != 0, 140, 300, 520, 1.0, 0.5, 1}, seed += 10, trans);
            if (testing::Test::HasFatalFailure()) return;
        }
        // A narrow A @ Bᵀ, which the vector tiers take as dot products (gemm_dot.h) split over B's
        // rows, and a short, deep one.
        split_invariant_for<T>({false, true, 100, 11, 300, 1.0, 0.5, 1}, ++seed, 2);
        if (testing::Test::HasFatalFailure()) return;
        split_invariant_for<T>({false, true, 64, 200, 800, 1.0, 0.0, 0}, ++seed, 2);
    }

    template <class T>
    void split_invariant_for(const Case& c, uint32_t seed, int trans) {
        Operands<T> operands(c, seed);
        std::vector<std::vector<T>> results;
        // (chunk override, threads): one chunk, chunks of 1 and 3 items last first, and the
        // thread pool's own split over 2 and 3 threads.
        for (const auto& [chunk, threads] : {std::pair{0, 1}, {1, 1}, {3, 1}, {0, 2}, {0, 3}}) {
            ng::set_gemm_chunk_override(chunk);
            ng::set_thread_count(threads);
            std::vector<T> out = operands.c;
            ng::kernel_table(GetParam()).gemm<T>()(args_of(c, operands, out));
            // A batch of 9 small products (4 x 5 @ 5 x 6), split over the batch.
            const Case small{c.trans_a, c.trans_b, 4, 6, 5, 1.0, 0.0, 0};
            std::vector<T> small_out(9 * 24);
            ng::GemmArgs<T> args = args_of(small, operands, small_out);
            args.lda = small.trans_a ? small.m : small.k;
            args.ldb = small.trans_b ? small.k : small.n;
            args.ldc = small.n;
            ng::kernel_table(GetParam()).gemm_batched<T>()(args, {9, 20, 30, 24});
            out.insert(out.end(), small_out.begin(), small_out.end());
            results.push_back(out);
        }
        ng::set_gemm_chunk_override(0);
        ng::set_thread_count(threads_before_);
        ASSERT_TRUE(matches_reference(ng::kernel_table(GetParam()).name, c, operands, results[0]));
        for (size_t i = 1; i < results.size(); ++i)
            for (size_t e = 0; e < results[0].size(); ++e)
                ASSERT_TRUE(ngtest::same_value(results[i][e], results[0][e]))
                    << "split " << i << " differs at element " << e << " trans=" << trans;
    }
};

TEST_P(GemmBlocked, Float32OddShapes) { odd_shapes<float>(); }
TEST_P(GemmBlocked, Float64OddShapes) { odd_shapes<double>(); }
TEST_P(GemmBlocked, Float32DotProductShapes) { dot_shapes<float>(); }
TEST_P(GemmBlocked, Float64DotProductShapes) { dot_shapes<double>(); }
TEST_P(GemmBlocked, Float32BlockEdges) { block_edges<float>(); }
TEST_P(GemmBlocked, Float64BlockEdges) { block_edges<double>(); }
TEST_P(GemmBlocked, Float32Batched) { batched<float>(); }
TEST_P(GemmBlocked, Float64Batched) { batched<double>(); }
TEST_P(GemmBlocked, Float32ResultsDoNotDependOnTheSplit) { split_invariant<float>(); }
TEST_P(GemmBlocked, Float64ResultsDoNotDependOnTheSplit) { split_invariant<double>(); }

INSTANTIATE_TEST_SUITE_P(Tiers, GemmBlocked, testing::ValuesIn(ngtest::kAllTiers), ngtest::tier_name);

}  // namespace
