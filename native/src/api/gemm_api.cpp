// ng_gemm: validate, then call the active tier's kernel for the dtype.
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

// A stored matrix of rows x cols with leading dimension ld must span a byte range an int64 can
// count; anything larger cannot be a real buffer, and its index arithmetic would overflow.
void require_addressable(const char* matrix, int64_t rows, int64_t cols, int64_t ld, int64_t element_size) {
    if (rows == 0 || cols == 0) return;
    const int64_t max_elements = kInt64Max / element_size;
    if (ld != 0 && rows - 1 > (max_elements - cols) / ld) {
        ng::fail(NG_STATUS_INVALID_SIZE, matrix, " (", rows, " x ", cols, " stored with leading dimension ", ld,
                 ") spans more bytes than an int64 can count");
    }
}

template <class T>
void run_gemm(int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k, double alpha, const void* a,
              int64_t lda, const void* b, int64_t ldb, double beta, void* c, int64_t ldc) {
    const ng::GemmArgs<T> args{trans_a == 1,
                               trans_b == 1,
                               m,
                               n,
                               k,
                               static_cast<T>(alpha),
                               static_cast<const T*>(a),
                               lda,
                               static_cast<const T*>(b),
                               ldb,
                               static_cast<T>(beta),
                               static_cast<T*>(c),
                               ldc};
    ng::active_kernels().gemm<T>()(args);
}

}  // namespace

extern "C" {

NG_API ng_status ng_gemm(ng_dtype dtype, int32_t trans_a, int32_t trans_b, int64_t m, int64_t n, int64_t k,
                         double alpha, const void* a, int64_t lda, const void* b, int64_t ldb, double beta, void* c,
                         int64_t ldc) {
    return ng::api::guarded("ng_gemm", [&] {
        require_trans_flag(trans_a, "trans_a");
        require_trans_flag(trans_b, "trans_b");
        const int64_t element_size = ng::api::float_element_size(dtype);
        ng::api::require_non_negative(m, "m");
        ng::api::require_non_negative(n, "n");
        ng::api::require_non_negative(k, "k");

        // Stored shapes: A is m x k (k x m when transposed), B is k x n (n x k), C is m x n.
        const int64_t a_rows = trans_a ? k : m, a_cols = trans_a ? m : k;
        const int64_t b_rows = trans_b ? n : k, b_cols = trans_b ? k : n;
        if (lda < a_cols) {
            ng::fail(NG_STATUS_SHAPE_MISMATCH, "lda (", lda, ") must be >= ", trans_a ? "m" : "k", " (", a_cols,
                     ") when trans_a is ", trans_a);
        }
        if (ldb < b_cols) {
            ng::fail(NG_STATUS_SHAPE_MISMATCH, "ldb (", ldb, ") must be >= ", trans_b ? "k" : "n", " (", b_cols,
                     ") when trans_b is ", trans_b);
        }
        if (ldc < n) ng::fail(NG_STATUS_SHAPE_MISMATCH, "ldc (", ldc, ") must be >= n (", n, ")");

        require_addressable("A", a_rows, a_cols, lda, element_size);
        require_addressable("B", b_rows, b_cols, ldb, element_size);
        require_addressable("C", m, n, ldc, element_size);

        if (a == nullptr && m > 0 && k > 0) {
            ng::fail(NG_STATUS_NULL_POINTER, "a must not be NULL when op(A) is ", m, " x ", k);
        }
        if (b == nullptr && k > 0 && n > 0) {
            ng::fail(NG_STATUS_NULL_POINTER, "b must not be NULL when op(B) is ", k, " x ", n);
        }
        if (c == nullptr && m > 0 && n > 0) {
            ng::fail(NG_STATUS_NULL_POINTER, "c must not be NULL when C is ", m, " x ", n);
        }

        if (dtype == NG_DTYPE_F32) run_gemm<float>(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else run_gemm<double>(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    });
}

}  // extern "C"
