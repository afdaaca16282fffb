// The intrinsics every SIMD kernel uses, named once per vector width.
//
// Each wrapper (F32x8, F64x4, F32x16, F64x8) has the same small interface - load, store, their
// partial (tail) forms, broadcast, zero, +, * and fmadd - so one generic loop serves every width
// and the scalar functors in elementwise.h apply to vectors unchanged.
//
// Everything here is in an anonymous namespace on purpose: this header is compiled into files
// with different -m flags, and an inline function with external linkage compiled twice may be
// merged by the linker into its AVX-512 copy, which then runs (and crashes) on an AVX2-only CPU.
#ifndef NATIVEGRAD_SRC_KERNELS_SIMD_H
#define NATIVEGRAD_SRC_KERNELS_SIMD_H

#include <immintrin.h>

#include <cstdint>

namespace {

#if defined(__AVX2__) && defined(__FMA__)

struct F32x8 {
    using Scalar = float;
    static constexpr int64_t kWidth = 8;
    __m256 v;

    static F32x8 zero() { return {_mm256_setzero_ps()}; }
    static F32x8 broadcast(float x) { return {_mm256_set1_ps(x)}; }
    static F32x8 load(const float* p) { return {_mm256_loadu_ps(p)}; }
    // The first n lanes (0 <= n < 8); masked-off lanes are neither read nor written.
    static F32x8 load_partial(const float* p, int64_t n) { return {_mm256_maskload_ps(p, mask(n))}; }
    void store(float* p) const { _mm256_storeu_ps(p, v); }
    void store_partial(float* p, int64_t n) const { _mm256_maskstore_ps(p, mask(n), v); }

    friend F32x8 operator+(F32x8 a, F32x8 b) { return {_mm256_add_ps(a.v, b.v)}; }
    friend F32x8 operator*(F32x8 a, F32x8 b) { return {_mm256_mul_ps(a.v, b.v)}; }
    friend F32x8 fmadd(F32x8 a, F32x8 b, F32x8 c) { return {_mm256_fmadd_ps(a.v, b.v, c.v)}; }

private:
    static __m256i mask(int64_t n) {
        return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    }
};

struct F64x4 {
    using Scalar = double;
    static constexpr int64_t kWidth = 4;
    __m256d v;

    static F64x4 zero() { return {_mm256_setzero_pd()}; }
    static F64x4 broadcast(double x) { return {_mm256_set1_pd(x)}; }
    static F64x4 load(const double* p) { return {_mm256_loadu_pd(p)}; }
    static F64x4 load_partial(const double* p, int64_t n) { return {_mm256_maskload_pd(p, mask(n))}; }
    void store(double* p) const { _mm256_storeu_pd(p, v); }
    void store_partial(double* p, int64_t n) const { _mm256_maskstore_pd(p, mask(n), v); }

    friend F64x4 operator+(F64x4 a, F64x4 b) { return {_mm256_add_pd(a.v, b.v)}; }
    friend F64x4 operator*(F64x4 a, F64x4 b) { return {_mm256_mul_pd(a.v, b.v)}; }
    friend F64x4 fmadd(F64x4 a, F64x4 b, F64x4 c) { return {_mm256_fmadd_pd(a.v, b.v, c.v)}; }

private:
    static __m256i mask(int64_t n) { return _mm256_cmpgt_epi64(_mm256_set1_epi64x(n), _mm256_setr_epi64x(0, 1, 2, 3)); }
};

#endif  // AVX2 + FMA

#if defined(__AVX512F__)

struct F32x16 {
    using Scalar = float;
    static constexpr int64_t kWidth = 16;
    __m512 v;

    static F32x16 zero() { return {_mm512_setzero_ps()}; }
    static F32x16 broadcast(float x) { return {_mm512_set1_ps(x)}; }
    static F32x16 load(const float* p) { return {_mm512_loadu_ps(p)}; }
    static F32x16 load_partial(const float* p, int64_t n) { return {_mm512_maskz_loadu_ps(mask(n), p)}; }
    void store(float* p) const { _mm512_storeu_ps(p, v); }
    void store_partial(float* p, int64_t n) const { _mm512_mask_storeu_ps(p, mask(n), v); }

    friend F32x16 operator+(F32x16 a, F32x16 b) { return {_mm512_add_ps(a.v, b.v)}; }
    friend F32x16 operator*(F32x16 a, F32x16 b) { return {_mm512_mul_ps(a.v, b.v)}; }
    friend F32x16 fmadd(F32x16 a, F32x16 b, F32x16 c) { return {_mm512_fmadd_ps(a.v, b.v, c.v)}; }

private:
    static __mmask16 mask(int64_t n) { return static_cast<__mmask16>((1u << n) - 1u); }
};

struct F64x8 {
    using Scalar = double;
    static constexpr int64_t kWidth = 8;
    __m512d v;

    static F64x8 zero() { return {_mm512_setzero_pd()}; }
    static F64x8 broadcast(double x) { return {_mm512_set1_pd(x)}; }
    static F64x8 load(const double* p) { return {_mm512_loadu_pd(p)}; }
    static F64x8 load_partial(const double* p, int64_t n) { return {_mm512_maskz_loadu_pd(mask(n), p)}; }
    void store(double* p) const { _mm512_storeu_pd(p, v); }
    void store_partial(double* p, int64_t n) const { _mm512_mask_storeu_pd(p, mask(n), v); }

    friend F64x8 operator+(F64x8 a, F64x8 b) { return {_mm512_add_pd(a.v, b.v)}; }
    friend F64x8 operator*(F64x8 a, F64x8 b) { return {_mm512_mul_pd(a.v, b.v)}; }
    friend F64x8 fmadd(F64x8 a, F64x8 b, F64x8 c) { return {_mm512_fmadd_pd(a.v, b.v, c.v)}; }

private:
    static __mmask8 mask(int64_t n) { return static_cast<__mmask8>((1u << n) - 1u); }
};

#endif  // AVX-512F

}  // namespace

#endif
