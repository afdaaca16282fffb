// CPU detection and tier selection. The .NET build runs this binary with NATIVEGRAD_CPU unset,
// scalar, avx2 and avx512; ActiveTierHonoursEnvironment checks the outcome in each of those runs,
// and the SelectTier tests cover every name in-process.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "cpu_dispatch.h"
#include "test_support.h"

namespace {

constexpr int32_t kAvx2Features = NG_CPU_FEATURE_SSE42 | NG_CPU_FEATURE_AVX | NG_CPU_FEATURE_AVX2 | NG_CPU_FEATURE_FMA;
constexpr int32_t kAllFeatures = kAvx2Features | NG_CPU_FEATURE_AVX512F | NG_CPU_FEATURE_AVX512DQ |
                                 NG_CPU_FEATURE_AVX512BW | NG_CPU_FEATURE_AVX512VL;

bool x86_kernels_built() {
#if defined(NG_HAVE_X86_KERNELS)
    return true;
#else
    return false;
#endif
}

TEST(CpuDispatch, ActiveTierHonoursEnvironment) {
    const char* requested = std::getenv("NATIVEGRAD_CPU");
    ng_cpu_info info{-7, -7, -7, -7};
    const ng_status status = ng_cpu_features(&info);
    EXPECT_EQ(info.best_tier, ng::best_tier(info.features));
    EXPECT_EQ(ng::active_kernels().tier, info.active_tier);

    const std::string name = requested != nullptr ? requested : "";
    if (name.empty()) {
        EXPECT_EQ(status, NG_STATUS_OK) << ng_last_error_message();
        EXPECT_EQ(info.requested_tier, -1);
        EXPECT_EQ(info.active_tier, info.best_tier) << "unset NATIVEGRAD_CPU must run the best tier";
        return;
    }
    for (ng_cpu_tier tier : ngtest::kAllTiers) {
        if (name != ng::kernel_table(tier).name) continue;
        EXPECT_EQ(status, NG_STATUS_OK) << ng_last_error_message();
        EXPECT_EQ(info.requested_tier, tier);
        if (ng::cpu_supports(tier)) {
            EXPECT_EQ(info.active_tier, tier) << "NATIVEGRAD_CPU=" << name;
        } else {
            EXPECT_EQ(info.active_tier, info.best_tier) << "NATIVEGRAD_CPU=" << name << " is unsupported here";
        }
        return;
    }
    EXPECT_TRUE(ngtest::failed_with(status, NG_STATUS_INVALID_ARGUMENT,
                                    {"ng_cpu_features: NATIVEGRAD_CPU is \"", name.c_str(), "\""}));
    EXPECT_EQ(info.requested_tier, -1);
    EXPECT_EQ(info.active_tier, info.best_tier);
}

TEST(CpuDispatch, DetectionIsConsistent) {
    ng_cpu_info info{};
    (void)ng_cpu_features(&info);  // may be INVALID_ARGUMENT under a bad NATIVEGRAD_CPU; *out is filled anyway
    EXPECT_EQ(info.features, ng::detect_cpu_features());
    if (ng::cpu_supports(NG_CPU_TIER_AVX512)) {
        EXPECT_TRUE(ng::cpu_supports(NG_CPU_TIER_AVX2));
    }
    EXPECT_TRUE(ng::cpu_supports(NG_CPU_TIER_SCALAR));
    if (info.features & NG_CPU_FEATURE_AVX2) {
        EXPECT_TRUE(info.features & NG_CPU_FEATURE_AVX) << "AVX2 without AVX";
    }
    EXPECT_GE(info.best_tier, NG_CPU_TIER_SCALAR);
    EXPECT_LE(info.best_tier, NG_CPU_TIER_AVX512);
}

TEST(CpuDispatch, KernelTablesKnowTheirTier) {
    for (ng_cpu_tier tier : ngtest::kAllTiers) {
        const ng::KernelTable& table = ng::kernel_table(tier);
        if (x86_kernels_built() || tier == NG_CPU_TIER_SCALAR) {
            EXPECT_EQ(table.tier, tier);
        }
        // Every family's part is there (which entries each holds is checked per family).
        EXPECT_NE(table.unary_kernels, nullptr);
        EXPECT_NE(table.binary_kernels, nullptr);
        EXPECT_NE(table.where_kernels, nullptr);
        EXPECT_NE(table.copy_kernels, nullptr);
        EXPECT_NE(table.reduce_kernels, nullptr);
        EXPECT_NE(table.binary(NG_BINARY_ADD, NG_DTYPE_F32), nullptr);
        EXPECT_NE(table.gemm_f32, nullptr);
        EXPECT_NE(table.gemm_f64, nullptr);
    }
}

TEST(SelectTier, UnsetOrEmptyRunsTheBest) {
    for (const char* value : {static_cast<const char*>(nullptr), ""}) {
        const ng::CpuSelection selection = ng::select_cpu_tier(kAllFeatures, value);
        EXPECT_EQ(selection.requested, -1);
        EXPECT_TRUE(selection.error.empty());
        EXPECT_EQ(selection.active, selection.best);
    }
}

TEST(SelectTier, BestTierFollowsFeatures) {
    if (!x86_kernels_built()) GTEST_SKIP() << "only the scalar tier is built on this architecture";
    EXPECT_EQ(ng::best_tier(0), NG_CPU_TIER_SCALAR);
    EXPECT_EQ(ng::best_tier(NG_CPU_FEATURE_AVX | NG_CPU_FEATURE_AVX2), NG_CPU_TIER_SCALAR) << "AVX2 without FMA";
    EXPECT_EQ(ng::best_tier(kAvx2Features), NG_CPU_TIER_AVX2);
    EXPECT_EQ(ng::best_tier(kAvx2Features | NG_CPU_FEATURE_AVX512F), NG_CPU_TIER_AVX2) << "F alone is not enough";
    EXPECT_EQ(ng::best_tier(kAllFeatures & ~NG_CPU_FEATURE_AVX512BW), NG_CPU_TIER_AVX2);
    EXPECT_EQ(ng::best_tier(kAllFeatures), NG_CPU_TIER_AVX512);
}

TEST(SelectTier, ForcedTiersAndFallback) {
    if (!x86_kernels_built()) GTEST_SKIP() << "only the scalar tier is built on this architecture";
    struct Case {
        int32_t features;
        const char* name;
        int32_t requested;
        ng_cpu_tier active;
    };
    const Case cases[] = {
        {kAllFeatures, "scalar", NG_CPU_TIER_SCALAR, NG_CPU_TIER_SCALAR},
        {kAllFeatures, "avx2", NG_CPU_TIER_AVX2, NG_CPU_TIER_AVX2},
        {kAllFeatures, "avx512", NG_CPU_TIER_AVX512, NG_CPU_TIER_AVX512},
        {kAllFeatures, "AVX2", NG_CPU_TIER_AVX2, NG_CPU_TIER_AVX2},
        {kAvx2Features, "avx512", NG_CPU_TIER_AVX512, NG_CPU_TIER_AVX2},  // unsupported: best instead
        {0, "avx2", NG_CPU_TIER_AVX2, NG_CPU_TIER_SCALAR},
        {0, "scalar", NG_CPU_TIER_SCALAR, NG_CPU_TIER_SCALAR},
    };
    for (const Case& c : cases) {
        const ng::CpuSelection selection = ng::select_cpu_tier(c.features, c.name);
        EXPECT_EQ(selection.requested, c.requested) << c.name;
        EXPECT_EQ(selection.active, c.active) << c.name << " with features " << c.features;
        EXPECT_TRUE(selection.error.empty()) << selection.error;
    }
}

TEST(SelectTier, UnknownNameRunsTheBestAndSaysWhy) {
    for (const char* name : {"sse", "avx", "avx512f", "avx2 ", "bogus"}) {
        const ng::CpuSelection selection = ng::select_cpu_tier(kAvx2Features, name);
        EXPECT_EQ(selection.requested, -1) << name;
        EXPECT_EQ(selection.active, selection.best) << name;
        EXPECT_NE(selection.error.find(std::string("NATIVEGRAD_CPU is \"") + name + "\""), std::string::npos)
            << selection.error;
        EXPECT_NE(selection.error.find("expected scalar, avx2 or avx512"), std::string::npos) << selection.error;
    }
}

}  // namespace
