// A vectorised ng_gemm for any simd.h vector type V: clear and correct rather than fast.
// (The cache-blocked, packed-A GEMM is a separate piece of work.)
//
// C is walked in column strips of kCols = 2 vectors. For each strip and each depth block of
// kDepth values of p, the strip of op(B) is copied into a zero-padded stack panel - which turns a
// transposed B into contiguous rows and lets the inner loop load full vectors with no tail
// handling - and then every group of kRows rows of C accumulates
//     acc[r][v] += broadcast(op(A)[i + r, p]) * panel[p, v]
// in registers before C is read (only if beta != 0), updated and written with masked tails.
// Depth blocks after the first add into C, so rounding differs slightly from the scalar tier.
#ifndef NATIVEGRAD_SRC_KERNELS_GEMM_SIMD_H
#define NATIVEGRAD_SRC_KERNELS_GEMM_SIMD_H

#include <cstdint>

#include "kernels/gemm_common.h"
#include "kernels/kernels.h"

namespace {

template <class V>
class SimdGemm {
public:
    using T = typename V::Scalar;

    static void run(const ng::GemmArgs<T>& g) {
        if (g.m == 0 || g.n == 0 || gemm_scale_only(g)) return;
        alignas(64) T panel[kDepth * kCols];
        for (int64_t j0 = 0; j0 < g.n; j0 += kCols) {
            const int64_t cols = smaller(kCols, g.n - j0);
            for (int64_t p0 = 0; p0 < g.k; p0 += kDepth) {
                const int64_t depth = smaller(kDepth, g.k - p0);
                pack_b(g, p0, depth, j0, cols, panel);
                const bool first = p0 == 0;
                int64_t i = 0;
                for (; i + kRows <= g.m; i += kRows) tile<kRows>(g, i, p0, depth, j0, cols, panel, first);
                switch (g.m - i) {
                    case 3: tile<3>(g, i, p0, depth, j0, cols, panel, first); break;
                    case 2: tile<2>(g, i, p0, depth, j0, cols, panel, first); break;
                    case 1: tile<1>(g, i, p0, depth, j0, cols, panel, first); break;
                    default: break;
                }
            }
        }
    }

private:
    static constexpr int64_t kWidth = V::kWidth;
    static constexpr int kVectors = 2;                   // vectors per row of a tile
    static constexpr int64_t kCols = kVectors * kWidth;  // columns of C per strip
    static constexpr int kRows = 4;                      // rows of C per tile
    static constexpr int64_t kDepth = 256;               // values of p per panel (panel <= 32 KiB)

    // Not std::min: nothing with external linkage may be instantiated in a tier file.
    static int64_t smaller(int64_t x, int64_t y) { return x < y ? x : y; }

    // panel[p][jj] = op(B)[p0 + p, j0 + jj] for jj < cols, and 0 for cols <= jj < kCols.
    static void pack_b(const ng::GemmArgs<T>& g, int64_t p0, int64_t depth, int64_t j0, int64_t cols, T* panel) {
        for (int64_t p = 0; p < depth; ++p) {
            T* row = panel + p * kCols;
            for (int64_t jj = 0; jj < cols; ++jj) row[jj] = gemm_op_b(g, p0 + p, j0 + jj);
            for (int64_t jj = cols; jj < kCols; ++jj) row[jj] = T(0);
        }
    }

    static V load_n(const T* p, int64_t n) { return n == kWidth ? V::load(p) : V::load_partial(p, n); }
    static void store_n(V x, T* p, int64_t n) {
        if (n == kWidth) x.store(p);
        else x.store_partial(p, n);
    }

    // Rows i .. i+R-1 of the strip: C = alpha * acc + beta * C on the first depth block (C unread
    // when beta == 0), C = C + alpha * acc on the later ones.
    template <int R>
    static void tile(const ng::GemmArgs<T>& g, int64_t i, int64_t p0, int64_t depth, int64_t j0, int64_t cols,
                     const T* panel, bool first) {
        // op(A)[i + r, p0 + p] sits at a0[r * row_step + p * depth_step].
        const int64_t row_step = g.trans_a ? 1 : g.lda;
        const int64_t depth_step = g.trans_a ? g.lda : 1;
        const T* a0 = g.a + i * row_step + p0 * depth_step;

        V acc[R][kVectors];
        for (int r = 0; r < R; ++r)
            for (int v = 0; v < kVectors; ++v) acc[r][v] = V::zero();

        for (int64_t p = 0; p < depth; ++p) {
            V b[kVectors];
            for (int v = 0; v < kVectors; ++v) b[v] = V::load(panel + p * kCols + v * kWidth);
            const T* a_col = a0 + p * depth_step;
            for (int r = 0; r < R; ++r) {
                const V a = V::broadcast(a_col[r * row_step]);
                for (int v = 0; v < kVectors; ++v) acc[r][v] = fmadd(a, b[v], acc[r][v]);
            }
        }

        const V alpha = V::broadcast(g.alpha);
        const V beta = V::broadcast(g.beta);
        const bool read_c = !first || g.beta != T(0);
        for (int r = 0; r < R; ++r) {
            T* c_row = g.c + (i + r) * g.ldc + j0;
            for (int v = 0; v < kVectors; ++v) {
                const int64_t n = smaller(kWidth, cols - v * kWidth);
                if (n <= 0) break;
                T* c = c_row + v * kWidth;
                V result = alpha * acc[r][v];
                if (read_c) result = first ? fmadd(beta, load_n(c, n), result) : load_n(c, n) + result;
                store_n(result, c, n);
            }
        }
    }
};

}  // namespace

#endif
