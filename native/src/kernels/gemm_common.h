// Pieces of ng_gemm every tier shares, so that the degenerate cases behave identically (bit for
// bit) in all of them. Anonymous namespace: compiled separately into each tier's file.
#ifndef NATIVEGRAD_SRC_KERNELS_GEMM_COMMON_H
#define NATIVEGRAD_SRC_KERNELS_GEMM_COMMON_H

#include <cstdint>

#include "kernels/gemm_blocking.h"
#include "kernels/kernels.h"
#include "parallel.h"

namespace {

template <class T>
T gemm_op_a(const ng::GemmArgs<T>& g, int64_t i, int64_t p) {
    return g.trans_a ? g.a[p * g.lda + i] : g.a[i * g.lda + p];
}

template <class T>
T gemm_op_b(const ng::GemmArgs<T>& g, int64_t p, int64_t j) {
    return g.trans_b ? g.b[j * g.ldb + p] : g.b[p * g.ldb + j];
}

// Product `index` of a batch. Only matrices with elements move: one without may be NULL, and its
// stride is not checked against anything (ng_gemm_batched), so moving it could be NULL plus an
// offset or a pointer past any buffer, both undefined behaviour.
template <class T>
ng::GemmArgs<T> gemm_batch_member(const ng::GemmArgs<T>& g, const ng::GemmBatch& batch, int64_t index) {
    ng::GemmArgs<T> member = g;
    if (g.m > 0 && g.k > 0) member.a += index * batch.stride_a;
    if (g.k > 0 && g.n > 0) member.b += index * batch.stride_b;
    if (g.m > 0 && g.n > 0) member.c += index * batch.stride_c;
    return member;
}

// When op(A) @ op(B) contributes nothing (k == 0 or alpha == 0) only C = beta * C is left. As in
// BLAS, A and B are then not read, and C is not read when beta == 0 (NaN in C does not survive).
template <class T>
bool gemm_scale_only(const ng::GemmArgs<T>& g) {
    if (g.k != 0 && g.alpha != T(0)) return false;
    for (int64_t i = 0; i < g.m; ++i) {
        T* row = g.c + i * g.ldc;
        for (int64_t j = 0; j < g.n; ++j) row[j] = g.beta == T(0) ? T(0) : g.beta * row[j];
    }
    return true;
}

// body(begin, end) over chunks of [0, count) of GEMM work items, on the thread pool. Items are
// claimed four per thread at most: on a core shared with another process one half of the
// product would otherwise set the pace of both. Tests override the chunk size
// (ng::set_gemm_chunk_override) to check that results do not depend on the split.
template <class Body>
void gemm_for_each_chunk(int64_t count, int64_t grain, const Body& body) {
    if (count <= 0) return;
    if (const int64_t chunk = ng::gemm_chunk_override(); chunk > 0) {
        for (int64_t end = count; end > 0; end -= chunk) body(end - chunk > 0 ? end - chunk : 0, end);
        return;
    }
    ng::parallel_for(count, grain, body, 4);
}

}  // namespace

#endif
