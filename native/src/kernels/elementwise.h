// Elementwise ops as functors, written once for scalars and (where they can be) for simd.h
// vectors alike.
//
// The rule that decides which ops are vectorised: a functor whose operator() is a template over T
// must compile for every simd.h vector type, and the SIMD tiers run it on vectors; a functor with
// only per-type overloads (float, double, int64_t) runs element by element in every tier, which is
// how transcendentals use the C library (expf, erf...) and stay identical across tiers. int64_t
// overloads wrap on overflow, as PyTorch's integer ops do.
//
// Anonymous namespace for the same reason as simd.h: each tier compiles its own copy. For that
// reason, too, nothing here calls an inline std:: function (std::exp, std::min...): those have
// external linkage. The C functions (::expf...) and compiler builtins are safe.
#ifndef NATIVEGRAD_SRC_KERNELS_ELEMENTWISE_H
#define NATIVEGRAD_SRC_KERNELS_ELEMENTWISE_H

#include <math.h>

#include <cstdint>
#include <type_traits>

#include "kernels/kernels.h"

namespace {

// ---- Tier policies and dtypes ----------------------------------------------------------------------

// The scalar tier's policy: no vector type for any dtype (simd.h defines the SIMD tiers' policies).
struct NoVectors {
    template <class T>
    using Vector = void;
};

// Calls visit(T{}, dtype) for each dtype in the set kDtypes, with T the C++ type of its elements
// (bool is a byte that is 0 or 1).
template <int kDtypes, class Visit>
constexpr void for_each_dtype(Visit visit) {
    if constexpr ((kDtypes & ng::dtype_bit(NG_DTYPE_F32)) != 0) visit(float{}, NG_DTYPE_F32);
    if constexpr ((kDtypes & ng::dtype_bit(NG_DTYPE_F64)) != 0) visit(double{}, NG_DTYPE_F64);
    if constexpr ((kDtypes & ng::dtype_bit(NG_DTYPE_I64)) != 0) visit(int64_t{}, NG_DTYPE_I64);
    if constexpr ((kDtypes & ng::dtype_bit(NG_DTYPE_BOOL)) != 0) visit(uint8_t{}, NG_DTYPE_BOOL);
}

// An unsigned type of the same size, for kernels that only move bits.
template <class T>
struct SameSizeBits;
template <>
struct SameSizeBits<float> {
    using type = uint32_t;
};
template <>
struct SameSizeBits<double> {
    using type = uint64_t;
};
template <>
struct SameSizeBits<int64_t> {
    using type = uint64_t;
};
template <>
struct SameSizeBits<uint8_t> {
    using type = uint8_t;
};

// Whether a functor runs on the vector type V (see the rule at the top of this file).
template <class Op, class V>
concept UnaryVectorForm = requires(const Op& op, V v) { op(v); };
template <class Op, class V>
concept BinaryVectorForm = requires(const Op& op, V v) { op(v, v); };

// Comparison functors say so; their results are masks (vectors) or bool, stored as bytes 0/1.
template <class Op>
concept Comparison = Op::kComparison;

// ---- The scalar forms of simd.h's free functions -------------------------------------------------

template <class T>
concept Number = std::is_arithmetic_v<T>;

// T(value) for a scalar type, or a vector with every lane T(value).
template <class T>
T splat(double value) {
    if constexpr (std::is_arithmetic_v<T>) return static_cast<T>(value);
    else return T::broadcast(static_cast<typename T::Scalar>(value));
}

template <Number T>
bool is_nan(T x) {
    if constexpr (std::is_floating_point_v<T>) return __builtin_isnan(x);
    else return false;
}
template <Number T>
T select(bool m, T yes, T no) { return m ? yes : no; }
inline bool either(bool a, bool b) { return a || b; }
inline bool both(bool a, bool b) { return a && b; }
template <Number T>
T max_raw(T a, T b) { return a < b ? b : a; }  // std::max: a on ties and when either is NaN
template <Number T>
T min_raw(T a, T b) { return b < a ? b : a; }  // std::min
inline float abs_of(float x) { return __builtin_fabsf(x); }
inline double abs_of(double x) { return __builtin_fabs(x); }
inline float sqrt_of(float x) { return ::sqrtf(x); }
inline double sqrt_of(double x) { return ::sqrt(x); }
template <Number T>
bool cmp_eq(T a, T b) { return a == b; }
template <Number T>
bool cmp_ne(T a, T b) { return a != b; }
template <Number T>
bool cmp_lt(T a, T b) { return a < b; }
template <Number T>
bool cmp_le(T a, T b) { return a <= b; }
template <Number T>
bool cmp_gt(T a, T b) { return a > b; }
template <Number T>
bool cmp_ge(T a, T b) { return a >= b; }

// Two's-complement wrapping int64 arithmetic (signed overflow is undefined in C++).
inline int64_t wrap(uint64_t x) { return static_cast<int64_t>(x); }
inline uint64_t bits(int64_t x) { return static_cast<uint64_t>(x); }

#include "kernels/transcendentals.h"

// ---- Unary ops (NG_UNARY_OP_LIST) -------------------------------------------------------------------

struct NegOp {
    template <class T>
    T operator()(T x) const { return -x; }
    int64_t operator()(int64_t x) const { return wrap(0 - bits(x)); }
};

// The float32 transcendentals are transcendentals.h's (vectorised, within the ulps it documents);
// float64 keeps the C library's, element by element.
struct ExpOp {
    template <Float32Like T>
    T operator()(T x) const { return exp_f32(x); }
    double operator()(double x) const { return ::exp(x); }
};

struct LogOp {
    template <Float32Like T>
    T operator()(T x) const { return log_f32(x); }
    double operator()(double x) const { return ::log(x); }
};

struct SqrtOp {
    template <class T>
    T operator()(T x) const { return sqrt_of(x); }
};

struct AbsOp {
    template <class T>
    T operator()(T x) const { return abs_of(x); }
    int64_t operator()(int64_t x) const { return x < 0 ? wrap(0 - bits(x)) : x; }
};

// max(x, 0) with x on ties: relu(-0) = -0 and relu(NaN) = NaN, as in PyTorch.
struct ReluOp {
    template <class T>
    T operator()(T x) const { return max_raw(x, splat<T>(0)); }
};

// PyTorch's form, 1 / (1 + exp(-x)).
struct SigmoidOp {
    template <Float32Like T>
    T operator()(T x) const { return splat<T>(1.0) / (splat<T>(1.0) + exp_f32(-x)); }
    double operator()(double x) const { return 1.0 / (1.0 + ::exp(-x)); }
};

struct TanhOp {
    template <Float32Like T>
    T operator()(T x) const { return tanh_f32(x); }
    double operator()(double x) const { return ::tanh(x); }
};

struct SinOp {
    float operator()(float x) const { return ::sinf(x); }
    double operator()(double x) const { return ::sin(x); }
};

struct CosOp {
    float operator()(float x) const { return ::cosf(x); }
    double operator()(double x) const { return ::cos(x); }
};

struct ErfOp {
    template <Float32Like T>
    T operator()(T x) const { return erf_f32(x); }
    double operator()(double x) const { return ::erf(x); }
};

// PyTorch's exact form, in the dtype's precision: x * 0.5 * (1 + erf(x * (1 / sqrt(2)))).
// float32 as h + h erf(x / sqrt 2) with h = x / 2, one fma: the form of oneDNN's gelu_erf, which
// PyTorch 1.13 runs for contiguous float32 tensors of two or more elements. It equals h (1 + erf)
// to the ulp, but an exact cancellation (x = -0, or x so negative that erf rounds to -1) gives +0
// where the product gives -0. float64 keeps ATen's product, and its -0.
struct GeluOp {
    static constexpr double kSqrtHalf = 0.70710678118654752440;
    template <Float32Like T>
    T operator()(T x) const {
        const T half_x = x * splat<T>(0.5);
        return fmadd(half_x, erf_f32(x * splat<T>(static_cast<float>(kSqrtHalf))), half_x);
    }
    double operator()(double x) const { return x * 0.5 * (1.0 + ::erf(x * kSqrtHalf)); }
};

// -1, +0 or 1; NaN stays NaN.
struct SignOp {
    template <class T>
    T operator()(T x) const {
        // (0 < x) - (x < 0): NaN compares false both ways and gives 0, as PyTorch 1.13's CPU kernel.
        const T zero = splat<T>(0), one = splat<T>(1);
        return select(cmp_lt(zero, x), one, zero) - select(cmp_lt(x, zero), one, zero);
    }
    int64_t operator()(int64_t x) const { return static_cast<int64_t>(x > 0) - static_cast<int64_t>(x < 0); }
};

struct ReciprocalOp {
    template <class T>
    T operator()(T x) const { return splat<T>(1) / x; }
};

// Rounding and the C library's other functions, element by element in every tier (exact for the
// rounding ops; nearbyint rounds ties to even in the default rounding mode, as PyTorch's round).
#define NG_DEFINE_LIBM_UNARY(Name, f32, f64)                  \
    struct Name {                                             \
        float operator()(float x) const { return ::f32(x); }   \
        double operator()(double x) const { return ::f64(x); } \
    };
NG_DEFINE_LIBM_UNARY(FloorOp, floorf, floor)
NG_DEFINE_LIBM_UNARY(CeilOp, ceilf, ceil)
NG_DEFINE_LIBM_UNARY(RoundOp, nearbyintf, nearbyint)
NG_DEFINE_LIBM_UNARY(TruncOp, truncf, trunc)
NG_DEFINE_LIBM_UNARY(Log1pOp, log1pf, log1p)
NG_DEFINE_LIBM_UNARY(Expm1Op, expm1f, expm1)
NG_DEFINE_LIBM_UNARY(Log2Op, log2f, log2)
NG_DEFINE_LIBM_UNARY(Log10Op, log10f, log10)
NG_DEFINE_LIBM_UNARY(AsinOp, asinf, asin)
NG_DEFINE_LIBM_UNARY(AcosOp, acosf, acos)
NG_DEFINE_LIBM_UNARY(AtanOp, atanf, atan)
NG_DEFINE_LIBM_UNARY(SinhOp, sinhf, sinh)
NG_DEFINE_LIBM_UNARY(CoshOp, coshf, cosh)
#undef NG_DEFINE_LIBM_UNARY

// ---- Binary ops (NG_BINARY_OP_LIST) -----------------------------------------------------------------

struct AddOp {
    template <class T>
    T operator()(T a, T b) const { return a + b; }
    int64_t operator()(int64_t a, int64_t b) const { return wrap(bits(a) + bits(b)); }
};

struct MulOp {
    template <class T>
    T operator()(T a, T b) const { return a * b; }
    int64_t operator()(int64_t a, int64_t b) const { return wrap(bits(a) * bits(b)); }
};

struct SubOp {
    template <class T>
    T operator()(T a, T b) const { return a - b; }
    int64_t operator()(int64_t a, int64_t b) const { return wrap(bits(a) - bits(b)); }
};

// a + alpha * b rounded once, as torch's add(a, b, alpha=alpha) is in its vector loop (an fma);
// int64 wraps. Not in NG_BINARY_OP_LIST: alpha is state, so ng_add_scaled has its own row kernels.
template <class T>
struct AddScaledOp {
    T alpha;
    T operator()(T a, T b) const {
        // exact_fma.h's, not __builtin_fma[f]: in the scalar tier (no -mfma) those are the C
        // runtime's, and MinGW's round twice.
        if constexpr (std::is_floating_point_v<T>) return fused_multiply_add(alpha, b, a);
        else return wrap(bits(a) + bits(alpha) * bits(b));
    }
    template <class V>
        requires(!std::is_arithmetic_v<V>)
    V operator()(V a, V b) const { return fmadd(b, V::broadcast(alpha), a); }
};

struct DivOp {
    template <class T>
    T operator()(T a, T b) const { return a / b; }
};

// Integers by repeated squaring, wrapping. A negative exponent gives the integer part of 1 / a^-b,
// as PyTorch 1.13's tensor-tensor pow (powi_impl): 1 for a == 1, +-1 for a == -1 by b's parity, else
// 0 (0 ** -1 included). Only PyTorch's scalar-exponent form refuses them, and that check is managed.
struct PowOp {
    float operator()(float a, float b) const { return ::powf(a, b); }
    double operator()(double a, double b) const { return ::pow(a, b); }
    int64_t operator()(int64_t a, int64_t b) const {
        if (b < 0) {
            if (a == 1) return 1;
            if (a == -1) return (b & 1) != 0 ? -1 : 1;  // b & 1, not -b % 2: -INT64_MIN overflows
            return 0;
        }
        uint64_t result = 1, base = bits(a);
        for (uint64_t e = bits(b); e != 0; e >>= 1) {
            if (e & 1u) result *= base;
            base *= base;
        }
        return wrap(result);
    }
};

// NaN if either is NaN (a + b is that NaN), otherwise std::max / std::min.
struct MaximumOp {
    template <class T>
    T operator()(T a, T b) const { return select(either(is_nan(a), is_nan(b)), a + b, max_raw(a, b)); }
    int64_t operator()(int64_t a, int64_t b) const { return max_raw(a, b); }
};

struct MinimumOp {
    template <class T>
    T operator()(T a, T b) const { return select(either(is_nan(a), is_nan(b)), a + b, min_raw(a, b)); }
    int64_t operator()(int64_t a, int64_t b) const { return min_raw(a, b); }
};

struct Atan2Op {
    float operator()(float a, float b) const { return ::atan2f(a, b); }
    double operator()(double a, double b) const { return ::atan2(a, b); }
};

struct HypotOp {
    float operator()(float a, float b) const { return ::hypotf(a, b); }
    double operator()(double a, double b) const { return ::hypot(a, b); }
};

// C's fmod: the sign of a. Integers: 0 for b == 0 (PyTorch raises first, and so does NativeGrad)
// and for b == -1 (exact, and INT64_MIN % -1 would overflow).
struct FmodOp {
    float operator()(float a, float b) const { return ::fmodf(a, b); }
    double operator()(double a, double b) const { return ::fmod(a, b); }
    int64_t operator()(int64_t a, int64_t b) const { return b == 0 || b == -1 ? 0 : a % b; }
};

// Python's %: fmod moved by b when the signs differ, so the sign of b (PyTorch's formula).
struct RemainderOp {
    template <class T>
    static T shift(T mod, T b) { return mod != 0 && ((b < 0) != (mod < 0)) ? mod + b : mod; }
    float operator()(float a, float b) const { return shift(::fmodf(a, b), b); }
    double operator()(double a, double b) const { return shift(::fmod(a, b), b); }
    int64_t operator()(int64_t a, int64_t b) const { return b == 0 || b == -1 ? 0 : shift(a % b, b); }
};

struct BitwiseAndOp {
    int64_t operator()(int64_t a, int64_t b) const { return a & b; }
};

struct BitwiseOrOp {
    int64_t operator()(int64_t a, int64_t b) const { return a | b; }
};

struct BitwiseXorOp {
    int64_t operator()(int64_t a, int64_t b) const { return a ^ b; }
};

#define NG_DEFINE_COMPARISON(Name, function)                      \
    struct Name {                                                 \
        static constexpr bool kComparison = true;                 \
        template <class T>                                        \
        auto operator()(T a, T b) const { return function(a, b); } \
    };
NG_DEFINE_COMPARISON(EqOp, cmp_eq)
NG_DEFINE_COMPARISON(NeOp, cmp_ne)
NG_DEFINE_COMPARISON(LtOp, cmp_lt)
NG_DEFINE_COMPARISON(LeOp, cmp_le)
NG_DEFINE_COMPARISON(GtOp, cmp_gt)
NG_DEFINE_COMPARISON(GeOp, cmp_ge)
#undef NG_DEFINE_COMPARISON

}  // namespace

#endif
