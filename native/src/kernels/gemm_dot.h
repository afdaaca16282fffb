// The GEMM for an untransposed A and a transposed B (C = A @ Bᵀ with both stored row-major along
// the depth: Linear's x @ Wᵀ), as dot products that read A and B where they are stored. Each
// element of C is the dot product of a row of A and a row of B, both contiguous, so nothing has
// to be packed; the packed tiles would pad a narrow B (the 10 classes of a classifier's last
// layer) to their full width, and for a short A with a deep product they would transpose all of
// B into panels first (a sixth of the work for a batch of 64 rows). Tiles of kRows rows of A by
// kCols rows of B hold one accumulator per element of C; each depth step loads kRows + kCols
// vectors for kRows * kCols FMAs, and at the end transpose-and-adds (V::sum_lanes, one per
// vector width of accumulators) turn them into the tile's sums. Each tier decides where it pays.
//
// Loops, outermost first: row blocks of A sized to stay in L2, groups of kCols rows of B (read
// from memory once per row block and then from L1), tiles down the block. Threads split the
// groups; every element of C is one tile's, summed in the same order whatever the split, so
// results are bit-identical for any thread count.
//
// Anonymous namespace: compiled into each tier's file with its own -m flags.
#ifndef NATIVEGRAD_SRC_KERNELS_GEMM_DOT_H
#define NATIVEGRAD_SRC_KERNELS_GEMM_DOT_H

#include <cstdint>

#include "cpu_cache.h"
#include "kernels/gemm_common.h"
#include "kernels/kernels.h"

namespace {

template <class V, int kTileRows, int kTileCols>
class DotGemm {
public:
    using T = typename V::Scalar;
    static constexpr int kAccumulators = kTileRows * kTileCols;
    // V::sum_lanes folds kWidth accumulators into one vector of sums; the last fold is padded.
    static constexpr int kFolds = (kAccumulators + V::kWidth - 1) / V::kWidth;

    // The layout dot products need (B transposed, A not) and a depth worth the tile's final
    // reduction; which shapes they pay for is the tier's measured choice.
    static bool applies(const ng::GemmArgs<T>& g) {
        return g.trans_b && !g.trans_a && g.k >= 64 && g.m > 0 && g.n > 0 && g.alpha != T(0);
    }

    static void run(const ng::GemmArgs<T>& g) {
        const int64_t row_block = rows_per_block(g.k);
        const int64_t groups = (g.n + kTileCols - 1) / kTileCols;
        const int64_t group_flops = 2 * kTileCols * g.k * (g.m < row_block ? g.m : row_block);
        gemm_for_each_chunk(groups, 1 + (1 << 18) / group_flops, [&](int64_t begin, int64_t end) {
            for (int64_t i0 = 0; i0 < g.m; i0 += row_block) {
                const int64_t block_end = i0 + row_block < g.m ? i0 + row_block : g.m;
                for (int64_t group = begin; group < end; ++group) {
                    const int64_t j0 = group * kTileCols;
                    const int64_t cols = g.n - j0 < kTileCols ? g.n - j0 : kTileCols;
                    for (int64_t i = i0; i < block_end; i += kTileRows)
                        tile(g, i, block_end - i < kTileRows ? block_end - i : kTileRows, j0, cols);
                }
            }
        });
    }

private:
    // Rows of A that fit in half of L2 with their depth, a whole number of tiles.
    static int64_t rows_per_block(int64_t depth) {
        const int64_t rows = ng::cache_sizes().l2 / 2 / (depth * int64_t{sizeof(T)});
        return rows < kTileRows ? kTileRows : rows / kTileRows * kTileRows;
    }

    // C[i0.., j0..] (rows x cols of it) = alpha * A[i0..] . B[j0..] + beta * C. Missing rows of
    // an edge tile repeat the last real one (their sums are computed and dropped), so the loop
    // has one shape and the accumulators stay in registers.
    __attribute__((noinline)) static void tile(const ng::GemmArgs<T>& g, int64_t i0, int64_t rows, int64_t j0,
                                               int64_t cols) {
        const T* a[kTileRows];
        const T* b[kTileCols];
#pragma GCC unroll 8
        for (int r = 0; r < kTileRows; ++r) a[r] = g.a + (i0 + (r < rows ? r : rows - 1)) * g.lda;
#pragma GCC unroll 8
        for (int s = 0; s < kTileCols; ++s) b[s] = g.b + (j0 + (s < cols ? s : cols - 1)) * g.ldb;

        V acc[kAccumulators];
#pragma GCC unroll 32
        for (int e = 0; e < kAccumulators; ++e) acc[e] = V::zero();
        const int64_t whole = g.k / V::kWidth * V::kWidth;
#pragma GCC unroll 2
        for (int64_t p = 0; p < whole; p += V::kWidth) step(a, b, p, V::kWidth, acc);
        if (whole < g.k) step(a, b, whole, g.k - whole, acc);

        alignas(64) T sums[kFolds * V::kWidth];
#pragma GCC unroll 4
        for (int fold = 0; fold < kFolds; ++fold) {
            V folded[V::kWidth];  // this fold's accumulators, zeros past the last (copies the compiler drops)
#pragma GCC unroll 16
            for (int e = 0; e < V::kWidth; ++e) {
                const int index = fold * int{V::kWidth} + e;
                folded[e] = index < kAccumulators ? acc[index] : V::zero();
            }
            V::sum_lanes(folded).store(sums + fold * V::kWidth);
        }
        for (int64_t r = 0; r < rows; ++r) {
            T* c = g.c + (i0 + r) * g.ldc + j0;
            for (int64_t s = 0; s < cols; ++s) {
                const T dot = g.alpha * sums[r * kTileCols + s];
                // beta * C + dot rounded once, as the packed tiles' vector FMA does.
                c[s] = g.beta == T(0) ? dot : V::fused(g.beta, c[s], dot);
            }
        }
    }

    // One vector of depth (the first `lanes` of it, zero-filled past them) into every accumulator.
    __attribute__((always_inline)) static void step(const T* const (&a)[kTileRows], const T* const (&b)[kTileCols],
                                                    int64_t p, int64_t lanes, V (&acc)[kAccumulators]) {
        V a_row[kTileRows];
#pragma GCC unroll 8
        for (int r = 0; r < kTileRows; ++r)
            a_row[r] = lanes == V::kWidth ? V::load(a[r] + p) : V::load_partial(a[r] + p, lanes);
#pragma GCC unroll 8
        for (int s = 0; s < kTileCols; ++s) {
            const V b_row = lanes == V::kWidth ? V::load(b[s] + p) : V::load_partial(b[s] + p, lanes);
#pragma GCC unroll 8
            for (int r = 0; r < kTileRows; ++r) acc[r * kTileCols + s] = fmadd(a_row[r], b_row, acc[r * kTileCols + s]);
        }
    }
};

}  // namespace

#endif
