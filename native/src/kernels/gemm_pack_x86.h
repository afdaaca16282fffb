// Packing a row-major (untransposed) A into row panels is a transpose: each depth step of the
// panel gathers one value from each of the panel's rows. Done a value at a time it costs a store per
// element, which at n = 64 is a fifth of the whole GEMM; an 8 x 8 in-register transpose moves
// 8 values per store. AVX2 is enough, so both x86 tiers share it. Anonymous namespace: compiled
// into each tier's file with its own -m flags.
#ifndef NATIVEGRAD_SRC_KERNELS_GEMM_PACK_X86_H
#define NATIVEGRAD_SRC_KERNELS_GEMM_PACK_X86_H

#include <immintrin.h>

#include <cstdint>

namespace {

// panel[p * kRows + r] = rows[r][p] for p < depth, from kRows (<= 8) rows `stride` floats apart.
// Eight depth steps at a time: 8 x 8 transpose (rows past kRows zero), then 8 stores of 8 floats
// kRows apart, each overwriting the start of the next step's row with values the next store
// replaces; the last 8 steps go one by one so that nothing is written past the panel.
template <int kRows>
void pack_rows_f32(const float* rows, int64_t stride, int64_t depth, float* panel) {
    static_assert(kRows >= 4 && kRows <= 8, "the overlapping stores need 4 <= kRows <= 8");
    int64_t p = 0;
    for (; p + 8 < depth; p += 8) {
        __m256 r[8];
        for (int i = 0; i < 8; ++i) r[i] = i < kRows ? _mm256_loadu_ps(rows + i * stride + p) : _mm256_setzero_ps();
        const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
        const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
        const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
        const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
        const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
        const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
        const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
        const __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
        float* out = panel + p * kRows;
        _mm256_storeu_ps(out + 0 * kRows, _mm256_permute2f128_ps(u0, u4, 0x20));
        _mm256_storeu_ps(out + 1 * kRows, _mm256_permute2f128_ps(u1, u5, 0x20));
        _mm256_storeu_ps(out + 2 * kRows, _mm256_permute2f128_ps(u2, u6, 0x20));
        _mm256_storeu_ps(out + 3 * kRows, _mm256_permute2f128_ps(u3, u7, 0x20));
        _mm256_storeu_ps(out + 4 * kRows, _mm256_permute2f128_ps(u0, u4, 0x31));
        _mm256_storeu_ps(out + 5 * kRows, _mm256_permute2f128_ps(u1, u5, 0x31));
        _mm256_storeu_ps(out + 6 * kRows, _mm256_permute2f128_ps(u2, u6, 0x31));
        _mm256_storeu_ps(out + 7 * kRows, _mm256_permute2f128_ps(u3, u7, 0x31));
    }
    for (; p < depth; ++p)
        for (int i = 0; i < kRows; ++i) panel[p * kRows + i] = rows[i * stride + p];
}

}  // namespace

#endif
