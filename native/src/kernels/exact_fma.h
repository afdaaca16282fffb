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

// For doubles no wider type holds the product, so this one is done in integers: the 106-bit
// product of the significands and c's significand are aligned in 128 bits (the one shifted out
// leaves a sticky bit, far below the rounding position because both start with their top bit
// at 125), added, and rounded once to nearest even at the bit that double's precision - or, for
// a subnormal result, 2^-1074 - puts it. The double is then assembled from its bits, so no
// second rounding and no C runtime call can happen. NaN, infinities and zero operands need no
// rounding beyond the one a * b + c already does, except a finite product with an infinite c
// (a * b may overflow to the other infinity; the exact product never does).
inline int highest_set_bit(unsigned __int128 x) {  // x != 0
    const uint64_t high = static_cast<uint64_t>(x >> 64);
    return high != 0 ? 127 - __builtin_clzll(high) : 63 - __builtin_clzll(static_cast<uint64_t>(x));
}

inline double fma_in_integers(double a, double b, double c) {
    if (!__builtin_isfinite(a) || !__builtin_isfinite(b) || !__builtin_isfinite(c) || a == 0.0 || b == 0.0) {
        return __builtin_isinf(c) && __builtin_isfinite(a) && __builtin_isfinite(b) ? c : a * b + c;
    }
    if (c == 0.0) return a * b;  // the exact product is not zero, so its rounding carries the sign
    struct Finite {
        bool negative;
        uint64_t significand;  // the value is significand 2^exponent
        int exponent;
    };
    const auto split = [](double x) {
        const uint64_t bits = __builtin_bit_cast(uint64_t, x);
        const int biased = static_cast<int>(bits >> 52 & 0x7FF);
        const uint64_t fraction = bits & ((uint64_t{1} << 52) - 1);
        return Finite{(bits >> 63) != 0, biased == 0 ? fraction : fraction | uint64_t{1} << 52,
                      (biased == 0 ? 1 : biased) - 1075};
    };
    const Finite fa = split(a), fb = split(b), fc = split(c);
    // Both terms as M 2^E with M's top bit at 125: two bits of headroom for the carry.
    unsigned __int128 product = static_cast<unsigned __int128>(fa.significand) * fb.significand;
    int product_exponent = fa.exponent + fb.exponent;
    const int product_shift = 125 - highest_set_bit(product);
    product <<= product_shift;
    product_exponent -= product_shift;
    unsigned __int128 addend = fc.significand;
    int addend_exponent = fc.exponent;
    const int addend_shift = 125 - highest_set_bit(addend);
    addend <<= addend_shift;
    addend_exponent -= addend_shift;
    const bool product_negative = fa.negative != fb.negative;
    // Align the smaller term to the larger's exponent.
    bool larger_is_product = product_exponent > addend_exponent ||
                             (product_exponent == addend_exponent && product >= addend);
    unsigned __int128 larger = larger_is_product ? product : addend;
    unsigned __int128 smaller = larger_is_product ? addend : product;
    const int exponent = larger_is_product ? product_exponent : addend_exponent;
    const int distance = exponent - (larger_is_product ? addend_exponent : product_exponent);
    if (distance >= 127) {
        smaller = 1;  // only sticky
    } else if (distance > 0) {
        const bool lost = (smaller & ((static_cast<unsigned __int128>(1) << distance) - 1)) != 0;
        smaller = smaller >> distance | static_cast<unsigned __int128>(lost);
    }
    const bool negative = larger_is_product ? product_negative : fc.negative;
    const unsigned __int128 sum =
        product_negative == fc.negative ? larger + smaller : larger - smaller;  // larger >= smaller
    if (sum == 0) return 0.0;  // an exact zero sum of opposite terms is +0 to nearest
    // Keep 53 bits, or fewer where the result is subnormal (its last bit weighs 2^-1074).
    const int top = highest_set_bit(sum);
    int shift = top - 52;
    if (exponent + shift < -1074) shift = -1074 - exponent;
    uint64_t significand;
    if (shift <= 0) {
        significand = static_cast<uint64_t>(sum << -shift);
    } else if (shift >= 128) {
        significand = 0;  // below half of the smallest subnormal: rounds to zero
    } else {
        significand = static_cast<uint64_t>(sum >> shift);
        const unsigned __int128 half = static_cast<unsigned __int128>(1) << (shift - 1);
        const unsigned __int128 rest = sum & ((half << 1) - 1);
        if (rest > half || (rest == half && (significand & 1) != 0)) ++significand;
    }
    int result_exponent = exponent + shift;  // the value is significand 2^result_exponent
    if (significand >> 53 != 0) {            // rounded up to 2^53
        significand >>= 1;
        ++result_exponent;
    }
    uint64_t bits;
    if (significand >> 52 != 0) {
        const int biased = result_exponent + 1075;
        bits = biased >= 2047 ? uint64_t{0x7FF} << 52
                              : static_cast<uint64_t>(biased) << 52 | (significand & ((uint64_t{1} << 52) - 1));
    } else {
        bits = significand;  // subnormal or zero: result_exponent is -1074
    }
    return __builtin_bit_cast(double, bits | static_cast<uint64_t>(negative) << 63);
}

inline double fused_multiply_add(double a, double b, double c) {
#if defined(__FP_FAST_FMA)
    return __builtin_fma(a, b, c);
#else
    return fma_in_integers(a, b, c);
#endif
}

}  // namespace

#endif
