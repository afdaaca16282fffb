// Helpers shared by the native tests: tier parameters, reproducible data, status assertions.
#ifndef NATIVEGRAD_TESTS_TEST_SUPPORT_H
#define NATIVEGRAD_TESTS_TEST_SUPPORT_H

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "cpu_dispatch.h"
#include "nativegrad.h"

namespace ngtest {

inline const ng_cpu_tier kAllTiers[] = {NG_CPU_TIER_SCALAR, NG_CPU_TIER_AVX2, NG_CPU_TIER_AVX512};

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

// Bit-for-bit equal, except that any NaN equals any NaN (the payload of a NaN result depends on
// which operand the compiler put first, which even the scalar tier does not fix).
template <class T>
bool same_value(T x, T y) {
    if (std::isnan(x) && std::isnan(y)) return true;
    return std::memcmp(&x, &y, sizeof(T)) == 0;
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
