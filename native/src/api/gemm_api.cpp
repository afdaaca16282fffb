// ng_gemm and ng_gemm_batched: validate, then call the active tier's kernel for the dtype.
#include <cstdint>
#include <limits>

#include "api/guard.h"
#include "api/validate.h"
#include "cpu_dispatch.h"

namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

void require_trans_flag(int32_t flag, const char* name) {
    if (flag != 0 && flag != 1) ng::fail(NG_STATUS_INVALID_ARGUMENT, name, " must be 0 or 1, got ", flag);
}

// Elements from the first to one past the last of a rows x cols matrix with leading dimension
// ld (0 when it has none), or -1 when an int64 cannot count its bytes.
int64_t matrix_span(int64_t rows, int64_t cols, int64_t ld, int64_t element_size) {
    if (rows == 0 || cols == 0) return 0;
    const int64_t max_elements = kInt64Max / element_size;
    // cols first: past max_elements, (max_elements - cols) / ld rounds a negative up to 0.
    if (cols > max_elements || (ld != 0 && rows - 1 > (max_elements - cols) / ld)) return -1;
    return (rows - 1) * ld + cols;
}

// A stored matrix must span a byte range an int64 can count; anything larger cannot be a real
// buffer, and its index arithmetic would overflow. Returns its span in elements.
int64_t require_addressable(const char* matrix, int64_t rows, int64_t cols, int64_t ld, int64_t element_size) {
    const int64_t span = matrix_span(rows, cols, ld, element_size);
    if (span < 0) {
        ng::fail(NG_STATUS_INVALID_SIZE, matrix, " (", rows, " x ", cols, " stored with leading dimension ", ld,
                 ") spans more bytes than an int64 can count");
    }
    return span;
}

// `batch` matrices of `span` elements, `stride` apart, likewise.
void require_batch_addressable(const char* matrix, int64_t batch, int64_t span, int64_t stride,
                               int64_t element_size) {
    if (batch <= 1 || span == 0 || stride == 0) return;
    const int64_t max_elements = kInt64Max / element_size;
    if (batch - 1 > (max_elements - span) / stride) {
        ng::fail(NG_STATUS_INVALID_SIZE, "the batch of ", batch, " ", matrix, " matrices ", stride,
                 " elements apart spans more bytes than an int64 can count");
    }
}

struct GemmShape {
    int32_t trans_a, trans_b;
    int64_t m, n, k;
    int64_t lda, ldb, ldc;
};

struct GemmSpans {
    int64_t a, b, c;  // elements each matrix reaches
};

// Everything ng_gemm checks; returns the element size and each matrix's span.
int64_t validate_gemm(ng_dtype dtype, const GemmShape& s, const void* a, const void* b, const void* c,
                      GemmSpans& spans) {
    require_trans_flag(s.trans_a, "trans_a");
    require_trans_flag(s.trans_b, "trans_b");
    const int64_t element_size = ng::api::float_element_size(dtype);
    ng::api::require_non_negative(s.m, "m");
    ng::api::require_non_negative(s.n, "n");
    ng::api::require_non_negative(s.k, "k");

    // Stored shapes: A is m x k (k x m when transposed), B is k x n (n x k), C is m x n.
    const int64_t a_rows = s.trans_a ? s.k : s.m, a_cols = s.trans_a ? s.m : s.k;
    const int64_t b_rows = s.trans_b ? s.n : s.k, b_cols = s.trans_b ? s.k : s.n;
    if (s.lda < a_cols) {
        ng::fail(NG_STATUS_SHAPE_MISMATCH, "lda (", s.lda, ") must be >= ", s.trans_a ? "m" : "k", " (", a_cols,
                 ") when trans_a is ", s.trans_a);
    }
    if (s.ldb < b_cols) {
        ng::fail(NG_STATUS_SHAPE_MISMATCH, "ldb (", s.ldb, ") must be >= ", s.trans_b ? "k" : "n", " (", b_cols,
                 ") when trans_b is ", s.trans_b);
    }
    if (s.ldc < s.n) ng::fail(NG_STATUS_SHAPE_MISMATCH, "ldc (", s.ldc, ") must be >= n (", s.n, ")");

    spans.a = require_addressable("A", a_rows, a_cols, s.lda, element_size);
    spans.b = require_addressable("B", b_rows, b_cols, s.ldb, element_size);
    spans.c = require_addressable("C", s.m, s.n, s.ldc, element_size);

    if (a == nullptr && s.m > 0 && s.k > 0) {
        ng::fail(NG_STATUS_NULL_POINTER, "a must not be NULL when op(A) is ", s.m, " x ", s.k);
    }
    if (b == nullptr && s.k > 0 && s.n > 0) {
        ng::fail(NG_STATUS_NULL_POINTER, "b must not be NULL when op(B) is ", s.k, " x ", s.n);
    }
    if (c == nullptr && s.m > 0 && s.n > 0) {
        ng::fail(NG_STATUS_NULL_POINTER, "c must not be NULL when C is ", s.m, " x ", s.n);
    }
    return element_size;
}

template <class T>
ng::GemmArgs<T> gemm_args(const GemmShape& s, double alpha, const void* a, const void* b, double beta, void* c) {
    return {s.trans_a == 1,         s.trans_b == 1, s.m, s.n, s.k, static_cast<T>(alpha), static_cast<const T*>(a),
            s.lda,                  static_cast<const T*>(b), s.ldb, static_cast<T>(beta), static_cast<T*>(c),
            s.ldc};
}

}  // namespace

extern "C" {

NG_API ng_status ng_gemm(ng_dtype dtype, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k,
                         double alpha, const void* a, int64_t lda, const void* b, int64_t ldb, double beta, void* c,
                         int64_t ldc) {
    return ng::api::guarded("ng_gemm", [&] {
        const GemmShape shape{trans_a, trans_b, m, n, k, lda, ldb, ldc};
        GemmSpans spans{};
        validate_gemm(dtype, shape, a, b, c, spans);
        const ng::KernelTable& kernels = ng::active_kernels();
        if (dtype == NG_DTYPE_F32) kernels.gemm<float>()(gemm_args<float>(shape, alpha, a, b, beta, c));
        else kernels.gemm<double>()(gemm_args<double>(shape, alpha, a, b, beta, c));
    });
}

NG_API ng_status ng_gemm_batched(ng_dtype dtype, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k,
                                 int64_t batch, double alpha, const void* a, int64_t lda, int64_t stride_a,
                                 const void* b, int64_t ldb, int64_t stride_b, double beta, void* c, int64_t ldc,
                                 int64_t stride_c) {
    return ng::api::guarded("ng_gemm_batched", [&] {
        const GemmShape shape{trans_a, trans_b, m, n, k, lda, ldb, ldc};
        GemmSpans spans{};
        const int64_t element_size = validate_gemm(dtype, shape, a, b, c, spans);
        ng::api::require_non_negative(batch, "batch");
        ng::api::require_non_negative(stride_a, "stride_a");
        ng::api::require_non_negative(stride_b, "stride_b");
        ng::api::require_non_negative(stride_c, "stride_c");
        if (batch > 1 && spans.c > 0 && stride_c < spans.c) {
            ng::fail(NG_STATUS_SHAPE_MISMATCH, "stride_c (", stride_c, ") must be >= (m - 1) * ldc + n (", spans.c,
                     ") so that the ", batch, " C matrices do not overlap");
        }
        require_batch_addressable("A", batch, spans.a, stride_a, element_size);
        require_batch_addressable("B", batch, spans.b, stride_b, element_size);
        require_batch_addressable("C", batch, spans.c, stride_c, element_size);

        // No C elements, nothing to write: return before walking a batch that may be any size (2^62
        // empty products took minutes).
        if (spans.c == 0) return;
        const ng::GemmBatch members{batch, stride_a, stride_b, stride_c};
        const ng::KernelTable& kernels = ng::active_kernels();
        if (dtype == NG_DTYPE_F32) kernels.gemm_batched<float>()(gemm_args<float>(shape, alpha, a, b, beta, c), members);
        else kernels.gemm_batched<double>()(gemm_args<double>(shape, alpha, a, b, beta, c), members);
    });
}

}  // extern "C"
