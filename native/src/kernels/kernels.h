// The kernel table: function pointers for every kernel family, filled once per CPU tier.
//
// Each tier's kernels live in their own translation units, one per family (unary_avx2.cpp,
// binary_avx512.cpp, gemm_scalar.cpp...), compiled with that tier's instruction-set flags. A
// family's file defines its part of the table as constant data (constinit: no code runs to fill
// it), and kernel_table() hands out a table of pointers to those parts. So nothing runs AVX code
// before dispatch has checked that the CPU can.
//
// The op lists below drive everything else: the tables, the validation of op and dtype, and the
// messages. A new elementwise op is its enum value in the header, its functor in elementwise.h
// and one line here.
#ifndef NATIVEGRAD_SRC_KERNELS_KERNELS_H
#define NATIVEGRAD_SRC_KERNELS_KERNELS_H

#include <cstdint>

#include "nativegrad.h"

namespace ng {

// ---- Dtypes ---------------------------------------------------------------------------------------

inline constexpr int kDtypeCount = 4;  // NG_DTYPE_F32 .. NG_DTYPE_BOOL

// Sets of dtypes, one bit per ng_dtype.
inline constexpr int dtype_bit(ng_dtype dtype) { return 1 << static_cast<int>(dtype); }
inline constexpr int kFloatDtypes = dtype_bit(NG_DTYPE_F32) | dtype_bit(NG_DTYPE_F64);
inline constexpr int kNumericDtypes = kFloatDtypes | dtype_bit(NG_DTYPE_I64);
inline constexpr int kAllDtypes = kNumericDtypes | dtype_bit(NG_DTYPE_BOOL);

inline constexpr int64_t dtype_size(ng_dtype dtype) {
    switch (dtype) {
        case NG_DTYPE_F32: return 4;
        case NG_DTYPE_BOOL: return 1;
        default: return 8;
    }
}

// ---- Op lists: X(enum value, functor in elementwise.h / reduce_loops.h, dtypes it supports) ------
// Listed in enum order (kernel_tables.cpp checks it).

#define NG_UNARY_OP_LIST(X)                               \
    X(NG_UNARY_NEG, NegOp, ng::kNumericDtypes)            \
    X(NG_UNARY_EXP, ExpOp, ng::kFloatDtypes)              \
    X(NG_UNARY_LOG, LogOp, ng::kFloatDtypes)              \
    X(NG_UNARY_SQRT, SqrtOp, ng::kFloatDtypes)            \
    X(NG_UNARY_ABS, AbsOp, ng::kNumericDtypes)            \
    X(NG_UNARY_RELU, ReluOp, ng::kFloatDtypes)            \
    X(NG_UNARY_SIGMOID, SigmoidOp, ng::kFloatDtypes)      \
    X(NG_UNARY_TANH, TanhOp, ng::kFloatDtypes)            \
    X(NG_UNARY_SIN, SinOp, ng::kFloatDtypes)              \
    X(NG_UNARY_COS, CosOp, ng::kFloatDtypes)              \
    X(NG_UNARY_ERF, ErfOp, ng::kFloatDtypes)              \
    X(NG_UNARY_GELU, GeluOp, ng::kFloatDtypes)            \
    X(NG_UNARY_SIGN, SignOp, ng::kNumericDtypes)          \
    X(NG_UNARY_RECIPROCAL, ReciprocalOp, ng::kFloatDtypes)  \
    X(NG_UNARY_FLOOR, FloorOp, ng::kFloatDtypes)          \
    X(NG_UNARY_CEIL, CeilOp, ng::kFloatDtypes)            \
    X(NG_UNARY_ROUND, RoundOp, ng::kFloatDtypes)          \
    X(NG_UNARY_TRUNC, TruncOp, ng::kFloatDtypes)          \
    X(NG_UNARY_LOG1P, Log1pOp, ng::kFloatDtypes)          \
    X(NG_UNARY_EXPM1, Expm1Op, ng::kFloatDtypes)          \
    X(NG_UNARY_LOG2, Log2Op, ng::kFloatDtypes)            \
    X(NG_UNARY_LOG10, Log10Op, ng::kFloatDtypes)          \
    X(NG_UNARY_ASIN, AsinOp, ng::kFloatDtypes)            \
    X(NG_UNARY_ACOS, AcosOp, ng::kFloatDtypes)            \
    X(NG_UNARY_ATAN, AtanOp, ng::kFloatDtypes)            \
    X(NG_UNARY_SINH, SinhOp, ng::kFloatDtypes)            \
    X(NG_UNARY_COSH, CoshOp, ng::kFloatDtypes)

#define NG_BINARY_OP_LIST(X)                              \
    X(NG_BINARY_ADD, AddOp, ng::kNumericDtypes)           \
    X(NG_BINARY_MUL, MulOp, ng::kNumericDtypes)           \
    X(NG_BINARY_SUB, SubOp, ng::kNumericDtypes)           \
    X(NG_BINARY_DIV, DivOp, ng::kFloatDtypes)             \
    X(NG_BINARY_POW, PowOp, ng::kNumericDtypes)           \
    X(NG_BINARY_MAXIMUM, MaximumOp, ng::kNumericDtypes)   \
    X(NG_BINARY_MINIMUM, MinimumOp, ng::kNumericDtypes)   \
    X(NG_BINARY_EQ, EqOp, ng::kAllDtypes)                 \
    X(NG_BINARY_NE, NeOp, ng::kAllDtypes)                 \
    X(NG_BINARY_LT, LtOp, ng::kAllDtypes)                 \
    X(NG_BINARY_LE, LeOp, ng::kAllDtypes)                 \
    X(NG_BINARY_GT, GtOp, ng::kAllDtypes)                 \
    X(NG_BINARY_GE, GeOp, ng::kAllDtypes)                 \
    X(NG_BINARY_ATAN2, Atan2Op, ng::kFloatDtypes)         \
    X(NG_BINARY_HYPOT, HypotOp, ng::kFloatDtypes)         \
    X(NG_BINARY_FMOD, FmodOp, ng::kNumericDtypes)         \
    X(NG_BINARY_REMAINDER, RemainderOp, ng::kNumericDtypes) \
    X(NG_BINARY_BITWISE_AND, BitwiseAndOp, ng::dtype_bit(NG_DTYPE_I64)) \
    X(NG_BINARY_BITWISE_OR, BitwiseOrOp, ng::dtype_bit(NG_DTYPE_I64)) \
    X(NG_BINARY_BITWISE_XOR, BitwiseXorOp, ng::dtype_bit(NG_DTYPE_I64))

#define NG_REDUCE_OP_LIST(X)                              \
    X(NG_REDUCE_SUM, SumReduce, ng::kNumericDtypes)       \
    X(NG_REDUCE_MAX, MaxReduce, ng::kNumericDtypes)       \
    X(NG_REDUCE_MIN, MinReduce, ng::kNumericDtypes)

#define NG_COUNT_ONE(op, functor, dtypes) +1
inline constexpr int kUnaryOpCount = 0 NG_UNARY_OP_LIST(NG_COUNT_ONE);
inline constexpr int kBinaryOpCount = 0 NG_BINARY_OP_LIST(NG_COUNT_ONE);
inline constexpr int kReduceOpCount = 0 NG_REDUCE_OP_LIST(NG_COUNT_ONE);
#undef NG_COUNT_ONE

// The dtypes each op supports, indexed by op.
#define NG_DTYPES_OF(op, functor, dtypes) dtypes,
inline constexpr int kUnaryOpDtypes[] = {NG_UNARY_OP_LIST(NG_DTYPES_OF)};
inline constexpr int kBinaryOpDtypes[] = {NG_BINARY_OP_LIST(NG_DTYPES_OF)};
inline constexpr int kReduceOpDtypes[] = {NG_REDUCE_OP_LIST(NG_DTYPES_OF)};
#undef NG_DTYPES_OF

inline constexpr bool is_comparison(ng_binary_op op) { return op >= NG_BINARY_EQ && op <= NG_BINARY_GE; }

// ---- Kernel signatures ----------------------------------------------------------------------------
// Arguments are validated before any kernel runs: ops and dtypes are supported, counts >= 0, and
// pointers are valid wherever elements are read or written. Strides count elements.

// out[i] = op(x[i]) for i in [0, count), contiguous.
using UnaryKernel = void (*)(const void* x, void* out, int64_t count);

// One row of a strided binary op: out[i] = a[i * a_stride] op b[i * b_stride], out contiguous
// (bool bytes for comparisons).
using BinaryRowKernel = void (*)(int64_t count, const void* a, int64_t a_stride, const void* b, int64_t b_stride,
                                 void* out);

// One row of ng_add_scaled: out[i] = a[i * a_stride] + alpha * b[i * b_stride], rounded once, out
// contiguous; alpha points at one element of the row's dtype.
using AddScaledRowKernel = void (*)(int64_t count, const void* a, int64_t a_stride, const void* b, int64_t b_stride,
                                    const void* alpha, void* out);

// One row of ng_where: out[i] = cond[i * cond_stride] ? a[i * a_stride] : b[i * b_stride].
using WhereRowKernel = void (*)(int64_t count, const uint8_t* cond, int64_t cond_stride, const void* a,
                                int64_t a_stride, const void* b, int64_t b_stride, void* out);

// One row of ng_copy: dst[i * dst_stride] = convert(src[i * src_stride]).
using CopyRowKernel = void (*)(int64_t count, const void* src, int64_t src_stride, void* dst, int64_t dst_stride);

// The middle axis of a contiguous outer x length x inner block: out[o * inner + j] = the reduction
// over k of x[(o * length + k) * inner + j]; for MAX and MIN, indices (may be null) gets the first
// k of the extreme (of the first NaN when there is one). inner == 1: contiguous rows.
using ReduceKernel = void (*)(const void* x, int64_t outer, int64_t length, int64_t inner, void* out,
                             int64_t* indices);

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

// ng_gemm_batched: `count` products, member i at a + i * stride_a, b + i * stride_b and
// c + i * stride_c (strides in elements, >= 0, the members of C not overlapping).
struct GemmBatch {
    int64_t count;
    int64_t stride_a, stride_b, stride_c;
};

template <class T>
using GemmBatchedKernel = void (*)(const GemmArgs<T>& args, const GemmBatch& batch);

// ---- One tier's part per family (null where the op does not support the dtype) ------------------

struct UnaryKernels {
    UnaryKernel kernel[kUnaryOpCount][kDtypeCount];
};
struct BinaryKernels {
    BinaryRowKernel row[kBinaryOpCount][kDtypeCount];
    AddScaledRowKernel add_scaled[kDtypeCount];  // F32, F64 and I64
};
struct WhereKernels {
    WhereRowKernel row[kDtypeCount];
};
struct CopyKernels {
    CopyRowKernel row[kDtypeCount][kDtypeCount];  // [src dtype][dst dtype]
};
struct ReduceKernels {
    ReduceKernel kernel[kReduceOpCount][kDtypeCount];
};

struct KernelTable {
    ng_cpu_tier tier;
    const char* name;
    const UnaryKernels* unary_kernels;
    const BinaryKernels* binary_kernels;
    const WhereKernels* where_kernels;
    const CopyKernels* copy_kernels;
    const ReduceKernels* reduce_kernels;
    GemmKernel<float> gemm_f32;
    GemmKernel<double> gemm_f64;
    GemmBatchedKernel<float> gemm_batched_f32;
    GemmBatchedKernel<double> gemm_batched_f64;

    UnaryKernel unary(ng_unary_op op, ng_dtype dtype) const { return unary_kernels->kernel[op][dtype]; }
    BinaryRowKernel binary(ng_binary_op op, ng_dtype dtype) const { return binary_kernels->row[op][dtype]; }
    AddScaledRowKernel add_scaled(ng_dtype dtype) const { return binary_kernels->add_scaled[dtype]; }
    WhereRowKernel where(ng_dtype dtype) const { return where_kernels->row[dtype]; }
    CopyRowKernel copy(ng_dtype src, ng_dtype dst) const { return copy_kernels->row[src][dst]; }
    ReduceKernel reduce(ng_reduce_op op, ng_dtype dtype) const { return reduce_kernels->kernel[op][dtype]; }
    template <class T>
    GemmKernel<T> gemm() const {
        if constexpr (sizeof(T) == 4) return gemm_f32;
        else return gemm_f64;
    }
    template <class T>
    GemmBatchedKernel<T> gemm_batched() const {
        if constexpr (sizeof(T) == 4) return gemm_batched_f32;
        else return gemm_batched_f64;
    }
};

// The table of one tier, whether or not this CPU can run it (see cpu_dispatch.h for that).
const KernelTable& kernel_table(ng_cpu_tier tier);

// What each tier's files define; kernel_tables.cpp gathers them.
#define NG_DECLARE_TIER_KERNELS(tier)                  \
    namespace kernels::tier {                          \
    extern const UnaryKernels unary_kernels;           \
    extern const BinaryKernels binary_kernels;         \
    extern const WhereKernels where_kernels;           \
    extern const CopyKernels copy_kernels;             \
    extern const ReduceKernels reduce_kernels;         \
    void gemm_f32(const GemmArgs<float>& args);        \
    void gemm_f64(const GemmArgs<double>& args);       \
    void gemm_batched_f32(const GemmArgs<float>& args, const GemmBatch& batch);   \
    void gemm_batched_f64(const GemmArgs<double>& args, const GemmBatch& batch); \
    }

NG_DECLARE_TIER_KERNELS(scalar)
NG_DECLARE_TIER_KERNELS(avx2)
NG_DECLARE_TIER_KERNELS(avx512)

#undef NG_DECLARE_TIER_KERNELS

}  // namespace ng

#endif
