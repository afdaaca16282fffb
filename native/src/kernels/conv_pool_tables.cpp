// The three window-kernel tables, built with baseline flags as constant data pointing at each
// tier's constant parts (see kernel_tables.cpp for why).
#include "kernels/conv_pool.h"

namespace ng {
namespace {

#define NG_DEFINE_WINDOW_TABLE(variable, tier)                                           \
    constexpr ConvPoolTable variable{&kernels::tier::conv_f32, &kernels::tier::conv_f64, \
                                     &kernels::tier::pool_f32, &kernels::tier::pool_f64};

NG_DEFINE_WINDOW_TABLE(kScalarWindowTable, scalar)
#if defined(NG_HAVE_X86_KERNELS)
NG_DEFINE_WINDOW_TABLE(kAvx2WindowTable, avx2)
NG_DEFINE_WINDOW_TABLE(kAvx512WindowTable, avx512)
#else
constexpr const ConvPoolTable& kAvx2WindowTable = kScalarWindowTable;
constexpr const ConvPoolTable& kAvx512WindowTable = kScalarWindowTable;
#endif

#undef NG_DEFINE_WINDOW_TABLE

}  // namespace

const ConvPoolTable& conv_pool_kernels(ng_cpu_tier tier) {
    switch (tier) {
        case NG_CPU_TIER_AVX2: return kAvx2WindowTable;
        case NG_CPU_TIER_AVX512: return kAvx512WindowTable;
        default: return kScalarWindowTable;
    }
}

}  // namespace ng
