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
 *  - Tensor data is contiguous, row-major, of the dtype the call names; the caller owns every
 *    buffer it passes. Output buffers may alias inputs exactly (in-place) but must not partially
 *    overlap them.
 *  - Functions are thread-safe unless their comment says otherwise.
 */
#ifndef NATIVEGRAD_H
#define NATIVEGRAD_H

#include <stddef.h>
#include <stdint.h>

/* Bump MAJOR on any ABI break, MINOR when exports are added, PATCH for fixes. The managed layer
 * refuses to load a library whose MAJOR.MINOR differs from the header it was generated from. */
#define NG_VERSION_MAJOR 0
#define NG_VERSION_MINOR 1
#define NG_VERSION_PATCH 0
#define NG_VERSION_NUMBER (NG_VERSION_MAJOR * 10000 + NG_VERSION_MINOR * 100 + NG_VERSION_PATCH)

#if defined(_WIN32)
#  if defined(NG_BUILDING_LIBRARY)
#    define NG_API __declspec(dllexport)
#  else
#    define NG_API __declspec(dllimport)
#  endif
#else
#  define NG_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Status codes. Values are pinned and append-only; each group leaves gaps for new codes.
 * ------------------------------------------------------------------------------------------- */
typedef enum ng_status {
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
typedef enum ng_dtype {
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

/* Sets the most bytes the cache may keep (default 1 GiB); 0 disables caching. Shrinking the
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
typedef enum ng_cpu_tier {
    NG_CPU_TIER_SCALAR = 0,  /* portable C++, the reference every other tier is tested against */
    NG_CPU_TIER_AVX2 = 1,    /* AVX2 + FMA, 256-bit */
    NG_CPU_TIER_AVX512 = 2   /* AVX-512 F (+ DQ, BW, VL where present), 512-bit */
} ng_cpu_tier;

/* Bits of ng_cpu_info.features: what CPUID and XGETBV found usable. */
typedef enum ng_cpu_feature {
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
 * Elementwise kernels on contiguous data.
 * ------------------------------------------------------------------------------------------- */
typedef enum ng_binary_op {
    NG_BINARY_ADD = 0,  /* out = a + b */
    NG_BINARY_MUL = 1   /* out = a * b */
} ng_binary_op;

/* out[i] = a[i] op b[i] for i in [0, count), on NG_DTYPE_F32 or NG_DTYPE_F64 data.
 * Returns NG_STATUS_INVALID_ARGUMENT (unknown op), NG_STATUS_UNSUPPORTED_DTYPE,
 * NG_STATUS_INVALID_SIZE (count < 0) or NG_STATUS_NULL_POINTER (a, b or out NULL while
 * count > 0). count == 0 does nothing and accepts NULL pointers. */
NG_API ng_status ng_binary(ng_binary_op op, ng_dtype dtype, const void* a, const void* b,
                           void* out, int64_t count);

/* ---------------------------------------------------------------------------------------------
 * Matrix multiply.
 * ------------------------------------------------------------------------------------------- */

/* C = alpha * op(A) @ op(B) + beta * C, row-major, NG_DTYPE_F32 or NG_DTYPE_F64 (alpha and beta
 * are converted to the dtype). op(A) is m x k: A itself (m x k, lda >= k) when trans_a == 0, or
 * the transpose of A (k x m, lda >= m) when trans_a == 1; likewise op(B) is k x n. C is m x n with
 * ldc >= n. When beta == 0, C is not read (NaN in C does not propagate), as in BLAS.
 * Returns NG_STATUS_INVALID_ARGUMENT (trans flag not 0 or 1), NG_STATUS_UNSUPPORTED_DTYPE,
 * NG_STATUS_INVALID_SIZE (m, n or k negative), NG_STATUS_SHAPE_MISMATCH (a leading dimension
 * too small) or NG_STATUS_NULL_POINTER (a matrix NULL while it has elements to touch). */
NG_API ng_status ng_gemm(ng_dtype dtype, int32_t trans_a, int32_t trans_b,
                         int64_t m, int64_t n, int64_t k,
                         double alpha, const void* a, int64_t lda,
                         const void* b, int64_t ldb,
                         double beta, void* c, int64_t ldc);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* NATIVEGRAD_H */
