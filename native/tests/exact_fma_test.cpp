// fused_multiply_add and fma_by_rounding_to_odd (src/kernels/exact_fma.h): a * b + c rounded once.
//
// Three references: a table of hard cases whose results were worked out with exact rational
// arithmetic (Python's fractions, rounded to binary32 by hand: ties to even, subnormals,
// overflow), the CPU's own FMA instruction (aarch64's FMADD; x86's VFMADD when the CPU has it),
// and long double where its sum is exact. The random operands aim at where a double-rounded
// fmaf goes wrong: products that land on a float midpoint, with c far below (it only decides the
// tie) or aligned with them, c cancelling the product, subnormals, overflow and specials.
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

using ngtest::same_value;

struct HardCase {
    float a, b, c, expected;
};

const HardCase kHardCases[] = {
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

TEST(ExactFma, HardCases) {
    for (const HardCase& t : kHardCases) {
        EXPECT_PRED2(same_value<float>, fma_by_rounding_to_odd(t.a, t.b, t.c), t.expected)
            << std::hexfloat << t.a << " * " << t.b << " + " << t.c;
        EXPECT_PRED2(same_value<float>, fused_multiply_add(t.a, t.b, t.c), t.expected)
            << std::hexfloat << t.a << " * " << t.b << " + " << t.c;
    }
}

struct Operands {
    float a, b, c;
};

// Reproducible operands of the kinds the file comment lists, a quarter of each.
std::vector<Operands> random_operands(size_t count, uint32_t seed) {
    std::mt19937 engine(seed);
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(engine); };
    auto any_float = [&] { return std::bit_cast<float>(static_cast<uint32_t>(engine())); };
    auto signed_one = [&] { return (engine() & 1u) != 0 ? 1.0f : -1.0f; };
    std::vector<Operands> operands;
    operands.reserve(count);
    while (operands.size() < count) {
        Operands o{};
        switch (operands.size() % 4) {
            case 0: {
                // An odd 12-bit times an odd 13-bit integer: a 25-bit odd product is a float midpoint.
                const float a = static_cast<float>(2 * uniform(1024, 2047) + 1);
                const float b = static_cast<float>(2 * uniform(2048, 4095) + 1);
                const int scale = uniform(-120, 100);
                o.a = std::ldexp(a, scale / 2) * signed_one();
                o.b = std::ldexp(b, scale - scale / 2);
                // c: zero, far below the product, or a small integer multiple of the product's float ulp.
                const int kind = uniform(0, 2);
                const float product_scale = std::ldexp(1.0f, scale);
                o.c = kind == 0   ? 0.0f
                      : kind == 1 ? std::ldexp(1.0f, std::max(-149, scale - uniform(30, 140))) * signed_one()
                                  : product_scale * static_cast<float>(2 * uniform(-40, 40));
                break;
            }
            case 1:  // anything, NaN and infinities included
                o = {any_float(), any_float(), any_float()};
                break;
            case 2: {
                // c cancels the product to its low half, give or take a few ulps.
                o.a = std::ldexp(std::uniform_real_distribution<float>(1.0f, 2.0f)(engine), uniform(-70, 60));
                o.b = std::ldexp(std::uniform_real_distribution<float>(-2.0f, 2.0f)(engine), uniform(-70, 60));
                float rounded = o.a * o.b;
                for (int k = uniform(-3, 3); k != 0; k += k > 0 ? -1 : 1)
                    rounded = std::nextafter(rounded, k > 0 ? kInf : -kInf);
                o.c = -rounded;
                break;
            }
            default: {
                // Exponents from the subnormals to overflow, with c at any distance from the product.
                auto with_exponent = [&](int e) {
                    const uint32_t mantissa = engine() & 0x7FFFFFu;
                    const uint32_t sign = engine() & 0x80000000u;
                    return std::bit_cast<float>(sign | static_cast<uint32_t>(e) << 23 | mantissa);
                };
                const int ea = uniform(0, 254), eb = std::clamp(uniform(0, 254) + (127 - ea) / 2, 0, 254);
                o.a = with_exponent(ea);
                o.b = with_exponent(eb);
                o.c = with_exponent(std::clamp(ea + eb - 127 + uniform(-60, 60), 0, 254));
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
#elif defined(__x86_64__)
bool hardware_fma_available() { return __builtin_cpu_supports("fma"); }
__attribute__((target("fma"))) float hardware_fma(float a, float b, float c) {
    return _mm_cvtss_f32(_mm_fmadd_ss(_mm_set_ss(a), _mm_set_ss(b), _mm_set_ss(c)));
}
#else
bool hardware_fma_available() { return false; }
float hardware_fma(float, float, float) { return 0.0f; }
#endif

TEST(ExactFma, MatchesTheHardwareFmaInstruction) {
    if (!hardware_fma_available()) GTEST_SKIP() << "this CPU has no FMA instruction to compare with";
    int64_t mismatches = 0;
    for (const Operands& o : random_operands(4 << 20, 20261203)) {
        const float expected = hardware_fma(o.a, o.b, o.c);
        const bool software_ok = same_value<float>(fma_by_rounding_to_odd(o.a, o.b, o.c), expected);
        const bool chosen_ok = same_value<float>(fused_multiply_add(o.a, o.b, o.c), expected);
        if ((!software_ok || !chosen_ok) && ++mismatches <= 10) {
            ADD_FAILURE() << std::hexfloat << o.a << " * " << o.b << " + " << o.c << ": expected " << expected
                          << ", rounding to odd gives " << fma_by_rounding_to_odd(o.a, o.b, o.c)
                          << ", fused_multiply_add " << fused_multiply_add(o.a, o.b, o.c);
        }
    }
    EXPECT_EQ(mismatches, 0);
}

// Where long double's a * b + c is exact (its two-sum error is zero), converting it to float is
// the one rounding. long double is x87's 64-bit significand on x86-64 (MinGW too) and binary128
// on aarch64 Linux; at least the midpoint-with-aligned-c and cancelling cases are always exact.
TEST(ExactFma, MatchesLongDoubleWhereItsSumIsExact) {
    int64_t checked = 0, mismatches = 0;
    const std::vector<Operands> operands = random_operands(4 << 20, 7);
    for (const Operands& o : operands) {
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
