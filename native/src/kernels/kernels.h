// The kernel table: one function pointer per kernel per dtype, filled once per CPU tier.
//
// Each tier's kernels live in their own translation units (binary_avx2.cpp, gemm_avx512.cpp...),
// compiled with that tier's instruction-set flags. Only those files get the flags: the tables
// themselves are built in kernel_tables.cpp with baseline flags, so nothing runs AVX code before
// dispatch has checked that the CPU can.
#ifndef NATIVEGRAD_SRC_KERNELS_KERNELS_H
#define NATIVEGRAD_SRC_KERNELS_KERNELS_H

#include <cstdint>

#include "nativegrad.h"

// Every ng_binary_op, in enum order: X(enum value, kernel name, functor in elementwise.h).
// A new elementwise op is its functor plus one line here (and its enum value in the header).
#define NG_BINARY_OP_LIST(X)        \
    X(NG_BINARY_ADD, add, AddOp)    \
    X(NG_BINARY_MUL, mul, MulOp)

namespace ng {

#define NG_COUNT_ONE(op, name, functor) +1
inline constexpr int kBinaryOpCount = 0 NG_BINARY_OP_LIST(NG_COUNT_ONE);
#undef NG_COUNT_ONE

template <class T>
using BinaryKernel = void (*)(const T* a, const T* b, T* out, int64_t count);

// ng_gemm's arguments after validation: trans flags are 0/1, sizes >= 0, leading dimensions fit,
// and pointers are non-null wherever elements are read or written.
template <class T>
struct GemmArgs {
    bool trans_a;
    bool trans_b;
    int64_t m, n, k;
    T alpha;
    const T* a;
    int64_t lda;
    const T* b;
    int64_t ldb;
    T beta;
    T* c;
    int64_t ldc;
};

template <class T>
using GemmKernel = void (*)(const GemmArgs<T>& args);

struct KernelTable {
    ng_cpu_tier tier;
    const char* name;
    BinaryKernel<float> binary_f32[kBinaryOpCount];
    BinaryKernel<double> binary_f64[kBinaryOpCount];
    GemmKernel<float> gemm_f32;
    GemmKernel<double> gemm_f64;

    template <class T>
    BinaryKernel<T> binary(ng_binary_op op) const {
        if constexpr (sizeof(T) == 4) return binary_f32[op];
        else return binary_f64[op];
    }
    template <class T>
    GemmKernel<T> gemm() const {
        if constexpr (sizeof(T) == 4) return gemm_f32;
        else return gemm_f64;
    }
};

// The table of one tier, whether or not this CPU can run it (see cpu_dispatch.h for that).
const KernelTable& kernel_table(ng_cpu_tier tier);

// The functions each tier's files define; kernel_tables.cpp gathers them.
#define NG_DECLARE_BINARY_KERNEL(op, name, functor)                      \
    void name##_f32(const float* a, const float* b, float* out, int64_t count); \
    void name##_f64(const double* a, const double* b, double* out, int64_t count);
#define NG_DECLARE_TIER_KERNELS(tier)                 \
    namespace kernels::tier {                         \
    NG_BINARY_OP_LIST(NG_DECLARE_BINARY_KERNEL)       \
    void gemm_f32(const GemmArgs<float>& args);       \
    void gemm_f64(const GemmArgs<double>& args);      \
    }

NG_DECLARE_TIER_KERNELS(scalar)
NG_DECLARE_TIER_KERNELS(avx2)
NG_DECLARE_TIER_KERNELS(avx512)

#undef NG_DECLARE_TIER_KERNELS
#undef NG_DECLARE_BINARY_KERNEL

}  // namespace ng

#endif
