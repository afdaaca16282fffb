// Helpers shared by the native tests: tier parameters, reproducible data, status assertions.
#ifndef NATIVEGRAD_TESTS_TEST_SUPPORT_H
#define NATIVEGRAD_TESTS_TEST_SUPPORT_H

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "cpu_dispatch.h"
#include "nativegrad.h"

namespace ngtest {

#if defined(NG_HAVE_X86_KERNELS)
inline const ng_cpu_tier kAllTiers[] = {NG_CPU_TIER_SCALAR, NG_CPU_TIER_AVX2, NG_CPU_TIER_AVX512};
#else
// Other architectures build the scalar tier only (every tier's table is the scalar one).
inline const ng_cpu_tier kAllTiers[] = {NG_CPU_TIER_SCALAR};
#endif

inline std::string tier_name(const testing::TestParamInfo<ng_cpu_tier>& info) {
    return ng::kernel_table(info.param).name;
}

// Uniform values in [-2, 2], reproducible from the seed.
template <class T>
std::vector<T> random_values(size_t count, uint32_t seed) {
    std::mt19937 engine(seed);
    std::uniform_real_distribution<T> distribution(T(-2), T(2));
    std::vector<T> values(count);
    for (T& value : values) value = distribution(engine);
    return values;
}

// Random values with special ones sprinkled in: zeros of both signs, infinities, NaN, the
// smallest subnormal, the largest finite value (whose square overflows).
template <class T>
std::vector<T> values_with_specials(size_t count, uint32_t seed) {
    using limits = std::numeric_limits<T>;
    const T specials[] = {T(0), -T(0), limits::infinity(), -limits::infinity(), limits::quiet_NaN(),
                          limits::denorm_min(), limits::max(), T(1)};
    std::vector<T> values = random_values<T>(count, seed);
    for (size_t i = seed % 5; i < count; i += 5) values[i] = specials[(i + seed) % std::size(specials)];
    return values;
}

// Values of any dtype's C++ type: floats as above with specials; int64 mostly small (either sign)
// with the extremes sprinkled in; bool bytes 0 or 1.
template <class T>
std::vector<T> test_values(size_t count, uint32_t seed) {
    if constexpr (std::is_floating_point_v<T>) {
        return values_with_specials<T>(count, seed);
    } else {
        std::mt19937 engine(seed);
        std::vector<T> values(count);
        if constexpr (std::is_same_v<T, int64_t>) {
            std::uniform_int_distribution<int64_t> distribution(-9, 9);
            for (T& value : values) value = distribution(engine);
            const int64_t extremes[] = {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(),
                                        int64_t{1} << 40, -(int64_t{1} << 40)};
            for (size_t i = seed % 7; i < count; i += 7) values[i] = extremes[(i + seed) % std::size(extremes)];
        } else {
            for (T& value : values) value = static_cast<T>(engine() & 1u);
        }
        return values;
    }
}

// The C++ type of a dtype's elements (bool is a byte).
template <ng_dtype D>
using DtypeT = std::conditional_t<D == NG_DTYPE_F32, float,
                                  std::conditional_t<D == NG_DTYPE_F64, double,
                                                     std::conditional_t<D == NG_DTYPE_I64, int64_t, uint8_t>>>;

inline const ng_dtype kAllDtypeValues[] = {NG_DTYPE_F32, NG_DTYPE_F64, NG_DTYPE_I64, NG_DTYPE_BOOL};

inline const char* dtype_label(ng_dtype dtype) {
    switch (dtype) {
        case NG_DTYPE_F32: return "F32";
        case NG_DTYPE_F64: return "F64";
        case NG_DTYPE_I64: return "I64";
        default: return "BOOL";
    }
}

// The number of random cases a heavy randomized test runs: `count`, divided by
// NATIVEGRAD_TEST_DIVISOR when the environment sets it to an integer > 1 (.ci/run's valgrind
// stage sets 64: memcheck runs code some 50 times slower, and the millions of cases are there for
// rare roundings, not for memory errors).
inline size_t scaled_count(size_t count) {
    const char* text = std::getenv("NATIVEGRAD_TEST_DIVISOR");
    const long divisor = text == nullptr ? 1 : std::strtol(text, nullptr, 10);
    return divisor > 1 ? std::max<size_t>(count / static_cast<size_t>(divisor), 1) : count;
}

// Calls f(T{}) with the C++ type of `dtype`.
template <class F>
void with_dtype(ng_dtype dtype, F&& f) {
    switch (dtype) {
        case NG_DTYPE_F32: f(float{}); break;
        case NG_DTYPE_F64: f(double{}); break;
        case NG_DTYPE_I64: f(int64_t{}); break;
        default: f(uint8_t{}); break;
    }
}

// Bit-for-bit equal, except that any NaN equals any NaN (the payload of a NaN result depends on
// which operand the compiler put first, which even the scalar tier does not fix).
template <class T>
bool same_value(T x, T y) {
    if constexpr (std::is_floating_point_v<T>) {
        if (std::isnan(x) && std::isnan(y)) return true;
    }
    return std::memcmp(&x, &y, sizeof(T)) == 0;
}

// Byte buffers of elements of dtype `dtype`, compared with same_value element by element.
inline bool same_elements(ng_dtype dtype, const void* x, const void* y, size_t count, size_t* first_difference) {
    bool same = true;
    with_dtype(dtype, [&](auto type) {
        using T = decltype(type);
        for (size_t i = 0; i < count && same; ++i) {
            T a, b;
            std::memcpy(&a, static_cast<const char*>(x) + i * sizeof(T), sizeof(T));
            std::memcpy(&b, static_cast<const char*>(y) + i * sizeof(T), sizeof(T));
            if (!same_value(a, b)) {
                same = false;
                *first_difference = i;
            }
        }
    });
    return same;
}

// Asserts a status and that the last error message contains each of the given fragments.
inline testing::AssertionResult failed_with(ng_status actual, ng_status expected,
                                            std::initializer_list<const char*> fragments) {
    const std::string message = ng_last_error_message();
    if (actual != expected) {
        return testing::AssertionFailure() << "status " << ng_status_to_string(actual) << ", expected "
                                           << ng_status_to_string(expected) << " (message: \"" << message << "\")";
    }
    for (const char* fragment : fragments) {
        if (message.find(fragment) == std::string::npos) {
            return testing::AssertionFailure() << "message \"" << message << "\" lacks \"" << fragment << "\"";
        }
    }
    return testing::AssertionSuccess();
}

}  // namespace ngtest

// A tier the running CPU cannot execute is skipped, not failed.
#define NG_SKIP_IF_TIER_UNSUPPORTED(tier)                                                      \
    do {                                                                                       \
        if (!ng::cpu_supports(tier))                                                           \
            GTEST_SKIP() << "this CPU cannot run the " << ng::kernel_table(tier).name << " tier"; \
    } while (0)

#endif
