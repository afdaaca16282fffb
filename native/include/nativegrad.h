/*
 * nativegrad.h - the C ABI of NativeGrad's native core.
 *
 * NativeGrad is reverse-mode automatic differentiation for .NET with PyTorch's semantics. The
 * autograd graph, shapes, broadcasting rules and dtype promotion live in C#; this library owns
 * the hot loops: aligned storage with a size-class cache, and SIMD kernels chosen once per process
 * from what the CPU offers (scalar reference, AVX2+FMA, AVX-512).
 *
 * Conventions, for every declaration below:
 *  - Everything is prefixed: ng_ functions and types, NG_ macros and enum values.
 *  - Only fixed-width types cross the ABI (int32_t, int64_t, float, double, pointers), so every
 *    signature maps to blittable C# without marshalling. Sizes and counts are int64_t so that a
 *    negative value from a caller is reported instead of wrapping to a huge size_t.
 *  - Every fallible function returns ng_status: NG_STATUS_OK (0) or a negative code. On error,
 *    ng_last_error_message() on the same thread says what was wrong. No C++ exception crosses
 *    the ABI and no bad argument aborts the process.
 *  - Tensor data is row-major, of the dtype the call names, and either contiguous or described by
 *    per-operand strides (see "Strided tensor arguments"); the caller owns every buffer it passes.
 *    Output buffers may alias inputs exactly (in-place) but must not partially overlap them.
 *  - Functions are thread-safe unless their comment says otherwise.
 */
#ifndef NATIVEGRAD_H
#define NATIVEGRAD_H

#include <stddef.h>
#include <stdint.h>

/* Bump MAJOR on any ABI break, MINOR when exports are added, PATCH for fixes. The managed layer
 * refuses to load a library whose MAJOR.MINOR differs from the header it was generated from. */
#define NG_VERSION_MAJOR 0
#define NG_VERSION_MINOR 3
#define NG_VERSION_PATCH 0
#define NG_VERSION_NUMBER (NG_VERSION_MAJOR * 10000 + NG_VERSION_MINOR * 100 + NG_VERSION_PATCH)

#if defined(NG_STATIC)
   /* linking libnativegrad.a (or its objects) directly: no import or export decoration */
#  define NG_API
#elif defined(_WIN32)
#  if defined(NG_BUILDING_LIBRARY)
#    define NG_API __declspec(dllexport)
#  else
#    define NG_API __declspec(dllimport)
#  endif
#else
#  define NG_API __attribute__((visibility("default")))
#endif

/* In C an enum parameter holds any int. In C++ an enum without a fixed underlying type holds only
 * the values its enumerators' bit range covers, so a caller's out-of-range dtype or op would be
 * undefined behaviour inside the library before it could be rejected; C++ sees every ABI enum
 * with int32_t underneath (the same 4 bytes as C's int), so every value is one it can check. */
#ifdef __cplusplus
#  define NG_ENUM_INT32 : int32_t
#else
#  define NG_ENUM_INT32
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Status codes. Values are pinned and append-only; each group leaves gaps for new codes.
 * ------------------------------------------------------------------------------------------- */
typedef enum ng_status NG_ENUM_INT32 {
    NG_STATUS_OK = 0,

    /* The caller passed something wrong (-1 .. -19). */
    NG_STATUS_NULL_POINTER = -1,      /* a required pointer argument was NULL */
    NG_STATUS_INVALID_ARGUMENT = -2,  /* an enum, flag or value outside its documented range */
    NG_STATUS_INVALID_SIZE = -3,      /* a negative size or count, or one whose bytes overflow */
    NG_STATUS_SHAPE_MISMATCH = -4,    /* dimensions or leading dimensions that do not fit together */
    NG_STATUS_UNSUPPORTED_DTYPE = -5, /* the operation is not defined for that dtype */

    /* The machine could not do it (-20 .. -39). */
    NG_STATUS_OUT_OF_MEMORY = -20,    /* an allocation failed or its size is impossible */

    /* A bug in NativeGrad (-90 .. -99). */
    NG_STATUS_INTERNAL = -90          /* an unexpected C++ exception; the message names it */
} ng_status;

/* A static, human-readable name for a status ("NG_STATUS_SHAPE_MISMATCH"), or "unknown status".
 * Never NULL; the caller must not free it. */
NG_API const char* ng_status_to_string(ng_status status);

/* The message of the last failed call on this thread, or "" if none has failed. The pointer stays
 * valid until the next failing call on the same thread; the caller must not free it. */
NG_API const char* ng_last_error_message(void);

/* ---------------------------------------------------------------------------------------------
 * Version.
 * ------------------------------------------------------------------------------------------- */

/* NG_VERSION_NUMBER of the library that is loaded (MAJOR * 10000 + MINOR * 100 + PATCH). */
NG_API int32_t ng_version_number(void);

/* ---------------------------------------------------------------------------------------------
 * Element types.
 * ------------------------------------------------------------------------------------------- */
typedef enum ng_dtype NG_ENUM_INT32 {
    NG_DTYPE_F32 = 0,  /* float, the default dtype */
    NG_DTYPE_F64 = 1,  /* double */
    NG_DTYPE_I64 = 2,  /* int64_t, for indices and class targets */
    NG_DTYPE_BOOL = 3  /* one byte per element, 0 or 1, for masks */
} ng_dtype;

/* ---------------------------------------------------------------------------------------------
 * Storage: 64-byte aligned blocks with a size-class cache.
 *
 * Freed blocks are kept per size class (up to the cache limit) and handed out again, so a
 * training loop that allocates the same shapes every step stops page-faulting after its first.
 * ------------------------------------------------------------------------------------------- */

/* Allocates `bytes` bytes (uninitialised, 64-byte aligned) into *out_ptr. bytes == 0 gives a
 * valid, unique, freeable pointer. Release it with ng_storage_free.
 * Returns NG_STATUS_NULL_POINTER (out_ptr NULL), NG_STATUS_INVALID_SIZE (bytes < 0) or
 * NG_STATUS_OUT_OF_MEMORY (the system refused, or bytes is too large to ever succeed); on error
 * *out_ptr is set to NULL. */
NG_API ng_status ng_storage_alloc(int64_t bytes, void** out_ptr);

/* Returns a block from ng_storage_alloc to the cache (or to the system when the cache is full).
 * NULL is a no-op. Freeing any other pointer, or a block twice, is undefined. */
NG_API void ng_storage_free(void* ptr);

/* Counters of the storage allocator, all since the process started except the two byte gauges. */
typedef struct ng_memory_counters {
    int64_t live_bytes;     /* bytes in blocks handed out and not yet freed (requested sizes) */
    int64_t cached_bytes;   /* bytes in freed blocks kept for reuse (size-class sizes) */
    int64_t alloc_count;    /* successful ng_storage_alloc calls */
    int64_t free_count;     /* ng_storage_free calls with a non-NULL pointer */
    int64_t cache_hits;     /* allocations served from the cache without asking the system */
    int64_t cache_limit;    /* the most bytes the cache keeps; see ng_memory_set_cache_limit */
} ng_memory_counters;

/* Fills *out with a consistent snapshot of the allocator's counters.
 * Returns NG_STATUS_NULL_POINTER when out is NULL. */
NG_API ng_status ng_memory_stats(ng_memory_counters* out);

/* Returns every cached block to the system; live blocks are untouched. */
NG_API void ng_memory_trim(void);

/* Sets the most bytes the cache may keep (default 1 GiB, or NATIVEGRAD_CACHE_LIMIT=<bytes> from
 * the environment when the allocator first starts); 0 disables caching. Shrinking the
 * limit releases cached blocks until the cache fits. Returns NG_STATUS_INVALID_SIZE when
 * bytes < 0. */
NG_API ng_status ng_memory_set_cache_limit(int64_t bytes);

/* ---------------------------------------------------------------------------------------------
 * CPU dispatch.
 *
 * CPUID and XGETBV are read once, at the first call into the library; the best tier the CPU and
 * the operating system support is chosen and its kernels are used for the life of the process.
 * The environment variable NATIVEGRAD_CPU=scalar|avx2|avx512, read at the same moment, forces a
 * lower tier (for tests and comparisons); a forced tier the CPU cannot run falls back to the best
 * it can, and ng_cpu_features reports both.
 * ------------------------------------------------------------------------------------------- */
typedef enum ng_cpu_tier NG_ENUM_INT32 {
    NG_CPU_TIER_SCALAR = 0,  /* portable C++, the reference every other tier is tested against */
    NG_CPU_TIER_AVX2 = 1,    /* AVX2 + FMA, 256-bit */
    NG_CPU_TIER_AVX512 = 2   /* AVX-512 F (+ DQ, BW, VL where present), 512-bit */
} ng_cpu_tier;

/* Bits of ng_cpu_info.features: what CPUID and XGETBV found usable. */
typedef enum ng_cpu_feature NG_ENUM_INT32 {
    NG_CPU_FEATURE_SSE42 = 1,
    NG_CPU_FEATURE_AVX = 2,
    NG_CPU_FEATURE_AVX2 = 4,
    NG_CPU_FEATURE_FMA = 8,
    NG_CPU_FEATURE_AVX512F = 16,
    NG_CPU_FEATURE_AVX512DQ = 32,
    NG_CPU_FEATURE_AVX512BW = 64,
    NG_CPU_FEATURE_AVX512VL = 128
} ng_cpu_feature;

typedef struct ng_cpu_info {
    int32_t features;        /* NG_CPU_FEATURE_* bits found on this CPU */
    int32_t best_tier;       /* the best ng_cpu_tier this CPU and OS can run */
    int32_t active_tier;     /* the ng_cpu_tier whose kernels run */
    int32_t requested_tier;  /* the tier NATIVEGRAD_CPU asked for, or -1 when it is not set */
} ng_cpu_info;

/* Fills *out with what was detected and what runs. Returns NG_STATUS_NULL_POINTER when out is
 * NULL, NG_STATUS_INVALID_ARGUMENT when NATIVEGRAD_CPU holds an unknown name (the message names
 * it; the best tier runs). */
NG_API ng_status ng_cpu_features(ng_cpu_info* out);

/* ---------------------------------------------------------------------------------------------
 * Threads.
 *
 * Large kernels split across a persistent pool of worker threads: GEMM over its row and column
 * blocks, elementwise ops, copies and ng_where over their elements once there are enough of them
 * (about 64K); small calls always run on the caller's thread, and so does a call made while
 * another thread's kernel holds the pool. Every split writes disjoint outputs, so results are the
 * same bit for bit for any thread count. The count starts as NATIVEGRAD_NUM_THREADS=<n> when the
 * environment sets it to an integer in [1, 1024] at the first kernel call, otherwise as the
 * number of hardware threads.
 * ------------------------------------------------------------------------------------------- */

/* Sets the number of threads kernels may use, the calling thread included (1: no workers).
 * Waits for a running parallel kernel to finish first. Returns NG_STATUS_INVALID_ARGUMENT when
 * threads is outside [1, 1024]. */
NG_API ng_status ng_threads_set(int32_t threads);

/* The number of threads kernels may use. */
NG_API int32_t ng_threads_get(void);

/* ---------------------------------------------------------------------------------------------
 * Strided tensor arguments.
 *
 * The functions below take a shape as (ndim, shape) and, for each operand, strides counted in
 * elements (not bytes): element (i0, i1, ...) of an operand is at base[i0 * s0 + i1 * s1 + ...].
 * A stride of 0 repeats one element along that dimension (broadcasting); negative strides are
 * allowed. ndim is at most NG_MAX_DIMS; ndim == 0 is a single element. Outputs that take no
 * strides are contiguous (row-major) with the given shape.
 * ------------------------------------------------------------------------------------------- */
#define NG_MAX_DIMS 64

/* ---------------------------------------------------------------------------------------------
 * Elementwise kernels.
 * ------------------------------------------------------------------------------------------- */
typedef enum ng_unary_op NG_ENUM_INT32 {
    NG_UNARY_NEG = 0,         /* -x                                     (F32, F64, I64) */
    NG_UNARY_EXP = 1,         /* e^x                                    (F32, F64) */
    NG_UNARY_LOG = 2,         /* natural logarithm                      (F32, F64) */
    NG_UNARY_SQRT = 3,        /* square root                            (F32, F64) */
    NG_UNARY_ABS = 4,         /* |x|                                    (F32, F64, I64) */
    NG_UNARY_RELU = 5,        /* max(x, 0); NaN stays NaN               (F32, F64) */
    NG_UNARY_SIGMOID = 6,     /* 1 / (1 + e^-x)                         (F32, F64) */
    NG_UNARY_TANH = 7,        /* hyperbolic tangent                     (F32, F64) */
    NG_UNARY_SIN = 8,         /* sine                                   (F32, F64) */
    NG_UNARY_COS = 9,         /* cosine                                 (F32, F64) */
    NG_UNARY_ERF = 10,        /* the error function                     (F32, F64) */
    NG_UNARY_GELU = 11,       /* x * 0.5 * (1 + erf(x / sqrt(2)))       (F32, F64) */
    NG_UNARY_SIGN = 12,       /* -1, 0 or 1; NaN stays NaN              (F32, F64, I64) */
    NG_UNARY_RECIPROCAL = 13, /* 1 / x                                  (F32, F64) */
    NG_UNARY_FLOOR = 14,      /* round toward -inf                      (F32, F64) */
    NG_UNARY_CEIL = 15,       /* round toward +inf                      (F32, F64) */
    NG_UNARY_ROUND = 16,      /* round to nearest, ties to even         (F32, F64) */
    NG_UNARY_TRUNC = 17,      /* round toward zero                      (F32, F64) */
    NG_UNARY_LOG1P = 18,      /* log(1 + x), accurate near 0            (F32, F64) */
    NG_UNARY_EXPM1 = 19,      /* e^x - 1, accurate near 0               (F32, F64) */
    NG_UNARY_LOG2 = 20,       /* base-2 logarithm                       (F32, F64) */
    NG_UNARY_LOG10 = 21,      /* base-10 logarithm                      (F32, F64) */
    NG_UNARY_ASIN = 22,       /* arcsine                                (F32, F64) */
    NG_UNARY_ACOS = 23,       /* arccosine                              (F32, F64) */
    NG_UNARY_ATAN = 24,       /* arctangent                             (F32, F64) */
    NG_UNARY_SINH = 25,       /* hyperbolic sine                        (F32, F64) */
    NG_UNARY_COSH = 26        /* hyperbolic cosine                      (F32, F64) */
} ng_unary_op;

/* out[i] = op(x[i]) for i in [0, count), contiguous; computed in the dtype's own precision.
 * Returns NG_STATUS_INVALID_ARGUMENT (unknown op), NG_STATUS_UNSUPPORTED_DTYPE (the op is not
 * defined for the dtype; see the enum), NG_STATUS_INVALID_SIZE (count < 0) or
 * NG_STATUS_NULL_POINTER (x or out NULL while count > 0). out may alias x exactly. */
NG_API ng_status ng_unary(ng_unary_op op, ng_dtype dtype, const void* x, void* out, int64_t count);

typedef enum ng_binary_op NG_ENUM_INT32 {
    NG_BINARY_ADD = 0,      /* a + b                                 (F32, F64, I64) */
    NG_BINARY_MUL = 1,      /* a * b                                 (F32, F64, I64) */
    NG_BINARY_SUB = 2,      /* a - b                                 (F32, F64, I64) */
    NG_BINARY_DIV = 3,      /* a / b                                 (F32, F64) */
    NG_BINARY_POW = 4,      /* a ** b; I64 b < 0 gives 0 (1, +-1 for a = 1, -1) (F32, F64, I64) */
    NG_BINARY_MAXIMUM = 5,  /* the larger; NaN if either is NaN      (F32, F64, I64) */
    NG_BINARY_MINIMUM = 6,  /* the smaller; NaN if either is NaN     (F32, F64, I64) */
    NG_BINARY_EQ = 7,       /* a == b, written as NG_DTYPE_BOOL      (all dtypes) */
    NG_BINARY_NE = 8,       /* a != b                                (all dtypes) */
    NG_BINARY_LT = 9,       /* a < b                                 (all dtypes) */
    NG_BINARY_LE = 10,      /* a <= b                                (all dtypes) */
    NG_BINARY_GT = 11,      /* a > b                                 (all dtypes) */
    NG_BINARY_GE = 12,      /* a >= b                                (all dtypes) */
    NG_BINARY_ATAN2 = 13,   /* atan2(a, b), the angle of (b, a)      (F32, F64) */
    NG_BINARY_HYPOT = 14,   /* sqrt(a^2 + b^2) without overflow      (F32, F64) */
    NG_BINARY_FMOD = 15,    /* a - trunc(a / b) * b, a's sign; I64 b == 0 gives 0 (F32, F64, I64) */
    NG_BINARY_REMAINDER = 16, /* a - floor(a / b) * b, b's sign (Python's %); I64 b == 0 gives 0 (F32, F64, I64) */
    NG_BINARY_BITWISE_AND = 17, /* a & b                               (I64) */
    NG_BINARY_BITWISE_OR = 18,  /* a | b                               (I64) */
    NG_BINARY_BITWISE_XOR = 19  /* a ^ b                               (I64) */
} ng_binary_op;

/* out = a op b over `shape`, reading a and b (both of `dtype`) through their strides and writing
 * out contiguously: in `dtype` for arithmetic, as NG_DTYPE_BOOL (0 or 1) for comparisons.
 * Contiguous operands (and stride-0 scalars) take the vectorised path.
 * Returns NG_STATUS_INVALID_ARGUMENT (unknown op, or ndim outside [0, NG_MAX_DIMS]),
 * NG_STATUS_UNSUPPORTED_DTYPE, NG_STATUS_INVALID_SIZE (a negative dimension) or NG_STATUS_NULL_POINTER (shape or a stride
 * array NULL while ndim > 0, or a data pointer NULL while there are elements). out must not
 * overlap a or b unless it is exactly the same contiguous buffer. */
NG_API ng_status ng_binary(ng_binary_op op, ng_dtype dtype, int32_t ndim, const int64_t* shape,
                           const void* a, const int64_t* a_strides,
                           const void* b, const int64_t* b_strides, void* out);

/* out = a + alpha * b over `shape`, rounded once (a fused multiply-add, as PyTorch's add(a, b,
 * alpha=alpha) computes it; I64 wraps on overflow), reading a and b (both of `dtype`) through
 * their strides and writing out contiguously in `dtype`. alpha points at one element of `dtype`.
 * a - alpha * b is alpha negated. Fast paths as for ng_binary.
 * Returns NG_STATUS_INVALID_ARGUMENT (ndim outside [0, NG_MAX_DIMS]), NG_STATUS_UNSUPPORTED_DTYPE
 * (F32, F64 and I64 only), NG_STATUS_INVALID_SIZE (a negative dimension) or NG_STATUS_NULL_POINTER
 * (alpha NULL, or shape, a stride array or a data pointer NULL as for ng_binary). out must not
 * overlap a or b unless it is exactly the same contiguous buffer. */
NG_API ng_status ng_add_scaled(ng_dtype dtype, int32_t ndim, const int64_t* shape,
                               const void* a, const int64_t* a_strides,
                               const void* b, const int64_t* b_strides, const void* alpha, void* out);

/* out = cond ? a : b elementwise over `shape`; cond is NG_DTYPE_BOOL, a, b and out are `dtype`
 * (any dtype); strides and errors as for ng_binary. */
NG_API ng_status ng_where(ng_dtype dtype, int32_t ndim, const int64_t* shape,
                          const void* cond, const int64_t* cond_strides,
                          const void* a, const int64_t* a_strides,
                          const void* b, const int64_t* b_strides, void* out);

/* Copies the `shape` elements of src (src_dtype, src_strides) into dst (dst_dtype, dst_strides),
 * converting: float to integer truncates toward zero (NaN and out-of-range values are
 * unspecified), anything to bool is (value != 0), bool to anything is 0 or 1. Used for
 * contiguous(), casts, fills (a stride-0 source) and writes into views.
 * Returns NG_STATUS_INVALID_ARGUMENT (unknown dtype, bad ndim), NG_STATUS_INVALID_SIZE or
 * NG_STATUS_NULL_POINTER as for ng_binary. dst must not overlap src. */
NG_API ng_status ng_copy(int32_t ndim, const int64_t* shape,
                         ng_dtype src_dtype, const void* src, const int64_t* src_strides,
                         ng_dtype dst_dtype, void* dst, const int64_t* dst_strides);

/* ---------------------------------------------------------------------------------------------
 * Reductions.
 * ------------------------------------------------------------------------------------------- */
typedef enum ng_reduce_op NG_ENUM_INT32 {
    NG_REDUCE_SUM = 0,  /* sum; 0 for an empty row. F32 accumulates in double (F32, F64, I64) */
    NG_REDUCE_MAX = 1,  /* largest; NaN wins; needs length > 0                (F32, F64, I64) */
    NG_REDUCE_MIN = 2   /* smallest; NaN wins; needs length > 0               (F32, F64, I64) */
} ng_reduce_op;

/* Reduces each of `rows` contiguous rows of `length` elements of x into out[row] (contiguous,
 * same dtype). For MAX and MIN, out_indices (may be NULL) receives the position within the row of
 * the first extreme value (of the first NaN when there is one).
 * Returns NG_STATUS_INVALID_ARGUMENT (unknown op, or MAX/MIN with length == 0 and rows > 0),
 * NG_STATUS_UNSUPPORTED_DTYPE, NG_STATUS_INVALID_SIZE (rows or length negative) or
 * NG_STATUS_NULL_POINTER (x or out NULL while there is work). */
NG_API ng_status ng_reduce(ng_reduce_op op, ng_dtype dtype, const void* x, int64_t rows, int64_t length,
                           void* out, int64_t* out_indices);

/* Reduces the middle axis of a contiguous outer x length x inner block of x, without reordering it:
 * out[o * inner + j] (outer x inner, contiguous, same dtype) = the reduction over k < length of
 * x[(o * length + k) * inner + j], every column in order k = 0, 1, ...; out_indices as in
 * ng_reduce, positions k. ng_reduce(op, dtype, x, rows, length, ...) is inner == 1.
 * Returns what ng_reduce returns, NG_STATUS_INVALID_SIZE also for inner negative, and
 * NG_STATUS_INVALID_ARGUMENT for MAX/MIN with length == 0 while outer x inner > 0. */
NG_API ng_status ng_reduce_dim(ng_reduce_op op, ng_dtype dtype, const void* x, int64_t outer, int64_t length,
                               int64_t inner, void* out, int64_t* out_indices);

/* ---------------------------------------------------------------------------------------------
 * Softmax.
 * ------------------------------------------------------------------------------------------- */

/* Softmax (log_softmax == 0) or log-softmax (log_softmax == 1) of each of `rows` contiguous rows of
 * `length` elements of x into the same place of out (contiguous, same dtype; out == x allowed), in
 * one fused pass per step: m = the row's max (NaN if it has one), e = exp(x - m), s = the sum of e
 * (accumulated in double, as ng_reduce's SUM), softmax = e / s, log-softmax = (x - m) - log(s).
 * NG_DTYPE_F32 or NG_DTYPE_F64.
 * Returns NG_STATUS_INVALID_ARGUMENT (log_softmax not 0 or 1, or length == 0 while rows > 0),
 * NG_STATUS_UNSUPPORTED_DTYPE, NG_STATUS_INVALID_SIZE (rows or length negative, or their product
 * times the element size overflows int64) or NG_STATUS_NULL_POINTER (x or out NULL while there
 * is work). */
NG_API ng_status ng_softmax(ng_dtype dtype, int32_t log_softmax, const void* x, int64_t rows, int64_t length,
                            void* out);

/* The gradient of ng_softmax: from grad (the gradient of its output) and out (its output), each
 * `rows` contiguous rows of `length` elements, into grad_input (contiguous, same dtype), fused:
 * log-softmax (log_softmax == 1): grad - exp(out) * s with s = the row's sum of grad;
 * softmax (log_softmax == 0): out * (grad - s) with s = the row's sum of grad * out.
 * Sums accumulate in double (as ng_reduce's SUM) and round to the dtype; every other step rounds
 * in the dtype, so the result is that of the same steps through ng_unary, ng_binary and
 * ng_reduce, bit for bit. NG_DTYPE_F32 or NG_DTYPE_F64.
 * Returns the errors of ng_softmax, with NG_STATUS_NULL_POINTER for grad, out or grad_input NULL
 * while there is work. grad_input must not overlap grad or out. */
NG_API ng_status ng_softmax_backward(ng_dtype dtype, int32_t log_softmax, const void* grad, const void* out,
                                     int64_t rows, int64_t length, void* grad_input);

/* ---------------------------------------------------------------------------------------------
 * Gather and scatter along one axis (nll_loss's picking of the target's log-probability).
 * ------------------------------------------------------------------------------------------- */

/* One element of x per position (o, j), o < outer, j < inner: out[o * inner + j] =
 * x[o * x_strides[0] + index[o * inner + j] * x_strides[1] + j * x_strides[2]] (three strides, in
 * elements; 0 repeats), or 0 where the index is -1 (torch.gather along one axis, with ignored
 * targets masked to -1). index and out are contiguous outer x inner. F32, F64 or I64.
 * Returns NG_STATUS_INVALID_ARGUMENT when an index is outside [-1, length) (the message names
 * the first; nothing is written), NG_STATUS_UNSUPPORTED_DTYPE, NG_STATUS_INVALID_SIZE (outer,
 * length or inner negative, or the sizes, or the bytes x_strides reach over outer x length x
 * inner, overflow int64) or NG_STATUS_NULL_POINTER (index, x_strides or out NULL while there are
 * positions, x NULL while an index is not -1). */
NG_API ng_status ng_gather(ng_dtype dtype, int64_t outer, int64_t length, int64_t inner, const void* x,
                           const int64_t* x_strides, const int64_t* index, void* out);

/* The gradient of ng_gather for a contiguous x: overwrites out (contiguous outer x length x inner)
 * with zeros, then writes values[o * inner + j] (contiguous outer x inner) at
 * (o, index[o * inner + j], j); index -1 is skipped. Errors as for ng_gather (values and out
 * instead of x). out must not overlap values or index. */
NG_API ng_status ng_scatter(ng_dtype dtype, int64_t outer, int64_t length, int64_t inner, const void* values,
                            const int64_t* index, void* out);

/* ---------------------------------------------------------------------------------------------
 * Matrix multiply.
 * ------------------------------------------------------------------------------------------- */

/* C = alpha * op(A) @ op(B) + beta * C, row-major, NG_DTYPE_F32 or NG_DTYPE_F64 (alpha and beta
 * are converted to the dtype). op(A) is m x k: A itself (m x k, lda >= k) when trans_a == 0, or
 * the transpose of A (k x m, lda >= m) when trans_a == 1; likewise op(B) is k x n. C is m x n with
 * ldc >= n. When beta == 0, C is not read (NaN in C does not propagate), as in BLAS. Up to
 * k = 256 each element's products are summed in one pass before C is read: with alpha == beta
 * == 1, C becomes C + sum rounded once, as computing the product and then adding it would give.
 * Deeper products may add into C once per block of depth.
 * Returns NG_STATUS_INVALID_ARGUMENT (trans flag not 0 or 1), NG_STATUS_UNSUPPORTED_DTYPE,
 * NG_STATUS_INVALID_SIZE (m, n or k negative), NG_STATUS_SHAPE_MISMATCH (a leading dimension
 * too small) or NG_STATUS_NULL_POINTER (a matrix NULL while it has elements to touch). */
NG_API ng_status ng_gemm(ng_dtype dtype, int32_t trans_a, int32_t trans_b,
                         int64_t m, int64_t n, int64_t k,
                         double alpha, const void* a, int64_t lda,
                         const void* b, int64_t ldb,
                         double beta, void* c, int64_t ldc);

/* ng_gemm on `batch` independent products at once: product i reads op(A) at a + i * stride_a,
 * op(B) at b + i * stride_b and writes C at c + i * stride_c (strides in elements, as the leading
 * dimensions are). A stride of 0 reuses one matrix of A or B for every product (a broadcast);
 * the C matrices must not overlap: stride_c >= (m - 1) * ldc + n when batch > 1 and C has
 * elements. Small products run in parallel across the batch, large ones each in parallel.
 * Returns what ng_gemm returns, and NG_STATUS_INVALID_SIZE (batch or a stride negative, or the
 * batch spanning more bytes than an int64 counts) or NG_STATUS_SHAPE_MISMATCH (stride_c too small
 * for the C matrices not to overlap). */
NG_API ng_status ng_gemm_batched(ng_dtype dtype, int32_t trans_a, int32_t trans_b,
                                 int64_t m, int64_t n, int64_t k, int64_t batch,
                                 double alpha, const void* a, int64_t lda, int64_t stride_a,
                                 const void* b, int64_t ldb, int64_t stride_b,
                                 double beta, void* c, int64_t ldc, int64_t stride_c);

/* ---------------------------------------------------------------------------------------------
 * Convolution and pooling over 2-D planes.
 *
 * Images are row-major planes of in_h x in_w elements, contiguous, one plane after another
 * (NCHW with N * C planes). A window slides over each plane: output position (oh, ow) covers the
 * input rows oh * stride_h - pad_h + i * dilation_h for i in [0, kernel_h), and likewise for
 * columns. The caller chooses out_h and out_w (floor or ceil mode, "same" padding), so windows
 * may reach past the input on any side: positions outside the plane are padding, read as zero by
 * convolution and skipped by max pooling. Convolution itself is ng_im2col, then ng_gemm_batched
 * with the weights, one call per group over all images; its gradients are GEMMs, then ng_col2im.
 * ------------------------------------------------------------------------------------------- */
typedef struct ng_window2d {
    int64_t kernel_h;    /* window rows, >= 1 */
    int64_t kernel_w;    /* window columns, >= 1 */
    int64_t stride_h;    /* rows between windows, >= 1 */
    int64_t stride_w;    /* columns between windows, >= 1 */
    int64_t pad_h;       /* implicit padding rows above the plane, >= 0 */
    int64_t pad_w;       /* implicit padding columns left of the plane, >= 0 */
    int64_t dilation_h;  /* rows between window elements, >= 1 */
    int64_t dilation_w;  /* columns between window elements, >= 1 */
} ng_window2d;

/* Unfolds `images` images of `channels` planes (in_h x in_w), in `groups` groups of
 * channels / groups consecutive planes, into columns: for each image and group, a row-major
 * matrix of (kernel_h * kernel_w * channels / groups) rows and (out_h * out_w) columns, whose row
 * (i * kernel_w + j) * (channels / groups) + c holds, at column oh * out_w + ow, the element of
 * the group's plane c under window element (i, j) of output position (oh, ow), or 0 where that is
 * padding. Window elements vary slowest and channels fastest, so a GEMM with weights laid out as
 * (out, kernel_h, kernel_w, in) sums in the order oneDNN (PyTorch's CPU convolution) does. Images
 * and groups follow each other in both buffers. NG_DTYPE_F32 or NG_DTYPE_F64.
 * Returns NG_STATUS_UNSUPPORTED_DTYPE, NG_STATUS_NULL_POINTER (window NULL, or image or columns
 * NULL while it has elements), NG_STATUS_INVALID_SIZE (a negative count or size, or buffers
 * whose bytes overflow int64), NG_STATUS_INVALID_ARGUMENT (a window field out of its range, or
 * groups < 1; the message names it), NG_STATUS_SHAPE_MISMATCH (channels not a multiple of
 * groups). columns must not overlap image. */
NG_API ng_status ng_im2col(ng_dtype dtype, int64_t images, int64_t channels, int64_t groups, int64_t in_h, int64_t in_w,
                           const ng_window2d* window, int64_t out_h, int64_t out_w,
                           const void* image, void* columns);

/* The adjoint of ng_im2col: overwrites image with, at each input element, the sum of the column
 * entries ng_im2col would have copied from it (entries that fall on padding are dropped). The
 * arguments and errors are those of ng_im2col; image must not overlap columns. */
NG_API ng_status ng_col2im(ng_dtype dtype, int64_t images, int64_t channels, int64_t groups, int64_t in_h, int64_t in_w,
                           const ng_window2d* window, int64_t out_h, int64_t out_w,
                           const void* columns, void* image);

/* Max pooling of `planes` planes: output[p][oh][ow] is the largest input element under the
 * window, and indices (may be NULL) receives its position ih * in_w + iw within the plane. NaN
 * wins and, among equal values, the first in row-major window order; a window that covers no
 * input element gives -infinity and index -1. Output and indices are planes x out_h x out_w.
 * Errors as for ng_im2col; output and indices must not overlap input. */
NG_API ng_status ng_max_pool2d(ng_dtype dtype, int64_t planes, int64_t in_h, int64_t in_w,
                               const ng_window2d* window, int64_t out_h, int64_t out_w,
                               const void* input, void* output, int64_t* indices);

/* The gradient of ng_max_pool2d: overwrites grad_input (planes x in_h x in_w) with zeros, then
 * adds each grad_output element at the position its index names in the same plane (index -1 is
 * skipped). Returns NG_STATUS_INVALID_ARGUMENT when an index is outside [-1, in_h * in_w), the
 * other errors as for ng_im2col. */
NG_API ng_status ng_max_pool2d_backward(ng_dtype dtype, int64_t planes, int64_t in_h, int64_t in_w,
                                        int64_t out_h, int64_t out_w, const void* grad_output,
                                        const int64_t* indices, void* grad_input);

/* Average pooling of `planes` planes (window dilation must be 1), as PyTorch computes it: the sum
 * of the input elements under the window, divided by divisor_override when it is > 0, else by the
 * window's size clipped to the padded plane when count_include_pad is 1, else by the number of
 * input elements it covers (a window covering none gives 0). divisor_override 0 means none.
 * Returns NG_STATUS_INVALID_ARGUMENT (count_include_pad not 0 or 1, divisor_override < 0, a
 * dilation other than 1, or another window field out of range), the other errors as for
 * ng_im2col. output must not overlap input. */
NG_API ng_status ng_avg_pool2d(ng_dtype dtype, int64_t planes, int64_t in_h, int64_t in_w,
                               const ng_window2d* window, int64_t out_h, int64_t out_w,
                               int32_t count_include_pad, int64_t divisor_override,
                               const void* input, void* output);

/* The gradient of ng_avg_pool2d with the same arguments: overwrites grad_input with each input
 * element's share of grad_output (each output's gradient over its divisor, summed over the
 * windows that cover the element). Errors as for ng_avg_pool2d. */
NG_API ng_status ng_avg_pool2d_backward(ng_dtype dtype, int64_t planes, int64_t in_h, int64_t in_w,
                                        const ng_window2d* window, int64_t out_h, int64_t out_w,
                                        int32_t count_include_pad, int64_t divisor_override,
                                        const void* grad_output, void* grad_input);

/* Adaptive average pooling: output[p][oh][ow] is the mean of input rows
 * [floor(oh * in_h / out_h), ceil((oh + 1) * in_h / out_h)) and the columns likewise.
 * Returns NG_STATUS_SHAPE_MISMATCH when the output has elements but the input plane has none,
 * the other errors as for ng_im2col. output must not overlap input. */
NG_API ng_status ng_adaptive_avg_pool2d(ng_dtype dtype, int64_t planes, int64_t in_h, int64_t in_w,
                                        int64_t out_h, int64_t out_w, const void* input, void* output);

/* The gradient of ng_adaptive_avg_pool2d: overwrites grad_input with each output's gradient
 * divided by its window's size, summed over the windows that cover each element. Errors as for
 * ng_adaptive_avg_pool2d. */
NG_API ng_status ng_adaptive_avg_pool2d_backward(ng_dtype dtype, int64_t planes, int64_t in_h, int64_t in_w,
                                                 int64_t out_h, int64_t out_w, const void* grad_output,
                                                 void* grad_input);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* NATIVEGRAD_H */
