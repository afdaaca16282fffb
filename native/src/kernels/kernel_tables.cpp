// The three kernel tables. Built here, with baseline compiler flags, as constant data: no code
// from a tier's files runs before dispatch has chosen that tier.
#include "kernels/kernels.h"

namespace ng {
namespace {

#define NG_OP_VALUE(op, name, functor) op,
constexpr ng_binary_op kListedOps[] = {NG_BINARY_OP_LIST(NG_OP_VALUE)};
#undef NG_OP_VALUE

consteval bool ops_listed_in_enum_order() {
    for (int i = 0; i < kBinaryOpCount; ++i)
        if (kListedOps[i] != i) return false;
    return true;
}
static_assert(ops_listed_in_enum_order(), "NG_BINARY_OP_LIST must list every ng_binary_op in enum order");

#define NG_F32_ENTRY(op, name, functor) &tier_kernels::name##_f32,
#define NG_F64_ENTRY(op, name, functor) &tier_kernels::name##_f64,
#define NG_DEFINE_TABLE(variable, tier_enum, tier_namespace)                                       \
    namespace variable##_scope {                                                                   \
    namespace tier_kernels = kernels::tier_namespace;                                              \
    constexpr KernelTable table{tier_enum,                                                         \
                                #tier_namespace,                                                   \
                                {NG_BINARY_OP_LIST(NG_F32_ENTRY)},                                 \
                                {NG_BINARY_OP_LIST(NG_F64_ENTRY)},                                 \
                                &tier_kernels::gemm_f32,                                           \
                                &tier_kernels::gemm_f64};                                          \
    }                                                                                              \
    constexpr const KernelTable& variable = variable##_scope::table;

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
#undef NG_F64_ENTRY
#undef NG_F32_ENTRY

}  // namespace

const KernelTable& kernel_table(ng_cpu_tier tier) {
    switch (tier) {
        case NG_CPU_TIER_AVX2: return kAvx2Table;
        case NG_CPU_TIER_AVX512: return kAvx512Table;
        default: return kScalarTable;
    }
}

}  // namespace ng
