// The intrinsics every SIMD kernel uses, named once per vector width.
//
// Each wrapper (F32x8, F64x4, F32x16, F64x8) has the same small interface - load, store, their
// partial (tail) forms, broadcast, zero, arithmetic, fmadd, and the free functions below them
// (comparisons returning a Mask, select, either, both, abs_of, sqrt_of, max_raw...) - so one generic loop
// serves every width and the functors in elementwise.h apply to vectors and scalars alike.
// Each tier's vector types are gathered in a policy (Avx2Vectors, Avx512Vectors) that the loop
// headers take as their Tier parameter.
//
// Everything here is in an anonymous namespace on purpose: this header is compiled into files
// with different -m flags, and an inline function with external linkage compiled twice may be
// merged by the linker into its AVX-512 copy, which then runs (and crashes) on an AVX2-only CPU.
#ifndef NATIVEGRAD_SRC_KERNELS_SIMD_H
#define NATIVEGRAD_SRC_KERNELS_SIMD_H

#include <immintrin.h>

#include <cstdint>

namespace {

// The first n bytes of a vector's worth of bytes (n <= 16), for mask stores with a tail.
inline void store_first_bytes(__m128i bytes, uint8_t* out, int64_t n) {
    alignas(16) uint8_t staged[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(staged), bytes);
    for (int64_t i = 0; i < n; ++i) out[i] = staged[i];
}

#if defined(__AVX2__) && defined(__FMA__)

struct F32x8 {
    using Scalar = float;
    static constexpr int64_t kWidth = 8;
    struct Mask {
        __m256 m;  // all ones in a lane that is true
    };
    __m256 v;

    static F32x8 zero() { return {_mm256_setzero_ps()}; }
    static F32x8 broadcast(float x) { return {_mm256_set1_ps(x)}; }
    static F32x8 load(const float* p) { return {_mm256_loadu_ps(p)}; }
    // The first n lanes (0 <= n < 8); masked-off lanes are neither read nor written (loaded as 0).
    static F32x8 load_partial(const float* p, int64_t n) { return {_mm256_maskload_ps(p, mask(n))}; }
    void store(float* p) const { _mm256_storeu_ps(p, v); }
    void store_stream(float* p) const { _mm256_stream_ps(p, v); }  // p 32-byte aligned
    static void stream_fence() { _mm_sfence(); }  // orders streamed stores before later ones
    void store_partial(float* p, int64_t n) const { _mm256_maskstore_ps(p, mask(n), v); }

    friend F32x8 operator+(F32x8 a, F32x8 b) { return {_mm256_add_ps(a.v, b.v)}; }
    friend F32x8 operator-(F32x8 a, F32x8 b) { return {_mm256_sub_ps(a.v, b.v)}; }
    friend F32x8 operator*(F32x8 a, F32x8 b) { return {_mm256_mul_ps(a.v, b.v)}; }
    friend F32x8 operator/(F32x8 a, F32x8 b) { return {_mm256_div_ps(a.v, b.v)}; }
    friend F32x8 operator-(F32x8 a) { return {_mm256_xor_ps(a.v, _mm256_set1_ps(-0.0f))}; }
    friend F32x8 fmadd(F32x8 a, F32x8 b, F32x8 c) { return {_mm256_fmadd_ps(a.v, b.v, c.v)}; }

    // a * b + c rounded once: the scalar form of fmadd (an instruction here, not libm's fmaf).
    static float fused(float a, float b, float c) { return __builtin_fmaf(a, b, c); }

    // Lane i of the result is the sum of x[i]'s lanes: 8 vectors transposed and added in a tree
    // (loops unrolled, as F32x16's are).
    static F32x8 sum_lanes(const F32x8 (&x)[8]) {
        __m256 pairs[4];  // lanes of x[2k] and x[2k+1] interleaved, pairwise summed
#pragma GCC unroll 8
        for (int k = 0; k < 4; ++k)
            pairs[k] = _mm256_add_ps(_mm256_unpacklo_ps(x[2 * k].v, x[2 * k + 1].v),
                                     _mm256_unpackhi_ps(x[2 * k].v, x[2 * k + 1].v));
        __m256 quads[2];  // per 128-bit half: the half's sum of x[4k .. 4k+3]
#pragma GCC unroll 8
        for (int k = 0; k < 2; ++k)
            quads[k] = _mm256_add_ps(_mm256_shuffle_ps(pairs[2 * k], pairs[2 * k + 1], 0x44),
                                     _mm256_shuffle_ps(pairs[2 * k], pairs[2 * k + 1], 0xEE));
        return {_mm256_add_ps(_mm256_permute2f128_ps(quads[0], quads[1], 0x20),
                              _mm256_permute2f128_ps(quads[0], quads[1], 0x31))};
    }

    static __m256i mask(int64_t n) {
        return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    }
};

struct F64x4 {
    using Scalar = double;
    static constexpr int64_t kWidth = 4;
    struct Mask {
        __m256d m;
    };
    __m256d v;

    static F64x4 zero() { return {_mm256_setzero_pd()}; }
    static F64x4 broadcast(double x) { return {_mm256_set1_pd(x)}; }
    static F64x4 load(const double* p) { return {_mm256_loadu_pd(p)}; }
    static F64x4 load_partial(const double* p, int64_t n) { return {_mm256_maskload_pd(p, mask(n))}; }
    void store(double* p) const { _mm256_storeu_pd(p, v); }
    void store_stream(double* p) const { _mm256_stream_pd(p, v); }  // p 32-byte aligned
    static void stream_fence() { _mm_sfence(); }  // orders streamed stores before later ones
    void store_partial(double* p, int64_t n) const { _mm256_maskstore_pd(p, mask(n), v); }
    // kWidth floats widened to doubles, and back (rounded to nearest), for conversions and F32 sums.
    static F64x4 load_from_float(const float* p) { return {_mm256_cvtps_pd(_mm_loadu_ps(p))}; }
    static F64x4 load_partial_from_float(const float* p, int64_t n) {
        return {_mm256_cvtps_pd(_mm_maskload_ps(p, float_mask(n)))};
    }
    void store_to_float(float* p) const { _mm_storeu_ps(p, _mm256_cvtpd_ps(v)); }
    void store_partial_to_float(float* p, int64_t n) const { _mm_maskstore_ps(p, float_mask(n), _mm256_cvtpd_ps(v)); }

    friend F64x4 operator+(F64x4 a, F64x4 b) { return {_mm256_add_pd(a.v, b.v)}; }
    friend F64x4 operator-(F64x4 a, F64x4 b) { return {_mm256_sub_pd(a.v, b.v)}; }
    friend F64x4 operator*(F64x4 a, F64x4 b) { return {_mm256_mul_pd(a.v, b.v)}; }
    friend F64x4 operator/(F64x4 a, F64x4 b) { return {_mm256_div_pd(a.v, b.v)}; }
    friend F64x4 operator-(F64x4 a) { return {_mm256_xor_pd(a.v, _mm256_set1_pd(-0.0))}; }
    friend F64x4 fmadd(F64x4 a, F64x4 b, F64x4 c) { return {_mm256_fmadd_pd(a.v, b.v, c.v)}; }

    static __m256i mask(int64_t n) { return _mm256_cmpgt_epi64(_mm256_set1_epi64x(n), _mm256_setr_epi64x(0, 1, 2, 3)); }
    static __m128i float_mask(int64_t n) {
        return _mm_cmpgt_epi32(_mm_set1_epi32(static_cast<int>(n)), _mm_setr_epi32(0, 1, 2, 3));
    }
};

// max_raw(a, b) = a < b ? b : a and min_raw(a, b) = b < a ? b : a, lane by lane (as std::max and
// std::min: `a` on ties and when either is NaN). MAXPS(x, y) is x > y ? x : y, hence the order.
inline F32x8 max_raw(F32x8 a, F32x8 b) { return {_mm256_max_ps(b.v, a.v)}; }
inline F32x8 min_raw(F32x8 a, F32x8 b) { return {_mm256_min_ps(b.v, a.v)}; }
inline F64x4 max_raw(F64x4 a, F64x4 b) { return {_mm256_max_pd(b.v, a.v)}; }
inline F64x4 min_raw(F64x4 a, F64x4 b) { return {_mm256_min_pd(b.v, a.v)}; }
inline F32x8 abs_of(F32x8 a) { return {_mm256_andnot_ps(_mm256_set1_ps(-0.0f), a.v)}; }
inline F64x4 abs_of(F64x4 a) { return {_mm256_andnot_pd(_mm256_set1_pd(-0.0), a.v)}; }
inline F32x8 sqrt_of(F32x8 a) { return {_mm256_sqrt_ps(a.v)}; }
inline F64x4 sqrt_of(F64x4 a) { return {_mm256_sqrt_pd(a.v)}; }

// p * 2^n with one rounding, for integer-valued n (or NaN, with p NaN) in [-252, 252] and p normal:
// p * 2^(n/2) is exact, so only the second multiply rounds (into denormals too).
inline F32x8 scale_by_pow2(F32x8 p, F32x8 n) {
    const __m256i k = _mm256_cvtps_epi32(n.v);
    const __m256i half = _mm256_srai_epi32(k, 1);
    auto pow2 = [](__m256i e) {
        return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(e, _mm256_set1_epi32(127)), 23));
    };
    return {_mm256_mul_ps(_mm256_mul_ps(p.v, pow2(half)), pow2(_mm256_sub_epi32(k, half)))};
}
// x = mantissa * 2^exponent with mantissa in [1, 2), for positive normal finite x.
inline F32x8 split_exponent(F32x8 x, F32x8* exponent) {
    const __m256i bits = _mm256_castps_si256(x.v);
    exponent->v = _mm256_cvtepi32_ps(_mm256_sub_epi32(_mm256_srli_epi32(bits, 23), _mm256_set1_epi32(127)));
    const __m256i fraction = _mm256_and_si256(bits, _mm256_set1_epi32(0x007FFFFF));
    return {_mm256_castsi256_ps(_mm256_or_si256(fraction, _mm256_set1_epi32(0x3F800000)))};
}

// Comparisons: ordered (false with NaN) except cmp_ne, which is true with NaN, as in C++.
#define NG_AVX2_COMPARISONS(V, suffix)                                                                   \
    inline V::Mask cmp_eq(V a, V b) { return {_mm256_cmp_##suffix(a.v, b.v, _CMP_EQ_OQ)}; }          \
    inline V::Mask cmp_ne(V a, V b) { return {_mm256_cmp_##suffix(a.v, b.v, _CMP_NEQ_UQ)}; }         \
    inline V::Mask cmp_lt(V a, V b) { return {_mm256_cmp_##suffix(a.v, b.v, _CMP_LT_OQ)}; }          \
    inline V::Mask cmp_le(V a, V b) { return {_mm256_cmp_##suffix(a.v, b.v, _CMP_LE_OQ)}; }          \
    inline V::Mask cmp_gt(V a, V b) { return {_mm256_cmp_##suffix(a.v, b.v, _CMP_GT_OQ)}; }          \
    inline V::Mask cmp_ge(V a, V b) { return {_mm256_cmp_##suffix(a.v, b.v, _CMP_GE_OQ)}; }          \
    inline V::Mask is_nan(V a) { return {_mm256_cmp_##suffix(a.v, a.v, _CMP_UNORD_Q)}; }              \
    inline V select(V::Mask m, V yes, V no) { return {_mm256_blendv_##suffix(no.v, yes.v, m.m)}; }    \
    inline V::Mask either(V::Mask a, V::Mask b) { return {_mm256_or_##suffix(a.m, b.m)}; }            \
    inline V::Mask both(V::Mask a, V::Mask b) { return {_mm256_and_##suffix(a.m, b.m)}; }             \
    inline bool any_of(V::Mask m) { return _mm256_movemask_##suffix(m.m) != 0; }                      \
    inline int64_t first_of(V::Mask m) { return __builtin_ctz(static_cast<unsigned>(_mm256_movemask_##suffix(m.m))); }
NG_AVX2_COMPARISONS(F32x8, ps)
NG_AVX2_COMPARISONS(F64x4, pd)
#undef NG_AVX2_COMPARISONS

// Lane i of the mask as byte 0 or 1 at out[i], for i < n (n <= kWidth).
inline void store_mask_bytes(F32x8::Mask m, uint8_t* out, int64_t n) {
    const __m256i ones = _mm256_srli_epi32(_mm256_castps_si256(m.m), 31);
    const __m128i words = _mm_packus_epi32(_mm256_castsi256_si128(ones), _mm256_extracti128_si256(ones, 1));
    const __m128i bytes = _mm_packus_epi16(words, words);
    if (n == 8) _mm_storel_epi64(reinterpret_cast<__m128i*>(out), bytes);
    else store_first_bytes(bytes, out, n);
}

inline void store_mask_bytes(F64x4::Mask m, uint8_t* out, int64_t n) {
    const __m256i ones = _mm256_srli_epi64(_mm256_castpd_si256(m.m), 63);
    const __m256i low_words = _mm256_permutevar8x32_epi32(ones, _mm256_setr_epi32(0, 2, 4, 6, 0, 0, 0, 0));
    const __m128i words = _mm_packus_epi32(_mm256_castsi256_si128(low_words), _mm256_castsi256_si128(low_words));
    store_first_bytes(_mm_packus_epi16(words, words), out, n);
}

template <class T>
struct Avx2VectorOf {
    using type = void;
};
template <>
struct Avx2VectorOf<float> {
    using type = F32x8;
};
template <>
struct Avx2VectorOf<double> {
    using type = F64x4;
};
struct Avx2Vectors {
    template <class T>
    using Vector = typename Avx2VectorOf<T>::type;
};

#endif  // AVX2 + FMA

#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512DQ__) && defined(__AVX512VL__)

// All lanes. Some unmasked AVX-512 intrinsics (max, min, sqrt, cvt) pass _mm512_undefined_*() to
// their builtin, which GCC 12 reports as maybe-uninitialized (GCC bug 105593); their zero-masked
// forms with every lane selected compile to the same instructions without the warning.
constexpr __mmask16 kAll16 = 0xFFFF;
constexpr __mmask8 kAll8 = 0xFF;

struct F32x16 {
    using Scalar = float;
    static constexpr int64_t kWidth = 16;
    struct Mask {
        __mmask16 m;
    };
    __m512 v;

    static F32x16 zero() { return {_mm512_setzero_ps()}; }
    static F32x16 broadcast(float x) { return {_mm512_set1_ps(x)}; }
    static F32x16 load(const float* p) { return {_mm512_loadu_ps(p)}; }
    static F32x16 load_partial(const float* p, int64_t n) { return {_mm512_maskz_loadu_ps(mask(n), p)}; }
    void store(float* p) const { _mm512_storeu_ps(p, v); }
    void store_stream(float* p) const { _mm512_stream_ps(p, v); }  // p 64-byte aligned
    static void stream_fence() { _mm_sfence(); }  // orders streamed stores before later ones
    void store_partial(float* p, int64_t n) const { _mm512_mask_storeu_ps(p, mask(n), v); }

    friend F32x16 operator+(F32x16 a, F32x16 b) { return {_mm512_add_ps(a.v, b.v)}; }
    friend F32x16 operator-(F32x16 a, F32x16 b) { return {_mm512_sub_ps(a.v, b.v)}; }
    friend F32x16 operator*(F32x16 a, F32x16 b) { return {_mm512_mul_ps(a.v, b.v)}; }
    friend F32x16 operator/(F32x16 a, F32x16 b) { return {_mm512_div_ps(a.v, b.v)}; }
    friend F32x16 operator-(F32x16 a) { return {_mm512_xor_ps(a.v, _mm512_set1_ps(-0.0f))}; }
    friend F32x16 fmadd(F32x16 a, F32x16 b, F32x16 c) { return {_mm512_fmadd_ps(a.v, b.v, c.v)}; }

    // a * b + c rounded once: the scalar form of fmadd (an instruction here, not libm's fmaf).
    static float fused(float a, float b, float c) { return __builtin_fmaf(a, b, c); }

    // Lane i of the result is the sum of x[i]'s lanes: 16 vectors transposed and added in a tree.
    // Its loops are unrolled at every -O level: rolled at -O2, GCC 12's induction-variable
    // optimisation made them sum the wrong vectors once inlined into a GEMM tile.
    static F32x16 sum_lanes(const F32x16 (&x)[16]) {
        __m512 pairs[8];  // lanes of x[2k] and x[2k+1] interleaved, pairwise summed
#pragma GCC unroll 8
        for (int k = 0; k < 8; ++k)
            pairs[k] = _mm512_add_ps(_mm512_maskz_unpacklo_ps(kAll16, x[2 * k].v, x[2 * k + 1].v),
                                     _mm512_maskz_unpackhi_ps(kAll16, x[2 * k].v, x[2 * k + 1].v));
        __m512 quads[4];  // per 128-bit quarter: the quarter's sum of x[4k .. 4k+3]
#pragma GCC unroll 8
        for (int k = 0; k < 4; ++k)
            quads[k] = _mm512_add_ps(_mm512_shuffle_ps(pairs[2 * k], pairs[2 * k + 1], 0x44),
                                     _mm512_shuffle_ps(pairs[2 * k], pairs[2 * k + 1], 0xEE));
        __m512 halves[2];  // quarters 0+1 and 2+3 of quads[2k], then of quads[2k+1]
#pragma GCC unroll 8
        for (int k = 0; k < 2; ++k)
            halves[k] = _mm512_add_ps(_mm512_maskz_shuffle_f32x4(kAll16, quads[2 * k], quads[2 * k + 1], 0x88),
                                      _mm512_maskz_shuffle_f32x4(kAll16, quads[2 * k], quads[2 * k + 1], 0xDD));
        return {_mm512_add_ps(_mm512_maskz_shuffle_f32x4(kAll16, halves[0], halves[1], 0x88),
                              _mm512_maskz_shuffle_f32x4(kAll16, halves[0], halves[1], 0xDD))};
    }

    static __mmask16 mask(int64_t n) { return static_cast<__mmask16>((1u << n) - 1u); }
};

struct F64x8 {
    using Scalar = double;
    static constexpr int64_t kWidth = 8;
    struct Mask {
        __mmask8 m;
    };
    __m512d v;

    static F64x8 zero() { return {_mm512_setzero_pd()}; }
    static F64x8 broadcast(double x) { return {_mm512_set1_pd(x)}; }
    static F64x8 load(const double* p) { return {_mm512_loadu_pd(p)}; }
    static F64x8 load_partial(const double* p, int64_t n) { return {_mm512_maskz_loadu_pd(mask(n), p)}; }
    void store(double* p) const { _mm512_storeu_pd(p, v); }
    void store_stream(double* p) const { _mm512_stream_pd(p, v); }  // p 64-byte aligned
    static void stream_fence() { _mm_sfence(); }  // orders streamed stores before later ones
    void store_partial(double* p, int64_t n) const { _mm512_mask_storeu_pd(p, mask(n), v); }
    static F64x8 load_from_float(const float* p) { return {_mm512_maskz_cvtps_pd(kAll8, _mm256_loadu_ps(p))}; }
    static F64x8 load_partial_from_float(const float* p, int64_t n) {
        return {_mm512_maskz_cvtps_pd(kAll8, _mm256_maskz_loadu_ps(mask(n), p))};
    }
    void store_to_float(float* p) const { _mm256_storeu_ps(p, _mm512_maskz_cvtpd_ps(kAll8, v)); }
    void store_partial_to_float(float* p, int64_t n) const {
        _mm256_mask_storeu_ps(p, mask(n), _mm512_maskz_cvtpd_ps(kAll8, v));
    }

    friend F64x8 operator+(F64x8 a, F64x8 b) { return {_mm512_add_pd(a.v, b.v)}; }
    friend F64x8 operator-(F64x8 a, F64x8 b) { return {_mm512_sub_pd(a.v, b.v)}; }
    friend F64x8 operator*(F64x8 a, F64x8 b) { return {_mm512_mul_pd(a.v, b.v)}; }
    friend F64x8 operator/(F64x8 a, F64x8 b) { return {_mm512_div_pd(a.v, b.v)}; }
    friend F64x8 operator-(F64x8 a) { return {_mm512_xor_pd(a.v, _mm512_set1_pd(-0.0))}; }
    friend F64x8 fmadd(F64x8 a, F64x8 b, F64x8 c) { return {_mm512_fmadd_pd(a.v, b.v, c.v)}; }

    static __mmask8 mask(int64_t n) { return static_cast<__mmask8>((1u << n) - 1u); }
};

inline F32x16 max_raw(F32x16 a, F32x16 b) { return {_mm512_maskz_max_ps(kAll16, b.v, a.v)}; }
inline F32x16 min_raw(F32x16 a, F32x16 b) { return {_mm512_maskz_min_ps(kAll16, b.v, a.v)}; }
inline F64x8 max_raw(F64x8 a, F64x8 b) { return {_mm512_maskz_max_pd(kAll8, b.v, a.v)}; }
inline F64x8 min_raw(F64x8 a, F64x8 b) { return {_mm512_maskz_min_pd(kAll8, b.v, a.v)}; }
inline F32x16 abs_of(F32x16 a) { return {_mm512_andnot_ps(_mm512_set1_ps(-0.0f), a.v)}; }  // clears the sign bit
inline F64x8 abs_of(F64x8 a) { return {_mm512_andnot_pd(_mm512_set1_pd(-0.0), a.v)}; }
inline F32x16 sqrt_of(F32x16 a) { return {_mm512_maskz_sqrt_ps(kAll16, a.v)}; }
inline F64x8 sqrt_of(F64x8 a) { return {_mm512_maskz_sqrt_pd(kAll8, a.v)}; }
// As the AVX2 forms: SCALEF rounds once, and GETEXP/GETMANT split normal numbers exactly.
inline F32x16 scale_by_pow2(F32x16 p, F32x16 n) { return {_mm512_maskz_scalef_ps(kAll16, p.v, n.v)}; }
inline F32x16 split_exponent(F32x16 x, F32x16* exponent) {
    exponent->v = _mm512_maskz_getexp_ps(kAll16, x.v);
    return {_mm512_maskz_getmant_ps(kAll16, x.v, _MM_MANT_NORM_1_2, _MM_MANT_SIGN_zero)};
}

#define NG_AVX512_COMPARISONS(V, suffix)                                                                 \
    inline V::Mask cmp_eq(V a, V b) { return {_mm512_cmp_##suffix##_mask(a.v, b.v, _CMP_EQ_OQ)}; }    \
    inline V::Mask cmp_ne(V a, V b) { return {_mm512_cmp_##suffix##_mask(a.v, b.v, _CMP_NEQ_UQ)}; }   \
    inline V::Mask cmp_lt(V a, V b) { return {_mm512_cmp_##suffix##_mask(a.v, b.v, _CMP_LT_OQ)}; }    \
    inline V::Mask cmp_le(V a, V b) { return {_mm512_cmp_##suffix##_mask(a.v, b.v, _CMP_LE_OQ)}; }    \
    inline V::Mask cmp_gt(V a, V b) { return {_mm512_cmp_##suffix##_mask(a.v, b.v, _CMP_GT_OQ)}; }    \
    inline V::Mask cmp_ge(V a, V b) { return {_mm512_cmp_##suffix##_mask(a.v, b.v, _CMP_GE_OQ)}; }    \
    inline V::Mask is_nan(V a) { return {_mm512_cmp_##suffix##_mask(a.v, a.v, _CMP_UNORD_Q)}; }        \
    inline V select(V::Mask m, V yes, V no) { return {_mm512_mask_blend_##suffix(m.m, no.v, yes.v)}; } \
    inline V::Mask either(V::Mask a, V::Mask b) { return {static_cast<decltype(a.m)>(a.m | b.m)}; }     \
    inline V::Mask both(V::Mask a, V::Mask b) { return {static_cast<decltype(a.m)>(a.m & b.m)}; }       \
    inline bool any_of(V::Mask m) { return m.m != 0; }                                                  \
    inline int64_t first_of(V::Mask m) { return __builtin_ctz(static_cast<unsigned>(m.m)); }            \
    inline void store_mask_bytes(V::Mask m, uint8_t* out, int64_t n) {                                  \
        const __m128i bytes = _mm_maskz_mov_epi8(static_cast<__mmask16>(m.m), _mm_set1_epi8(1));        \
        _mm_mask_storeu_epi8(out, static_cast<__mmask16>((1u << n) - 1u), bytes);                       \
    }
NG_AVX512_COMPARISONS(F32x16, ps)
NG_AVX512_COMPARISONS(F64x8, pd)
#undef NG_AVX512_COMPARISONS

template <class T>
struct Avx512VectorOf {
    using type = void;
};
template <>
struct Avx512VectorOf<float> {
    using type = F32x16;
};
template <>
struct Avx512VectorOf<double> {
    using type = F64x8;
};
struct Avx512Vectors {
    template <class T>
    using Vector = typename Avx512VectorOf<T>::type;
};

#endif  // AVX-512 F + BW + DQ + VL

}  // namespace

#endif
