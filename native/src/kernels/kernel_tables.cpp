// The three kernel tables. Built here, with baseline compiler flags, as constant data pointing at
// each tier's constant per-family parts: no code from a tier's files runs before dispatch has
// chosen that tier.
#include "kernels/kernels.h"

namespace ng {
namespace {

#define NG_OP_VALUE(op, functor, dtypes) static_cast<int>(op),
constexpr int kUnaryListed[] = {NG_UNARY_OP_LIST(NG_OP_VALUE)};
constexpr int kBinaryListed[] = {NG_BINARY_OP_LIST(NG_OP_VALUE)};
constexpr int kReduceListed[] = {NG_REDUCE_OP_LIST(NG_OP_VALUE)};
#undef NG_OP_VALUE

template <int N>
consteval bool listed_in_enum_order(const int (&listed)[N]) {
    for (int i = 0; i < N; ++i)
        if (listed[i] != i) return false;
    return true;
}
static_assert(listed_in_enum_order(kUnaryListed), "NG_UNARY_OP_LIST must list every ng_unary_op in enum order");
static_assert(listed_in_enum_order(kBinaryListed), "NG_BINARY_OP_LIST must list every ng_binary_op in enum order");
static_assert(listed_in_enum_order(kReduceListed), "NG_REDUCE_OP_LIST must list every ng_reduce_op in enum order");

#define NG_DEFINE_TABLE(variable, tier_enum, tier_namespace)                                              \
    constexpr KernelTable variable{tier_enum,                                                             \
                                   #tier_namespace,                                                       \
                                   &kernels::tier_namespace::unary_kernels,                               \
                                   &kernels::tier_namespace::binary_kernels,                              \
                                   &kernels::tier_namespace::where_kernels,                               \
                                   &kernels::tier_namespace::copy_kernels,                                \
                                   &kernels::tier_namespace::reduce_kernels,                              \
                                   &kernels::tier_namespace::gemm_f32,                                    \
                                   &kernels::tier_namespace::gemm_f64,                                    \
                                   &kernels::tier_namespace::gemm_batched_f32,                            \
                                   &kernels::tier_namespace::gemm_batched_f64};

NG_DEFINE_TABLE(kScalarTable, NG_CPU_TIER_SCALAR, scalar)
#if defined(NG_HAVE_X86_KERNELS)
NG_DEFINE_TABLE(kAvx2Table, NG_CPU_TIER_AVX2, avx2)
NG_DEFINE_TABLE(kAvx512Table, NG_CPU_TIER_AVX512, avx512)
#else
// No x86 kernels were built; dispatch never selects these tiers, and tests skip them.
constexpr const KernelTable& kAvx2Table = kScalarTable;
constexpr const KernelTable& kAvx512Table = kScalarTable;
#endif

#undef NG_DEFINE_TABLE

}  // namespace

const KernelTable& kernel_table(ng_cpu_tier tier) {
    switch (tier) {
        case NG_CPU_TIER_AVX2: return kAvx2Table;
        case NG_CPU_TIER_AVX512: return kAvx512Table;
        default: return kScalarTable;
    }
}

}  // namespace ng
