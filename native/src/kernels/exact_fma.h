// a * b + c for floats with one rounding (IEEE 754 fusedMultiplyAdd, to nearest even), on every
// target and tier, without the C runtime.
//
// Why: transcendentals.h's polynomials are written with fused multiply-adds so that every tier,
// the scalar one included, computes bit-identical results. Where the compiler has no FMA
// instruction to use (the x86-64 scalar tier is baseline x86-64: no -mfma), __builtin_fmaf becomes
// a call to the C runtime's fmaf. glibc's is correctly rounded; MinGW's is not (it rounds twice),
// so the win-x64 scalar tier's exp, log, tanh and erf differed from its AVX2 tier's and broke
// their documented ulp bounds. Hence:
//
//   - where the compiler defines __FP_FAST_FMAF (GCC for x86-64 with -mfma, i.e. the AVX2 and
//     AVX-512 tiers, and for aarch64 always), __builtin_fmaf, which it emits as the one
//     instruction (VFMADD*SS, FMADD) - checked with -S for GCC 12 targeting x86_64-linux-gnu,
//     x86_64-w64-mingw32 and aarch64-linux-gnu;
//   - elsewhere (the x86-64 scalar tier, on Linux too, so that no tier's results depend on a C
//     runtime; any compiler that does not define the macro) fma_by_rounding_to_odd below: about
//     ten double operations and a one-ulp fix-up. In a Horner chain like transcendentals.h's it
//     measured 1.2-1.4 ns per step against 0.9-1.5 for glibc's fmaf (a call into VFMADD on this
//     FMA CPU) and 2.9-3.2 for MinGW's (under wine), on a shared 2-core x86-64 machine; a
//     branchless form of the fix-up was no faster. The scalar tier only runs where the CPU lacks
//     AVX2 and FMA anyway, or when chosen for testing.
//
// Anonymous namespace, as in simd.h: the two branches are compiled into files with different -m
// flags, and the linker must not merge them; and no inline std:: function (std::bit_cast), as in
// elementwise.h, which includes this header (through transcendentals.h) inside its namespace.
#ifndef NATIVEGRAD_SRC_KERNELS_EXACT_FMA_H
#define NATIVEGRAD_SRC_KERNELS_EXACT_FMA_H

#include <cstdint>

namespace {

// The product of two floats is exact in double (24 + 24 significant bits <= 53) and so, for float
// operands, never overflows or goes subnormal there (|a b| is in [2^-298, 2^256]). The double sum
// s = a b + c rounds once; the two-sum error term e (s + e = a b + c exactly) says whether it was
// exact and which way it rounded. An inexact s with an even last bit is moved one ulp towards the
// exact value, which makes it odd: s is then a b + c rounded to odd, which keeps the sticky
// information that a second rounding needs. Rounding a round-to-odd value of p >= q + 2 bits to
// q bits gives the correctly rounded result (Boldo and Melquiond, "Emulation of FMA and correctly
// rounded sums: proved algorithms using rounding to odd", 2008); here p = 53 and q = 24, or fewer
// for float subnormals, and the float overflow threshold is a rounding boundary like any other.
// Needs double arithmetic in double (SSE2 or aarch64, not x87 extended precision).
inline float fma_by_rounding_to_odd(float a, float b, float c) {
    const double product = static_cast<double>(a) * static_cast<double>(b);
    const double addend = c;
    const double sum = product + addend;
    // Knuth's two-sum: error = (product + addend) - sum exactly, when sum is finite.
    const double addend_part = sum - product;
    const double product_part = sum - addend_part;
    const double error = (product - product_part) + (addend - addend_part);
    uint64_t bits = __builtin_bit_cast(uint64_t, sum);
    // An infinite or NaN sum (inf or NaN operands; a b + c cannot overflow double) has a NaN
    // error and rounds to itself. A zero sum is exact (the exact sum is a multiple of 2^-298).
    if (error != 0.0 && __builtin_isfinite(sum) && (bits & 1u) == 0) {
        // One ulp away from zero, or towards it (from a power of two: the largest double below it).
        const bool exact_is_larger_in_magnitude = (error < 0.0) == (sum < 0.0);
        bits = exact_is_larger_in_magnitude ? bits + 1 : bits - 1;
    }
    return static_cast<float>(__builtin_bit_cast(double, bits));
}

inline float fused_multiply_add(float a, float b, float c) {
#if defined(__FP_FAST_FMAF)
    return __builtin_fmaf(a, b, c);
#else
    return fma_by_rounding_to_odd(a, b, c);
#endif
}

}  // namespace

#endif
