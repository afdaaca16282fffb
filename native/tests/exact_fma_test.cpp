// fused_multiply_add, fma_by_rounding_to_odd and fma_in_integers (src/kernels/exact_fma.h):
// a * b + c rounded once, for float and double.
//
// Three references: tables of hard cases whose results were worked out with exact rational
// arithmetic (Python's fractions, rounded to binary32 or binary64: ties to even, subnormals,
// overflow), the CPU's own FMA instruction (aarch64's FMADD; x86's VFMADD when the CPU has it),
// and, for float, long double where its sum is exact. The random operands aim at where a
// double-rounded fma goes wrong: products that land on a midpoint, with c far below (it only
// decides the tie) or aligned with them, c cancelling the product, subnormals, overflow and
// specials.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "kernels/exact_fma.h"
#include "test_support.h"

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr double kInf64 = std::numeric_limits<double>::infinity();
constexpr double kNaN64 = std::numeric_limits<double>::quiet_NaN();

using ngtest::same_value;

template <class T>
struct HardCase {
    T a, b, c, expected;
};

const HardCase<float> kHardCases[] = {
    // 2^24 + 1 = 97 257 673 is a float midpoint: a tiny c breaks the tie, and a sum rounded to double loses it
    {24929.0f, 673.0f, 0x1p-100f, 0x1.000002p+24f},
    {24929.0f, 673.0f, -0x1p-100f, 0x1p+24f},
    {24929.0f, 673.0f, 0x1p-149f, 0x1.000002p+24f},
    {24929.0f, 673.0f, 0.0f, 0x1p+24f},
    {-24929.0f, 673.0f, 0x1p-100f, -0x1p+24f},
    {-24929.0f, 673.0f, -0x1p-100f, -0x1.000002p+24f},
    // 2^24 + 3 = 1549 10831, a midpoint whose even neighbour is above
    {1549.0f, 10831.0f, 0.0f, 0x1.000004p+24f},
    {1549.0f, 10831.0f, -0x1p-120f, 0x1.000002p+24f},
    // the overflow threshold 2^128 - 2^103 = (2^25 - 1) 2^103 = 18631 1801 2^103: a tie rounds to inf
    {0x1.231cp+66f, 0x1.c24p+61f, 0.0f, kInf},
    {0x1.231cp+66f, 0x1.c24p+61f, -0x1p-100f, 0x1.fffffep+127f},
    {0x1.231cp+66f, 0x1.c24p+61f, 0x1p-149f, kInf},
    // products beyond float's range, brought back by c
    {0x1.fffffep+127f, 2.0f, -0x1.fffffep+127f, 0x1.fffffep+127f},
    {0x1.fffffep+127f, 0x1.fffffep+127f, -0x1.fffffep+127f, kInf},
    {0x1.000002p+0f, 0x1.fffffep+127f, -0x1.fffffep+127f, 0x1.fffffep+104f},
    // results in and around the subnormals: 5 2^-150 is a midpoint, rounded by ties or by the product's low bits
    {0x1.4p-73f, 0x1p-75f, 0.0f, 0x1p-148f},
    {0x1.4p-73f, 0x1.000002p-75f, 0.0f, 0x1.8p-148f},
    {0x1.4p-73f, 0x1.fffffep-76f, 0.0f, 0x1p-148f},
    {0x1p-75f, 0x1p-75f, 0x1p-149f, 0x1p-148f},
    {0x1.8p-1f, 0x1p-149f, 0.0f, 0x1p-149f},
    {0x1p-1f, 0x1p-149f, 0.0f, 0.0f},
    {0x1p-1f, 0x1p-149f, -0x1p-149f, -0.0f},
    {0x1.000002p-63f, 0x1.000002p-63f, -0x1p-126f, 0x1p-148f},
    {-0x1p-100f, 0x1p-100f, 0x1p-149f, 0x1p-149f},
    // signed zeros: an exact zero sum is +0 unless both terms are -0; underflow keeps the sign
    {0.0f, -1.0f, 0.0f, 0.0f},
    {-0.0f, 1.0f, -0.0f, -0.0f},
    {1.0f, 1.0f, -1.0f, 0.0f},
    {-1.0f, 1.0f, 1.0f, 0.0f},
    {0x1p-100f, 0x1p-100f, -0.0f, 0.0f},
    {-0x1p-100f, 0x1p-100f, 0.0f, -0.0f},
    // cancellation: the exact low half of a product
    {0x1.000002p+0f, 0x1.000002p+0f, -0x1.000004p+0f, 0x1p-46f},
    {0x1.fffffep-1f, 0x1.fffffep-1f, -1.0f, -0x1p-23f},
    // NaN and infinities: inf 0 is NaN whatever c is, inf - inf is NaN, a finite product never
    // turns an infinite c into NaN
    {kInf, 0.0f, 1.0f, kNaN},
    {0.0f, -kInf, kNaN, kNaN},
    {kInf, 1.0f, -kInf, kNaN},
    {kInf, -2.0f, 1.0f, -kInf},
    {0x1.fffffep+127f, 0x1.fffffep+127f, -kInf, -kInf},
    {1.0f, 1.0f, kInf, kInf},
    {kNaN, 0.0f, 1.0f, kNaN},
    {1.0f, kNaN, 1.0f, kNaN},
    {1.0f, 1.0f, kNaN, kNaN},
};

// The same kinds of case for doubles, worked out the same way.
const HardCase<double> kHardDoubleCases[] = {
    // 2^53 + 1 = 321 28059810762433 is a double midpoint: a tiny c breaks the tie, and rounding the product first loses it
    {0x1.41p+8, 0x1.9852f0d8ec1p+44, 0x1p-1000, 0x1.0000000000001p+53},
    {0x1.41p+8, 0x1.9852f0d8ec1p+44, -0x1p-1000, 0x1p+53},
    {0x1.41p+8, 0x1.9852f0d8ec1p+44, 0x0.0000000000001p-1022, 0x1.0000000000001p+53},
    {0x1.41p+8, 0x1.9852f0d8ec1p+44, 0.0, 0x1p+53},
    {-0x1.41p+8, 0x1.9852f0d8ec1p+44, 0x1p-1000, -0x1p+53},
    {-0x1.41p+8, 0x1.9852f0d8ec1p+44, -0x1p-1000, -0x1.0000000000001p+53},
    // 2^53 + 3 = 385 23395224748427, a midpoint whose even neighbour is above
    {0x1.81p+8, 0x1.54725e6bb83p+44, 0.0, 0x1.0000000000002p+53},
    {0x1.81p+8, 0x1.54725e6bb83p+44, -0x1p-900, 0x1.0000000000001p+53},
    // the overflow threshold 2^1024 - 2^970 = (2^18 - 1) 68719738879 2^970: a tie rounds to inf
    {0x1.ffff8p+517, 0x1.000040001p+506, 0.0, kInf64},
    {0x1.ffff8p+517, 0x1.000040001p+506, -0x1p-1000, 0x1.fffffffffffffp+1023},
    {0x1.ffff8p+517, 0x1.000040001p+506, 0x0.0000000000001p-1022, kInf64},
    // products beyond double's range, brought back by c
    {0x1.fffffffffffffp+1023, 0x1p+1, -0x1.fffffffffffffp+1023, 0x1.fffffffffffffp+1023},
    {0x1.fffffffffffffp+1023, 0x1.fffffffffffffp+1023, -0x1.fffffffffffffp+1023, kInf64},
    {0x1.0000000000001p+0, 0x1.fffffffffffffp+1023, -0x1.fffffffffffffp+1023, 0x1.fffffffffffffp+971},
    // results in and around the subnormals: 5 2^-1075 is a midpoint, rounded by ties or by the product's low bits
    {0x1.4p-536, 0x1p-537, 0.0, 0x0.0000000000002p-1022},
    {0x1.4p-536, 0x1.0000000000001p-537, 0.0, 0x0.0000000000003p-1022},
    {0x1.4p-536, 0x1.fffffffffffffp-538, 0.0, 0x0.0000000000002p-1022},
    {0x1p-537, 0x1p-537, 0x0.0000000000001p-1022, 0x0.0000000000002p-1022},
    {0x1.8p+0, 0x0.0000000000001p-1022, 0.0, 0x0.0000000000002p-1022},
    {0x1p-1, 0x0.0000000000001p-1022, 0.0, 0.0},
    {0x1p-1, 0x0.0000000000001p-1022, -0x0.0000000000001p-1022, -0.0},
    {0x1.0000000000001p-511, 0x1.0000000000001p-511, -0x1p-1022, 0x0.0000000000002p-1022},
    {-0x1p-600, 0x1p-600, 0x0.0000000000001p-1022, 0x0.0000000000001p-1022},
    // signed zeros: an exact zero sum is +0 unless both terms are -0; underflow keeps the sign
    {0.0, -0x1p+0, 0.0, 0.0},
    {-0.0, 0x1p+0, -0.0, -0.0},
    {0x1p+0, 0x1p+0, -0x1p+0, 0.0},
    {-0x1p+0, 0x1p+0, 0x1p+0, 0.0},
    {0x1p-600, 0x1p-600, -0.0, 0.0},
    {-0x1p-600, 0x1p-600, 0.0, -0.0},
    // cancellation: the exact low half of a product
    {0x1.0000000000001p+0, 0x1.0000000000001p+0, -0x1.0000000000002p+0, 0x1p-104},
    {0x1.fffffffffffffp-1, 0x1.fffffffffffffp-1, -0x1p+0, -0x1p-52},
    // c far above or far below the product, across the 127-bit alignment window
    {0x1.0000000000001p+700, 0x1.0000000000001p-700, -0x1p+0, 0x1p-51},
    {0x1p+0, 0x1p+0, 0x1p-200, 0x1p+0},
    {0x1p+0, 0x1p+0, -0x1p-200, 0x1p+0},
    {0x1p-200, 0x1p-200, 0x1p+0, 0x1p+0},
    {-0x1p-200, 0x1p-200, 0x1p+0, 0x1p+0},
    {0x1p+0, 0x1p+0, 0x1p-53, 0x1p+0},
    {0x1p+0, 0x1p+0, 0x1.0000000000001p-53, 0x1.0000000000001p+0},
    // NaN and infinities: inf 0 is NaN whatever c is, inf - inf is NaN, a finite product never turns an infinite c into NaN
    {kInf64, 0.0, 0x1p+0, kNaN64},
    {0.0, -kInf64, kNaN64, kNaN64},
    {kInf64, 0x1p+0, -kInf64, kNaN64},
    {kInf64, -0x1p+1, 0x1p+0, -kInf64},
    {0x1.fffffffffffffp+1023, 0x1.fffffffffffffp+1023, -kInf64, -kInf64},
    {0x1p+0, 0x1p+0, kInf64, kInf64},
    {kNaN64, 0.0, 0x1p+0, kNaN64},
    {0x1p+0, kNaN64, 0x1p+0, kNaN64},
    {0x1p+0, 0x1p+0, kNaN64, kNaN64},
};

TEST(ExactFma, HardCases) {
    for (const HardCase<float>& t : kHardCases) {
        EXPECT_PRED2(same_value<float>, fma_by_rounding_to_odd(t.a, t.b, t.c), t.expected)
            << std::hexfloat << t.a << " * " << t.b << " + " << t.c;
        EXPECT_PRED2(same_value<float>, fused_multiply_add(t.a, t.b, t.c), t.expected)
            << std::hexfloat << t.a << " * " << t.b << " + " << t.c;
    }
    for (const HardCase<double>& t : kHardDoubleCases) {
        EXPECT_PRED2(same_value<double>, fma_in_integers(t.a, t.b, t.c), t.expected)
            << std::hexfloat << t.a << " * " << t.b << " + " << t.c;
        EXPECT_PRED2(same_value<double>, fused_multiply_add(t.a, t.b, t.c), t.expected)
            << std::hexfloat << t.a << " * " << t.b << " + " << t.c;
    }
}

template <class T>
struct Operands {
    T a, b, c;
};

// Bits and exponent range of T, for building operands bit by bit.
template <class T>
struct Format;
template <>
struct Format<float> {
    using Bits = uint32_t;
    static constexpr int kFractionBits = 23, kMaxBiased = 254, kBias = 127, kMinExponent = -149;
};
template <>
struct Format<double> {
    using Bits = uint64_t;
    static constexpr int kFractionBits = 52, kMaxBiased = 2046, kBias = 1023, kMinExponent = -1074;
};

// Reproducible operands of the kinds the file comment lists, a quarter of each.
template <class T>
std::vector<Operands<T>> random_operands(size_t count, uint32_t seed) {
    using Bits = typename Format<T>::Bits;
    constexpr int kPrecision = Format<T>::kFractionBits + 1, kMaxBiased = Format<T>::kMaxBiased;
    constexpr T kInfinity = std::numeric_limits<T>::infinity();
    std::mt19937_64 engine(seed);
    auto uniform = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(engine); };
    auto any_value = [&] { return std::bit_cast<T>(static_cast<Bits>(engine())); };
    auto signed_one = [&] { return (engine() & 1u) != 0 ? T(1) : T(-1); };
    std::vector<Operands<T>> operands;
    operands.reserve(count);
    while (operands.size() < count) {
        Operands<T> o{};
        switch (operands.size() % 4) {
            case 0: {
                // Two odd integers whose product has precision + 1 bits and is odd: a midpoint
                // (12 and 13 bits for float, 26 and 28 for double).
                constexpr int kBitsA = kPrecision / 2, kBitsB = kPrecision + 1 - kBitsA;
                const T a = static_cast<T>(2 * uniform(int64_t{1} << (kBitsA - 2), (int64_t{1} << (kBitsA - 1)) - 1) + 1);
                const T b = static_cast<T>(2 * uniform(int64_t{1} << (kBitsB - 1), (int64_t{1} << kBitsB) - 1) + 1);
                const int scale = static_cast<int>(uniform(Format<T>::kMinExponent / 2 * 3 / 2, Format<T>::kBias - 27));
                o.a = std::ldexp(a, scale / 2) * signed_one();
                o.b = std::ldexp(b, scale - scale / 2);
                // c: zero, far below the product, or a small integer multiple of the product's ulp.
                const int kind = static_cast<int>(uniform(0, 2));
                const T product_scale = std::ldexp(T(1), scale);
                o.c = kind == 0   ? T(0)
                      : kind == 1 ? std::ldexp(T(1), std::max<int>(Format<T>::kMinExponent,
                                                                   scale - static_cast<int>(uniform(30, 140))))
                                        * signed_one()
                                  : product_scale * static_cast<T>(2 * uniform(-40, 40));
                break;
            }
            case 1:  // anything, NaN and infinities included
                o = {any_value(), any_value(), any_value()};
                break;
            case 2: {
                // c cancels the product to its low half, give or take a few ulps.
                const int range = Format<T>::kBias / 2;
                o.a = std::ldexp(std::uniform_real_distribution<T>(1, 2)(engine), static_cast<int>(uniform(-range, range)));
                o.b = std::ldexp(std::uniform_real_distribution<T>(-2, 2)(engine), static_cast<int>(uniform(-range, range)));
                T rounded = o.a * o.b;
                for (int64_t k = uniform(-3, 3); k != 0; k += k > 0 ? -1 : 1)
                    rounded = std::nextafter(rounded, k > 0 ? kInfinity : -kInfinity);
                o.c = -rounded;
                break;
            }
            default: {
                // Exponents from the subnormals to overflow, with c at any distance from the product.
                auto with_exponent = [&](int64_t e) {
                    const Bits fraction = static_cast<Bits>(engine()) & ((Bits{1} << Format<T>::kFractionBits) - 1);
                    const Bits sign = static_cast<Bits>(engine() & 1u) << (sizeof(Bits) * 8 - 1);
                    return std::bit_cast<T>(static_cast<Bits>(sign | static_cast<Bits>(e) << Format<T>::kFractionBits | fraction));
                };
                const int64_t ea = uniform(0, kMaxBiased);
                const int64_t eb = std::clamp<int64_t>(uniform(0, kMaxBiased) + (Format<T>::kBias - ea) / 2, 0, kMaxBiased);
                o.a = with_exponent(ea);
                o.b = with_exponent(eb);
                o.c = with_exponent(std::clamp<int64_t>(ea + eb - Format<T>::kBias + uniform(-3 * kPrecision, 3 * kPrecision), 0, kMaxBiased));
                break;
            }
        }
        operands.push_back(o);
    }
    return operands;
}

#if defined(__aarch64__)
bool hardware_fma_available() { return true; }
float hardware_fma(float a, float b, float c) { return __builtin_fmaf(a, b, c); }  // FMADD (checked with -S)
double hardware_fma(double a, double b, double c) { return __builtin_fma(a, b, c); }
#elif defined(__x86_64__)
bool hardware_fma_available() { return __builtin_cpu_supports("fma"); }
__attribute__((target("fma"))) float hardware_fma(float a, float b, float c) {
    return _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(a), _mm_set_ss(b), _mm_set_ss(c)));
}
__attribute__((target("fma"))) double hardware_fma(double a, double b, double c) {
    return _mm_cvtsd_f64(_mm_fmadd_sd(_mm_set_sd(a), _mm_set_sd(b), _mm_set_sd(c)));
}
#else
bool hardware_fma_available() { return false; }
float hardware_fma(float, float, float) { return 0.0f; }
double hardware_fma(double, double, double) { return 0.0; }
#endif

float software_fma(float a, float b, float c) { return fma_by_rounding_to_odd(a, b, c); }
double software_fma(double a, double b, double c) { return fma_in_integers(a, b, c); }

template <class T>
void expect_hardware_fma_results(uint32_t seed) {
    if (!hardware_fma_available()) GTEST_SKIP() << "this CPU has no FMA instruction to compare with";
    int64_t mismatches = 0;
    for (const Operands<T>& o : random_operands<T>(ngtest::scaled_count(4 << 20), seed)) {
        const T expected = hardware_fma(o.a, o.b, o.c);
        const bool software_ok = same_value<T>(software_fma(o.a, o.b, o.c), expected);
        const bool chosen_ok = same_value<T>(fused_multiply_add(o.a, o.b, o.c), expected);
        if ((!software_ok || !chosen_ok) && ++mismatches <= 10) {
            ADD_FAILURE() << std::hexfloat << o.a << " * " << o.b << " + " << o.c << ": expected " << expected
                          << ", software gives " << software_fma(o.a, o.b, o.c) << ", fused_multiply_add "
                          << fused_multiply_add(o.a, o.b, o.c);
        }
    }
    EXPECT_EQ(mismatches, 0);
}

TEST(ExactFma, MatchesTheHardwareFmaInstruction) { expect_hardware_fma_results<float>(20261203); }
TEST(ExactFma, DoubleMatchesTheHardwareFmaInstruction) { expect_hardware_fma_results<double>(20261204); }

// Where long double's a * b + c is exact (its two-sum error is zero), converting it to float is
// the one rounding. long double is x87's 64-bit significand on x86-64 (MinGW too) and binary128
// on aarch64 Linux; at least the midpoint-with-aligned-c and cancelling cases are always exact.
TEST(ExactFma, MatchesLongDoubleWhereItsSumIsExact) {
    int64_t checked = 0, mismatches = 0;
    const std::vector<Operands<float>> operands = random_operands<float>(ngtest::scaled_count(4 << 20), 7);
    for (const Operands<float>& o : operands) {
        const long double product = static_cast<long double>(o.a) * o.b;
        const long double addend = o.c;
        const long double sum = product + addend;
        const long double addend_part = sum - product;
        if (!std::isfinite(sum) || (product - (sum - addend_part)) + (addend - addend_part) != 0) continue;
        ++checked;
        const float expected = static_cast<float>(sum);
        if (!same_value<float>(fma_by_rounding_to_odd(o.a, o.b, o.c), expected) && ++mismatches <= 10) {
            ADD_FAILURE() << std::hexfloat << o.a << " * " << o.b << " + " << o.c << ": expected " << expected
                          << ", got " << fma_by_rounding_to_odd(o.a, o.b, o.c);
        }
    }
    EXPECT_EQ(mismatches, 0);
    EXPECT_GT(checked, static_cast<int64_t>(operands.size() / 3)) << "too few exact long double sums to mean much";
}

}  // namespace
