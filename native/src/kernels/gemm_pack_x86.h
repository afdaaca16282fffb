// Packing a row-major (untransposed) A into row panels is a transpose: each depth step of the
// panel gathers one value from each of the panel's rows; so is packing a transposed B into column
// panels. Done a value at a time it costs a store per
// element, which at n = 64 is a fifth of the whole GEMM; an 8 x 8 in-register transpose moves
// 8 values per store. AVX2 is enough, so both x86 tiers share it. Anonymous namespace: compiled
// into each tier's file with its own -m flags.
#ifndef NATIVEGRAD_SRC_KERNELS_GEMM_PACK_X86_H
#define NATIVEGRAD_SRC_KERNELS_GEMM_PACK_X86_H

#include <immintrin.h>

#include <cstdint>

namespace {

// panel[p * kWidth + r] = rows[r][p] for p < depth, from kRows (<= 8) rows `stride` floats apart:
// an A panel (kWidth = kRows), or eight columns of a B panel packed from a transposed B (kRows = 8,
// kWidth = the panel's width, called once per eight columns). Eight depth steps at a time: 8 x 8
// transpose (rows past kRows zero), then 8 stores of 8 floats kWidth apart. Where kWidth < 8 each
// overwrites the start of the next step's row with values the next store replaces, so the last 8
// steps go one by one and nothing is written past the panel.
template <int kRows, int kWidth = kRows>
void pack_rows_f32(const float* rows, int64_t stride, int64_t depth, float* panel) {
    static_assert(kRows >= 4 && kRows <= 8 && kWidth >= kRows, "the overlapping stores need 4 <= kRows <= 8");
    constexpr int64_t kScalarTail = kWidth < 8 ? 1 : 0;
    int64_t p = 0;
    for (; p + 8 + kScalarTail <= depth; p += 8) {
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
        float* out = panel + p * kWidth;
        _mm256_storeu_ps(out + 0 * kWidth, _mm256_permute2f128_ps(u0, u4, 0x20));
        _mm256_storeu_ps(out + 1 * kWidth, _mm256_permute2f128_ps(u1, u5, 0x20));
        _mm256_storeu_ps(out + 2 * kWidth, _mm256_permute2f128_ps(u2, u6, 0x20));
        _mm256_storeu_ps(out + 3 * kWidth, _mm256_permute2f128_ps(u3, u7, 0x20));
        _mm256_storeu_ps(out + 4 * kWidth, _mm256_permute2f128_ps(u0, u4, 0x31));
        _mm256_storeu_ps(out + 5 * kWidth, _mm256_permute2f128_ps(u1, u5, 0x31));
        _mm256_storeu_ps(out + 6 * kWidth, _mm256_permute2f128_ps(u2, u6, 0x31));
        _mm256_storeu_ps(out + 7 * kWidth, _mm256_permute2f128_ps(u3, u7, 0x31));
    }
    for (; p < depth; ++p)
        for (int i = 0; i < kRows; ++i) panel[p * kWidth + i] = rows[i * stride + p];
}

}  // namespace

#endif
