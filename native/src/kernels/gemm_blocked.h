// The packed, cache-blocked GEMM (GotoBLAS / BLIS) every SIMD tier runs, parameterised by its
// micro-kernel (gemm_simd.h). Loops, outermost first:
//
//   jc over columns of C in nc blocks
//     pc over depth in kc blocks: op(B)[pc, jc] packed into NR-column panels (shared, read-only)
//       ic over rows in slabs of several mc blocks: op(A)[ic, pc] packed into MR-row panels
//         split: (mc block x group of NR panels) work items, each writing its own C tile
//           jr over the group's panels: the kc x NR panel stays in L1
//             ir over the block's panels: micro-kernel on one MR x NR tile of C
//
// Transposes are folded into packing: packed panels are laid out the same whichever way A and B
// are stored, so the micro-kernel never sees a trans flag and no transposed copy is ever made.
// Panels are zero-padded to whole tiles, so edge tiles run the same kernel and only their stores
// are masked. Products whose depth fits one kc block mostly skip packing (run_unpacked).
//
// Threads: every buffer is packed (its packing split over panels) before the work items are
// split, and each C element is summed over pc in the same order by the same code whatever the
// split, so results are bit-identical for any thread count.
//
// Anonymous namespace: compiled into each tier's file with its own -m flags.
#ifndef NATIVEGRAD_SRC_KERNELS_GEMM_BLOCKED_H
#define NATIVEGRAD_SRC_KERNELS_GEMM_BLOCKED_H

#include <cstdint>

#include "kernels/gemm_blocking.h"
#include "kernels/gemm_common.h"
#include "kernels/gemm_pack_x86.h"
#include "kernels/kernels.h"
#include "parallel.h"

namespace {

template <class Micro>
class BlockedGemm {
public:
    using T = typename Micro::T;

    static void run(const ng::GemmArgs<T>& g) { run_one(g, Split::allowed); }

    static void run_batched(const ng::GemmArgs<T>& g, const ng::GemmBatch& batch) {
        if (batch.count == 0) return;
        // In double: m * n * k of a valid call can exceed an int64.
        const double flops = 2.0 * static_cast<double>(g.m) * static_cast<double>(g.n) * static_cast<double>(g.k);
        if (batch.count == 1 || flops >= kSplitWithinFlops) {
            for (int64_t index = 0; index < batch.count; ++index) {
                run_one(gemm_batch_member(g, batch, index), Split::allowed);
            }
            return;
        }
        // Many small products: one per work item, each packed into its own thread's buffers,
        // whose allocation may fail where nothing may throw.
        bool out_of_memory = false;  // set with __atomic builtins: std::atomic would instantiate here
        const int64_t grain = 1 + static_cast<int64_t>(kSplitWithinFlops / (flops + 1));
        ng::parallel_for(batch.count, grain, [&](int64_t begin, int64_t end) {
            for (int64_t index = begin; index < end; ++index) {
                if (!run_one(gemm_batch_member(g, batch, index), Split::forbidden)) {
                    __atomic_store_n(&out_of_memory, true, __ATOMIC_RELAXED);
                }
            }
        });
        if (__atomic_load_n(&out_of_memory, __ATOMIC_RELAXED)) ng::throw_gemm_out_of_memory();
    }

private:
    static constexpr int64_t kRows = Micro::kRows;
    static constexpr int64_t kCols = Micro::kCols;
    static constexpr int64_t kPanelsPerGroup = 4;         // NR panels per work item
    static constexpr int64_t kBlocksPerSlab = 8;          // mc blocks of A packed at once
    static constexpr int64_t kSplitWithinFlops = 1 << 21;  // below this, threads take whole products

    enum class Split { allowed, forbidden };

    static int64_t smaller(int64_t x, int64_t y) { return x < y ? x : y; }
    static int64_t round_up(int64_t value, int64_t multiple) { return (value + multiple - 1) / multiple * multiple; }

    template <class Body>
    static void for_each_chunk(Split split, int64_t count, int64_t grain, const Body& body) {
        if (split == Split::forbidden) return count > 0 ? body(int64_t{0}, count) : void();
        gemm_for_each_chunk(count, grain, body);
    }

    // False when a packing buffer could not be allocated (C is then partly written).
    static bool run_one(const ng::GemmArgs<T>& g, Split split) {
        if (g.m == 0 || g.n == 0 || gemm_scale_only(g)) return true;
        const ng::GemmBlocking blocking = ng::gemm_blocking(ng::cache_sizes(), kRows, kCols, sizeof(T));
        if (unpacked_pays(g, blocking)) return run_unpacked(g, split);
        const int64_t kc = smaller(blocking.kc, g.k);
        const int64_t nc = smaller(blocking.nc, round_up(g.n, kCols));
        const int64_t slab = smaller(blocking.mc * kBlocksPerSlab, round_up(g.m, kRows));
        T* packed_b = static_cast<T*>(ng::gemm_buffer(ng::GemmBuffer::packed_b, nc * kc * int64_t{sizeof(T)}));
        T* packed_a = static_cast<T*>(ng::gemm_buffer(ng::GemmBuffer::packed_a, slab * kc * int64_t{sizeof(T)}));
        if (packed_a == nullptr || packed_b == nullptr) {
            if (split == Split::allowed) ng::throw_gemm_out_of_memory();
            return false;
        }

        for (int64_t jc = 0; jc < g.n; jc += nc) {
            const int64_t cols = smaller(nc, g.n - jc);
            for (int64_t pc = 0; pc < g.k; pc += kc) {
                const int64_t depth = smaller(kc, g.k - pc);
                const int64_t b_panels = (cols + kCols - 1) / kCols;
                for_each_chunk(split, b_panels, 1 + 4096 / (depth * kCols), [&](int64_t begin, int64_t end) {
                    for (int64_t panel = begin; panel < end; ++panel)
                        pack_b_panel(g, pc, depth, jc + panel * kCols, smaller(kCols, cols - panel * kCols),
                                     packed_b + panel * depth * kCols);
                });
                // beta scales C once, on the first depth block; the later ones add to it.
                const Update update{g.alpha, pc == 0 ? g.beta : T(1), pc == 0 && g.beta == T(0)};
                for (int64_t ic = 0; ic < g.m; ic += slab) {
                    const int64_t rows = smaller(slab, g.m - ic);
                    pack_a_slab(g, split, ic, rows, pc, depth, packed_a);
                    compute_slab(g, split, blocking.mc, ic, rows, jc, cols, depth, packed_a, packed_b, update);
                }
            }
        }
        return true;
    }

    // Measured on Zen 5 (AVX-512, one thread; GFLOP/s packed -> unpacked): n = 64 / 256 / 512
    // square 147 -> 194 / 196 -> 220 / 206 -> 220; but 256 x 784 x 64 with A transposed
    // (A's steps lda apart) 180-196 -> 179-190, and 64 x 256 x 10 116-123 -> 103-106 (too little
    // depth to pay for the tile's set-up), so those keep packing.
    static bool unpacked_pays(const ng::GemmArgs<T>& g, const ng::GemmBlocking& blocking) {
        return g.k <= blocking.kc && g.k >= 32 && !g.trans_a;
    }

    // The whole depth in one block, A untransposed. Packing then buys little (each panel is used
    // by few tiles) and costs a fifth of an n = 64 product, so A's full row tiles and an
    // untransposed B's full column tiles are read where they are stored; only edge tiles
    // (zero-padded) and a transposed B are packed. Each C element gets the same FMAs in the same
    // order as in the packed path.
    static bool run_unpacked(const ng::GemmArgs<T>& g, Split split) {
        using Strides = typename Micro::Strides;
        const int64_t depth = g.k;
        const int64_t row_tiles = (g.m + kRows - 1) / kRows, col_tiles = (g.n + kCols - 1) / kCols;
        const int64_t edge_rows = g.m % kRows, edge_cols = g.n % kCols;
        const int64_t b_panels = g.trans_b ? col_tiles : (edge_cols != 0 ? 1 : 0);
        T* packed_b = static_cast<T*>(ng::gemm_buffer(ng::GemmBuffer::packed_b, (b_panels > 0 ? b_panels : 1) * depth * kCols * int64_t{sizeof(T)}));
        T* packed_a = static_cast<T*>(ng::gemm_buffer(ng::GemmBuffer::packed_a, depth * kRows * int64_t{sizeof(T)}));
        if (packed_a == nullptr || packed_b == nullptr) {
            if (split == Split::allowed) ng::throw_gemm_out_of_memory();
            return false;
        }
        if (g.trans_b) {
            for_each_chunk(split, col_tiles, 1 + 4096 / (depth * kCols), [&](int64_t begin, int64_t end) {
                for (int64_t panel = begin; panel < end; ++panel)
                    pack_b_panel(g, 0, depth, panel * kCols, smaller(kCols, g.n - panel * kCols),
                                 packed_b + panel * depth * kCols);
            });
        } else if (edge_cols != 0) {
            pack_b_panel(g, 0, depth, (col_tiles - 1) * kCols, edge_cols, packed_b);
        }
        if (edge_rows != 0) pack_a_panel(g, (row_tiles - 1) * kRows, edge_rows, 0, depth, packed_a);

        const bool overwrite = g.beta == T(0);
        const int64_t item_flops = 2 * kRows * kCols * depth;
        // Down each column of tiles: its B panel stays in L1 while A's rows stream past.
        for_each_chunk(split, row_tiles * col_tiles, 1 + (1 << 18) / item_flops, [&](int64_t begin, int64_t end) {
            for (int64_t item = begin; item < end; ++item) {
                const int64_t i0 = item % row_tiles * kRows, j0 = item / row_tiles * kCols;
                const int64_t rows = smaller(kRows, g.m - i0), cols = smaller(kCols, g.n - j0);
                Strides steps{};
                const T* a = packed_a;
                if (rows < kRows) {
                    steps.a_row = 1, steps.a_depth = kRows;
                } else {
                    a = g.a + i0 * g.lda, steps.a_row = g.lda, steps.a_depth = 1;
                }
                const T* b = g.trans_b ? packed_b + j0 / kCols * depth * kCols : cols < kCols ? packed_b : g.b + j0;
                steps.b_depth = g.trans_b || cols < kCols ? kCols : g.ldb;
                Micro::tile(depth, a, b, g.alpha, g.beta, overwrite, g.c + i0 * g.ldc + j0, g.ldc, rows, cols, steps);
            }
        });
        return true;
    }

    struct Update {
        T alpha, beta;
        bool overwrite;  // C is not read (beta == 0 on the first depth block)
    };

    static void pack_a_slab(const ng::GemmArgs<T>& g, Split split, int64_t ic, int64_t rows, int64_t pc,
                            int64_t depth, T* packed_a) {
        const int64_t panels = (rows + kRows - 1) / kRows;
        for_each_chunk(split, panels, 1 + 4096 / (depth * kRows), [&](int64_t begin, int64_t end) {
            for (int64_t panel = begin; panel < end; ++panel)
                pack_a_panel(g, ic + panel * kRows, smaller(kRows, rows - panel * kRows), pc, depth,
                             packed_a + panel * depth * kRows);
        });
    }

    static void compute_slab(const ng::GemmArgs<T>& g, Split split, int64_t mc, int64_t ic, int64_t rows,
                             int64_t jc, int64_t cols, int64_t depth, const T* packed_a, const T* packed_b,
                             const Update& update) {
        const int64_t group_cols = kPanelsPerGroup * kCols;
        const int64_t groups = (cols + group_cols - 1) / group_cols;
        const int64_t blocks = (rows + mc - 1) / mc;
        const int64_t item_flops = 2 * mc * group_cols * depth;
        for_each_chunk(split, blocks * groups, 1 + (1 << 18) / item_flops, [&](int64_t begin, int64_t end) {
            for (int64_t item = begin; item < end; ++item) {
                const int64_t block = item / groups, group = item % groups;
                const int64_t i0 = block * mc, j0 = group * group_cols;
                const int64_t block_rows = smaller(mc, rows - i0);
                const int64_t item_cols = smaller(group_cols, cols - j0);
                for (int64_t jr = 0; jr < item_cols; jr += kCols) {
                    const T* b_panel = packed_b + (j0 + jr) / kCols * depth * kCols;
                    for (int64_t ir = 0; ir < block_rows; ir += kRows) {
                        const T* a_panel = packed_a + (i0 + ir) / kRows * depth * kRows;
                        T* c = g.c + (ic + i0 + ir) * g.ldc + jc + j0 + jr;
                        Micro::tile(depth, a_panel, b_panel, update.alpha, update.beta, update.overwrite, c, g.ldc,
                                    smaller(kRows, block_rows - ir), smaller(kCols, item_cols - jr));
                    }
                }
            }
        });
    }

    // panel[p * kRows + r] = op(A)[i0 + r, pc + p], rows past `rows` zero.
    static void pack_a_panel(const ng::GemmArgs<T>& g, int64_t i0, int64_t rows, int64_t pc, int64_t depth,
                             T* panel) {
        if (g.trans_a) return pack_panel<kRows>(g.a + pc * g.lda + i0, g.lda, 1, rows, depth, panel);
        if constexpr (Micro::kPacksFloatRowsBySimd) {
            if (rows == kRows) return pack_rows_f32<kRows>(g.a + i0 * g.lda + pc, g.lda, depth, panel);
        }
        pack_panel<kRows>(g.a + i0 * g.lda + pc, 1, g.lda, rows, depth, panel);
    }

    // panel[p * kCols + j] = op(B)[pc + p, j0 + j], columns past `cols` zero.
    static void pack_b_panel(const ng::GemmArgs<T>& g, int64_t pc, int64_t depth, int64_t j0, int64_t cols,
                             T* panel) {
        if (g.trans_b) {
            if constexpr (Micro::kPacksFloatColumnsBySimd) {
                if (cols == kCols) {
                    for (int64_t group = 0; group < kCols; group += 8)
                        pack_rows_f32<8, kCols>(g.b + (j0 + group) * g.ldb + pc, g.ldb, depth, panel + group);
                    return;
                }
            }
            return pack_panel<kCols>(g.b + j0 * g.ldb + pc, 1, g.ldb, cols, depth, panel);
        }
        pack_panel<kCols>(g.b + pc * g.ldb + j0, g.ldb, 1, cols, depth, panel);
    }

    // panel[p * kWidth + r] = source[p * depth_step + r * across_step] for r < count, and zero for
    // count <= r < kWidth. Whichever of the two steps is 1 is walked innermost, so the source is
    // read in runs either way (a transpose is folded into packing, never made outside it).
    template <int64_t kWidth>
    static void pack_panel(const T* source, int64_t depth_step, int64_t across_step, int64_t count, int64_t depth,
                           T* panel) {
        if (across_step == 1) {
            for (int64_t p = 0; p < depth; ++p) {
                const T* run = source + p * depth_step;
                T* target = panel + p * kWidth;
                for (int64_t r = 0; r < count; ++r) target[r] = run[r];
                for (int64_t r = count; r < kWidth; ++r) target[r] = T(0);
            }
            return;
        }
        for (int64_t r = 0; r < count; ++r) {
            const T* run = source + r * across_step;
            for (int64_t p = 0; p < depth; ++p) panel[p * kWidth + r] = run[p * depth_step];
        }
        for (int64_t r = count; r < kWidth; ++r)
            for (int64_t p = 0; p < depth; ++p) panel[p * kWidth + r] = T(0);
    }
};

}  // namespace

#endif
