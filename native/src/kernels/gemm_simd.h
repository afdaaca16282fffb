// The register-blocked micro-kernel of the packed GEMM (gemm_blocked.h), for any simd.h vector
// type V: one kRows x kCols tile of C, kCols = kVectors * V::kWidth, held in kRows * kVectors
// accumulators while it walks `depth` steps of a packed A panel (kRows values per step) and a
// packed B panel (kCols values per step):
//     acc[r][v] += broadcast(a[p * kRows + r]) * b[p * kCols + v * kWidth ...]
// Each step is kRows * kVectors independent FMAs against kVectors loads and kRows broadcasts,
// so the tile is chosen (per tier, in its file) to keep the FMA units busy without running out
// of vector registers. C is read (unless `overwrite`), updated and written once per tile.
#ifndef NATIVEGRAD_SRC_KERNELS_GEMM_SIMD_H
#define NATIVEGRAD_SRC_KERNELS_GEMM_SIMD_H

#include <cstdint>

namespace {

template <class V, int kTileRows, int kVectors>
struct SimdMicroKernel {
    using T = typename V::Scalar;
    static constexpr int64_t kRows = kTileRows;
    static constexpr int64_t kCols = kVectors * V::kWidth;
    // Whether the driver may pack A with pack_rows_f32 (gemm_pack_x86.h).
    static constexpr bool kPacksFloatRowsBySimd = kTileRows >= 4 && kTileRows <= 8 && sizeof(T) == 4;
    // And a transposed B, eight columns at a time.
    static constexpr bool kPacksFloatColumnsBySimd = kCols % 8 == 0 && sizeof(T) == 4;

    // Where the tile reads A and B: row r of step p of A at a[r * a_row + p * a_depth], step p of
    // B at b[p * b_depth ...]. Packed panels have compile-time steps; A and an untransposed B
    // read where they are stored (gemm_blocked.h's unpacked path) have run-time ones.
    struct PackedSteps {
        static constexpr int64_t a_row = 1, a_depth = kTileRows, b_depth = kCols;
    };
    struct Strides {
        int64_t a_row, a_depth, b_depth;
    };

    // C[0..rows, 0..cols) = alpha * A_panel @ B_panel + beta * C (C unread when overwrite).
    // Not inlined, and alpha and beta by reference: read only after the loop, they then take no
    // registers during it, which the AVX2 tile needs all 16 of.
    template <class Steps = PackedSteps>
    __attribute__((noinline)) static void tile(int64_t depth, const T* a, const T* b, const T& alpha, const T& beta,
                                               bool overwrite, T* c, int64_t ldc, int64_t rows, int64_t cols,
                                               Steps steps = {}) {
        V acc[kTileRows][kVectors];
#pragma GCC unroll 16
        for (int r = 0; r < kTileRows; ++r)
#pragma GCC unroll 4
            for (int v = 0; v < kVectors; ++v) acc[r][v] = V::zero();

        // C is needed only after the loop; asking for it now hides the miss behind the FMAs
        // (C's rows are ldc apart and often evicted, which at ldc = 1024 floats cost 5%). Only
        // rows that exist: past them, c + r * ldc may not even be an address (a huge ldc).
        for (int64_t r = 0; r < rows; ++r)
            for (int64_t line = 0; line < cols * int64_t{sizeof(T)}; line += 64)
                __builtin_prefetch(reinterpret_cast<const char*>(c + r * ldc) + line, 1, 3);

#pragma GCC unroll 4
        for (int64_t p = 0; p < depth; ++p) {
            V b_row[kVectors];
            for (int v = 0; v < kVectors; ++v) {
                b_row[v] = V::load(b + v * V::kWidth);
                // Otherwise GCC folds the load into every FMA that uses it (kRows loads instead
                // of one): with 16 ymm registers the 6 x 16 AVX2 tile then runs at two thirds
                // of peak, bound by loads.
                __asm__("" : "+v"(b_row[v].v));
            }
            for (int r = 0; r < kTileRows; ++r) {
                const V a_value = V::broadcast(a[r * steps.a_row]);
                for (int v = 0; v < kVectors; ++v) acc[r][v] = fmadd(a_value, b_row[v], acc[r][v]);
            }
            a += steps.a_depth;
            b += steps.b_depth;
        }

        const V alpha_v = V::broadcast(alpha);
        const V beta_v = V::broadcast(beta);
        if (rows == kTileRows && cols == kCols) {
#pragma GCC unroll 16
            for (int r = 0; r < kTileRows; ++r) {
#pragma GCC unroll 4
                for (int v = 0; v < kVectors; ++v) {
                    T* target = c + r * ldc + v * V::kWidth;
                    const V scaled = alpha_v * acc[r][v];
                    (overwrite ? scaled : fmadd(beta_v, V::load(target), scaled)).store(target);
                }
            }
            return;
        }
        // An edge tile goes through memory, so that the accumulators are only ever indexed by
        // constants and the full tiles' path keeps them in registers.
        alignas(64) T staged[kTileRows * kCols];
#pragma GCC unroll 16
        for (int r = 0; r < kTileRows; ++r)
#pragma GCC unroll 4
            for (int v = 0; v < kVectors; ++v) (alpha_v * acc[r][v]).store(staged + r * kCols + v * V::kWidth);
        store_edge(staged, beta, overwrite, c, ldc, rows, cols);
    }

private:
    static void store_edge(const T* staged, T beta, bool overwrite, T* c, int64_t ldc, int64_t rows, int64_t cols) {
        const V beta_v = V::broadcast(beta);
        for (int64_t r = 0; r < rows; ++r) {
            for (int64_t j = 0; j < cols; j += V::kWidth) {
                const int64_t lanes = cols - j < V::kWidth ? cols - j : V::kWidth;
                T* target = c + r * ldc + j;
                const V scaled = V::load(staged + r * kCols + j);
                const V result = overwrite ? scaled : fmadd(beta_v, V::load_partial(target, lanes), scaled);
                result.store_partial(target, lanes);
            }
        }
    }
};

}  // namespace

#endif
