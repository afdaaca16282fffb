// float32 exp, log, tanh and erf written once for scalars and simd.h vectors, so every tier
// (scalar included) computes bit-identical results and the SIMD tiers vectorise them.
//
// Accuracy against glibc's expf/logf/tanhf/erff (themselves within 1 ulp of the true value),
// measured by native/tests/transcendentals_test.cpp over every 61st float bit pattern and dense
// ranges around 0, +-1 and the overflow/underflow thresholds, denormals included; the test
// asserts these bounds:
//
//     exp   <= 1 ulp      overflows to inf and underflows to 0 for exactly the same inputs as expf
//     log   <= 1 ulp      log(+-0) = -inf, log(x < 0) = NaN, log(inf) = inf, denormals exact-range
//     tanh  <= 2 ulp      tanh(+-0) = +-0, +-1 from the same |x| as tanhf
//     erf   <= 2 ulp      erf(+-0) = +-0, +-1 from the same |x| as erff
//
// and elementwise.h's compositions, against the same formula on the C library's functions:
//
//     sigmoid = 1 / (1 + exp(-x))                <= 4 ulp (1 + exp(-x) is a rounding tie for
//                                                  exp(-x) in [2^24, 2^25), doubling exp's ulp)
//     gelu = x / 2 (1 + erf(x / sqrt 2))         <= 2 ulp, except where 1 + erf cancels (x < 0):
//                                                  within |x| 2^-24 there
//
// NaN in gives NaN out. PyTorch's own float32 CPU kernels (SLEEF, 1.0 ulp) differ from libm by as
// much, so printed results (4 significant digits) agree with PyTorch's as before.
//
// Why these forms (all on the reduced ranges the fits in the comments were made for; the
// coefficients are weighted least-squares fits on Chebyshev nodes, rounded to float one at a time
// with the rest refitted):
//   exp(x)  = 2^n * (1 + r + r^2 q(r)), n = round(x / ln2), |r| <= ln2/2; the scaling is one
//             correctly rounded multiply, so results that underflow into denormals round as expf's.
//   log(x)  = e ln2 + log1p(f), x = 2^e (1 + f) with 1 + f in [sqrt(1/2), sqrt(2)).
//   tanh(x) = x + x^3 p(x^2) for |x| < 1, where 1 - 2 / (exp(2|x|) + 1) would cancel; that form
//             beyond.
//   erf(x)  = x + x p(x^2) for |x| < 1.25; 1 - exp(-x^2) q(1/|x|) up to |x| = 4, past which
//             erf rounds to +-1; exp(-x^2) carries the rounding error of x^2 (from an fma) so the
//             large argument does not amplify it.
//
// Included by elementwise.h after the scalar forms (splat, select, cmp_*...) these use; anonymous
// namespace for the reason given in simd.h.
#ifndef NATIVEGRAD_SRC_KERNELS_TRANSCENDENTALS_H
#define NATIVEGRAD_SRC_KERNELS_TRANSCENDENTALS_H

#include <math.h>

#include <type_traits>

#include "kernels/exact_fma.h"

namespace {

// ---- The scalar forms of the helpers simd.h gives float vectors -----------------------------------

// Not __builtin_fmaf: without -mfma that is the C runtime's fmaf, and MinGW's rounds twice
// (exact_fma.h), which made the win-x64 scalar tier differ from the others.
inline float fmadd(float a, float b, float c) { return fused_multiply_add(a, b, c); }

// p * 2^n with one rounding, for integer-valued n (or NaN, with p NaN) in [-252, 252] and p normal.
inline float scale_by_pow2(float p, float n) { return __builtin_isnan(n) ? p : ::ldexpf(p, static_cast<int>(n)); }

// x = mantissa * 2^exponent with mantissa in [1, 2), for positive normal finite x.
inline float split_exponent(float x, float* exponent) {
    int e = 0;
    const float half_mantissa = ::frexpf(x, &e);
    *exponent = static_cast<float>(e - 1);
    return half_mantissa * 2.0f;
}

// float or a vector of floats: the types the functions below are written for.
template <class T>
concept Float32Like = std::is_same_v<T, float> || std::is_same_v<typename T::Scalar, float>;

// c[0] + x (c[1] + x (c[2] + ...)), by Horner's rule with fused multiply-adds.
template <class T, int kCount>
T polynomial(T x, const float (&c)[kCount]) {
    T sum = splat<T>(c[kCount - 1]);
    for (int i = kCount - 2; i >= 0; --i) sum = fmadd(sum, x, splat<T>(c[i]));
    return sum;
}

template <Float32Like T>
T exp_f32(T x) {
    // e^x is inf above 88.72 and rounds to 0 below -103.97; the clamp keeps n in scale_by_pow2's range.
    const T clamped = min_raw(max_raw(x, splat<T>(-104.0)), splat<T>(89.0));  // NaN stays NaN
    const T round_magic = splat<T>(12582912.0);                                 // 1.5 * 2^23
    const T n = (clamped * splat<T>(1.44269502f) + round_magic) - round_magic;
    const float kLn2Hi = 0.693147182f, kLn2Lo = -1.90465432e-09f;  // ln2 = hi + lo
    const T r = fmadd(n, splat<T>(-kLn2Lo), fmadd(n, splat<T>(-kLn2Hi), clamped));
    // (e^r - 1 - r) / r^2 on [-ln2/2, ln2/2], relative error 4.3e-9.
    static constexpr float q[] = {5.000000000e-01f, 1.666666716e-01f, 4.166651145e-02f,
                                  8.333198726e-03f, 1.393049955e-03f, 1.995195053e-04f};
    const T p = fmadd(r * r, polynomial(r, q), r) + splat<T>(1.0);
    return scale_by_pow2(p, n);
}

template <Float32Like T>
T log_f32(T x) {
    const auto denormal = cmp_lt(x, splat<T>(1.17549435e-38f));  // below FLT_MIN (zero and negatives too)
    T exponent;
    T mantissa = split_exponent(select(denormal, x * splat<T>(8388608.0), x), &exponent);  // * 2^23
    exponent = exponent - select(denormal, splat<T>(23.0), splat<T>(0.0));
    const auto above_sqrt2 = cmp_gt(mantissa, splat<T>(1.41421354f));
    mantissa = select(above_sqrt2, mantissa * splat<T>(0.5), mantissa);
    exponent = select(above_sqrt2, exponent + splat<T>(1.0), exponent);
    const T f = mantissa - splat<T>(1.0);  // exact
    // (log1p(f) - f + f^2/2) / f^3 on [sqrt(1/2) - 1, sqrt(2) - 1], relative error 6.6e-8.
    static constexpr float p[] = {3.333333135e-01f,  -2.499999404e-01f, 2.000069916e-01f,
                                  -1.666804552e-01f, 1.424967349e-01f,  -1.242055371e-01f,
                                  1.167461425e-01f,  -1.151122898e-01f, 7.039252669e-02f};
    const T f2 = f * f;
    // ln2 = hi + lo with hi short enough that exponent * hi is exact.
    const T tail = fmadd(f2 * f, polynomial(f, p), exponent * splat<T>(-2.12194440e-4f)) - f2 * splat<T>(0.5);
    T result = fmadd(exponent, splat<T>(0.693359375f), f + tail);
    const T inf = splat<T>(__builtin_inff());
    result = select(cmp_eq(x, splat<T>(0.0)), -inf, result);
    result = select(cmp_eq(x, inf), inf, result);
    result = select(cmp_lt(x, splat<T>(0.0)), splat<T>(__builtin_nanf("")), result);
    return select(is_nan(x), x + x, result);
}

template <Float32Like T>
T tanh_f32(T x) {
    const T z = x * x;
    // (tanh(x) - x) / x^3 as a polynomial in x^2 on [0, 1], relative error 3.0e-8.
    static constexpr float p[] = {-3.333333433e-01f, 1.333335340e-01f,  -5.396796018e-02f, 2.185093798e-02f,
                                  -8.749638684e-03f, 3.274077782e-03f,  -9.680599906e-04f, 1.546102430e-04f};
    // x^3 p(x^2) is +0 at x = -0 (p(0) < 0); tanh(-0) is -0, and x where x^2 underflows.
    const T small = select(cmp_eq(z, splat<T>(0.0)), x, fmadd(x * z, polynomial(z, p), x));
    const T magnitude = abs_of(x);
    const T one = splat<T>(1.0);
    const T large = one - splat<T>(2.0) / (exp_f32(magnitude + magnitude) + one);  // 1 once exp overflows
    return select(cmp_lt(magnitude, one), small, select(cmp_lt(x, splat<T>(0.0)), -large, large));  // NaN: large
}

template <Float32Like T>
T erf_f32(T x) {
    // erf(x) / x - 1 as a polynomial in x^2 on [0, 1.25], relative error 1.1e-8.
    static constexpr float p[] = {1.283791661e-01f,  -3.761263192e-01f, 1.128370538e-01f, -2.686174028e-02f,
                                  5.212206393e-03f,  -8.372931625e-04f, 1.056204201e-04f, -7.899930097e-06f};
    const T small = fmadd(x, polynomial(x * x, p), x);
    // erfc(x) e^(x^2) as a polynomial in 1/x on [1.25, 4], relative error 1.1e-8.
    static constexpr float q[] = {1.347878570e-04f, 5.614323616e-01f,  2.403675392e-02f,
                                  -3.963604867e-01f, 3.048178554e-01f, 6.417744607e-02f,
                                  -2.737655938e-01f, 1.901074052e-01f, -4.702914879e-02f};
    const T one = splat<T>(1.0);
    const T magnitude = min_raw(abs_of(x), splat<T>(4.0));  // NaN stays NaN
    const T square = magnitude * magnitude;
    const T square_error = fmadd(magnitude, magnitude, -square);
    const T gaussian = exp_f32(-square);
    const T erfc = fmadd(gaussian, -square_error, gaussian) * polynomial(one / magnitude, q);
    const T large = one - erfc;
    return select(cmp_lt(abs_of(x), splat<T>(1.25)), small, select(cmp_lt(x, splat<T>(0.0)), -large, large));
}

}  // namespace

#endif
