// Every tier's GEMM against the scalar reference on many small shapes, and the scalar reference
// against results worked out by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/kernels.h"
#include "test_support.h"

namespace {

struct Scaling {
    double alpha;
    double beta;
};

// beta == 0 runs with C full of NaN: C must not be read. alpha == 0 must not read A or B.
constexpr Scaling kScalings[] = {{1.0, 0.0}, {0.5, -1.5}, {-1.0, 1.0}, {0.0, 2.0}, {0.0, 0.0}};

template <class T>
struct Problem {
    bool trans_a, trans_b;
    int64_t m, n, k;
    int64_t pad;  // extra elements per stored row, so leading dimensions exceed the minimum
    Scaling scaling;
};

template <class T>
struct Buffers {
    std::vector<T> a, b, c;
    int64_t lda, ldb, ldc;
};

template <class T>
Buffers<T> make_buffers(const Problem<T>& p, uint32_t seed) {
    Buffers<T> buffers;
    const int64_t a_rows = p.trans_a ? p.k : p.m, a_cols = p.trans_a ? p.m : p.k;
    const int64_t b_rows = p.trans_b ? p.n : p.k, b_cols = p.trans_b ? p.k : p.n;
    buffers.lda = a_cols + p.pad;
    buffers.ldb = b_cols + p.pad;
    buffers.ldc = p.n + p.pad;
    buffers.a = ngtest::random_values<T>(static_cast<size_t>(a_rows * buffers.lda), seed);
    buffers.b = ngtest::random_values<T>(static_cast<size_t>(b_rows * buffers.ldb), seed + 1);
    buffers.c = ngtest::random_values<T>(static_cast<size_t>(p.m * buffers.ldc), seed + 2);
    if (p.scaling.beta == 0.0) {
        for (int64_t i = 0; i < p.m; ++i)
            for (int64_t j = 0; j < p.n; ++j) buffers.c[i * buffers.ldc + j] = std::numeric_limits<T>::quiet_NaN();
    }
    return buffers;
}

template <class T>
ng::GemmArgs<T> args_for(const Problem<T>& p, Buffers<T>& buffers, std::vector<T>& c) {
    return {p.trans_a, p.trans_b, p.m, p.n, p.k, static_cast<T>(p.scaling.alpha), buffers.a.data(), buffers.lda,
            buffers.b.data(), buffers.ldb, static_cast<T>(p.scaling.beta), c.data(), buffers.ldc};
}

// FMA and a different summation order change rounding, so compare within a bound derived from
// the magnitudes involved: |alpha| * sum_p |a_ip * b_pj| + |beta * c_ij|.
template <class T>
void expect_matches_scalar(ng_cpu_tier tier, const Problem<T>& p, uint32_t seed) {
    Buffers<T> buffers = make_buffers(p, seed);
    std::vector<T> expected = buffers.c;
    std::vector<T> actual = buffers.c;
    ng::kernel_table(NG_CPU_TIER_SCALAR).gemm<T>()(args_for(p, buffers, expected));
    ng::kernel_table(tier).gemm<T>()(args_for(p, buffers, actual));

    const T eps = std::numeric_limits<T>::epsilon();
    for (int64_t i = 0; i < p.m; ++i) {
        for (int64_t j = 0; j < buffers.ldc; ++j) {
            const size_t index = static_cast<size_t>(i * buffers.ldc + j);
            if (j >= p.n) {  // padding of C must be left alone
                ASSERT_TRUE(ngtest::same_value(actual[index], buffers.c[index])) << "padding written at " << i << "," << j;
                continue;
            }
            T magnitude = std::abs(static_cast<T>(p.scaling.beta) * buffers.c[index]);
            if (p.scaling.beta == 0.0) magnitude = 0;
            if (p.scaling.alpha != 0.0) {
                for (int64_t q = 0; q < p.k; ++q) {
                    const T a = p.trans_a ? buffers.a[q * buffers.lda + i] : buffers.a[i * buffers.lda + q];
                    const T b = p.trans_b ? buffers.b[j * buffers.ldb + q] : buffers.b[q * buffers.ldb + j];
                    magnitude += std::abs(static_cast<T>(p.scaling.alpha) * a * b);
                }
            }
            const T tolerance = T(2) * static_cast<T>(p.k + 2) * eps * magnitude + std::numeric_limits<T>::min();
            ASSERT_FALSE(std::isnan(actual[index])) << "NaN at " << i << "," << j;
            ASSERT_LE(std::abs(actual[index] - expected[index]), tolerance)
                << "tier " << ng::kernel_table(tier).name << " m=" << p.m << " n=" << p.n << " k=" << p.k
                << " trans_a=" << p.trans_a << " trans_b=" << p.trans_b << " alpha=" << p.scaling.alpha
                << " beta=" << p.scaling.beta << " pad=" << p.pad << " at (" << i << "," << j << "): " << actual[index]
                << " vs scalar " << expected[index];
        }
    }
}

template <class T>
void expect_small_shapes_match(ng_cpu_tier tier) {
    const int64_t ms[] = {0, 1, 2, 3, 4, 5, 7, 9, 12};
    const int64_t ks[] = {0, 1, 2, 3, 5, 8, 16, 17};
    std::vector<int64_t> ns;
    for (int64_t n = 0; n <= 20; ++n) ns.push_back(n);
    for (int64_t n : {31, 32, 33, 47, 65}) ns.push_back(n);

    uint32_t seed = 1;
    for (int trans = 0; trans < 4; ++trans) {
        for (int64_t m : ms) {
            for (int64_t n : ns) {
                for (int64_t k : ks) {
                    for (const Scaling& scaling : kScalings) {
                        ++seed;
                        const Problem<T> p{(trans & 1) != 0, (trans & 2) != 0, m, n, k, seed % 2 == 0 ? 0 : 3, scaling};
                        expect_matches_scalar(tier, p, seed);
                        if (testing::Test::HasFatalFailure()) return;
                    }
                }
            }
        }
    }
}

// Depths past the 256-deep panel, where C is accumulated in several passes.
template <class T>
void expect_deep_shapes_match(ng_cpu_tier tier) {
    uint32_t seed = 7;
    for (int trans = 0; trans < 4; ++trans) {
        for (int64_t k : {255, 256, 257, 600}) {
            for (const Scaling& scaling : {Scaling{1.0, 0.0}, Scaling{0.75, 0.5}}) {
                const Problem<T> p{(trans & 1) != 0, (trans & 2) != 0, 6, 37, k, 2, scaling};
                expect_matches_scalar(tier, p, ++seed);
                if (testing::Test::HasFatalFailure()) return;
            }
        }
    }
}

// Depths that fit one block and whose untransposed A is read in place (run_unpacked), full and
// edge tiles of both operands together.
template <class T>
void expect_one_block_shapes_match(ng_cpu_tier tier) {
    uint32_t seed = 11;
    for (int trans = 0; trans < 4; ++trans) {
        for (int64_t m : {8, 17, 24}) {
            for (int64_t n : {16, 31, 32, 33, 65}) {
                for (int64_t k : {32, 33, 64}) {
                    for (const Scaling& scaling : {Scaling{1.0, 0.0}, Scaling{0.75, 0.5}}) {
                        const Problem<T> p{(trans & 1) != 0, (trans & 2) != 0, m, n, k, seed % 2 == 0 ? 0 : 3, scaling};
                        expect_matches_scalar(tier, p, ++seed);
                        if (testing::Test::HasFatalFailure()) return;
                    }
                }
            }
        }
    }
}

// A @ Bᵀ shapes that the vector tiers compute as dot products (gemm_dot.h): fewer than 16
// columns at any depth from 64, with edge tiles in both directions and a depth tail that is not a
// whole vector; then short, deep products, which take the dot path when a tier chooses it for them.
void expect_dot_product_shapes_match(ng_cpu_tier tier) {
    uint32_t seed = 23;
    const Scaling scalings[] = {{1.0, 0.0}, {0.75, 0.5}, {-1.0, 1.0}};
    for (int64_t m : {1, 3, 4, 5, 7, 13, 64}) {
        for (int64_t n : {1, 5, 6, 7, 10, 15}) {
            for (int64_t k : {64, 65, 79, 256, 300}) {
                for (const Scaling& scaling : scalings) {
                    const Problem<float> p{false, true, m, n, k, seed % 2 == 0 ? 0 : 3, scaling};
                    expect_matches_scalar(tier, p, ++seed);
                    if (testing::Test::HasFatalFailure()) return;
                }
            }
        }
    }
    for (int64_t m : {1, 4, 5, 33, 128}) {
        for (int64_t n : {16, 17, 31, 40}) {
            for (int64_t k : {768, 800, 1025}) {
                const Problem<float> p{false, true, m, n, k, seed % 2 == 0 ? 0 : 3, scalings[seed % 3]};
                expect_matches_scalar(tier, p, ++seed);
                if (testing::Test::HasFatalFailure()) return;
            }
        }
    }
}

class GemmKernels : public testing::TestWithParam<ng_cpu_tier> {
protected:
    void SetUp() override { NG_SKIP_IF_TIER_UNSUPPORTED(GetParam()); }
};

TEST_P(GemmKernels, Float32SmallShapesMatchScalar) { expect_small_shapes_match<float>(GetParam()); }
TEST_P(GemmKernels, Float64SmallShapesMatchScalar) { expect_small_shapes_match<double>(GetParam()); }
TEST_P(GemmKernels, Float32DeepShapesMatchScalar) { expect_deep_shapes_match<float>(GetParam()); }
TEST_P(GemmKernels, Float64DeepShapesMatchScalar) { expect_deep_shapes_match<double>(GetParam()); }
TEST_P(GemmKernels, Float32OneBlockShapesMatchScalar) { expect_one_block_shapes_match<float>(GetParam()); }
TEST_P(GemmKernels, Float64OneBlockShapesMatchScalar) { expect_one_block_shapes_match<double>(GetParam()); }

TEST_P(GemmKernels, Float32DotProductShapesMatchScalar) { expect_dot_product_shapes_match(GetParam()); }

TEST_P(GemmKernels, AlphaZeroOrEmptyDepthReadsNeitherAnorB) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> a(12, nan), b(12, nan);
    for (int64_t k : {0, 3}) {
        std::vector<double> c = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
        ng::kernel_table(GetParam()).gemm<double>()({false, false, 4, 3, k, 0.0, a.data(), 3, b.data(), 3, 2.0, c.data(), 3});
        for (size_t i = 0; i < c.size(); ++i) EXPECT_EQ(c[i], 2.0 * static_cast<double>(i + 1)) << "k=" << k;

        std::fill(c.begin(), c.end(), nan);
        ng::kernel_table(GetParam()).gemm<double>()({false, false, 4, 3, k, 0.0, a.data(), 3, b.data(), 3, 0.0, c.data(), 3});
        for (double value : c) EXPECT_EQ(value, 0.0) << "k=" << k;
    }
}

INSTANTIATE_TEST_SUITE_P(Tiers, GemmKernels, testing::ValuesIn(ngtest::kAllTiers), ngtest::tier_name);

// A = [[1, 2, 3], [4, 5, 6]] (2 x 3), B = [[7, 8], [9, 10], [11, 12]] (3 x 2):
// A @ B = [[58, 64], [139, 154]], worked out by hand.
TEST(GemmScalarReference, MatchesHandComputedProduct) {
    const ng::GemmKernel<double> gemm = ng::kernel_table(NG_CPU_TIER_SCALAR).gemm<double>();
    const double a[] = {1, 2, 3, 4, 5, 6};
    const double b[] = {7, 8, 9, 10, 11, 12};
    const double a_t[] = {1, 4, 2, 5, 3, 6};    // A stored transposed (3 x 2)
    const double b_t[] = {7, 9, 11, 8, 10, 12};  // B stored transposed (2 x 3)
    const double expected[] = {58, 64, 139, 154};

    for (int trans = 0; trans < 4; ++trans) {
        const bool ta = (trans & 1) != 0, tb = (trans & 2) != 0;
        double c[4];
        gemm({ta, tb, 2, 2, 3, 1.0, ta ? a_t : a, ta ? 2 : 3, tb ? b_t : b, tb ? 3 : 2, 0.0, c, 2});
        for (int i = 0; i < 4; ++i) EXPECT_EQ(c[i], expected[i]) << "trans_a=" << ta << " trans_b=" << tb;
    }

    // alpha = 2, beta = -1 on C = [[1, 1], [1, 1]], with ldc = 3 (padding must stay).
    double c[] = {1, 1, 99, 1, 1, 99};
    gemm({false, false, 2, 2, 3, 2.0, a, 3, b, 2, -1.0, c, 3});
    EXPECT_EQ(c[0], 115);
    EXPECT_EQ(c[1], 127);
    EXPECT_EQ(c[2], 99);
    EXPECT_EQ(c[3], 277);
    EXPECT_EQ(c[4], 307);
    EXPECT_EQ(c[5], 99);

    // Float32 with a 1 x 3 @ 3 x 1 (a dot product).
    const float x[] = {0.5f, -1.0f, 2.0f};
    const float y[] = {4.0f, 3.0f, 0.25f};
    float dot = std::numeric_limits<float>::quiet_NaN();
    ng::kernel_table(NG_CPU_TIER_SCALAR).gemm<float>()({false, false, 1, 1, 3, 1.0f, x, 3, y, 1, 0.0f, &dot, 1});
    EXPECT_EQ(dot, -0.5f);
}

}  // namespace
