// Scalar reference for ng_gemm: one dot product per element of C, accumulated in the dtype in
// order p = 0, 1, ..., k-1. Simple on purpose: it is the yardstick the SIMD tiers are tested
// against, and the fallback for CPUs without AVX2.
#include "kernels/gemm_common.h"
#include "kernels/kernels.h"

namespace ng::kernels::scalar {
namespace {

template <class T>
void gemm_reference(const GemmArgs<T>& g) {
    if (gemm_scale_only(g)) return;
    for (int64_t i = 0; i < g.m; ++i) {
        for (int64_t j = 0; j < g.n; ++j) {
            T sum = 0;
            for (int64_t p = 0; p < g.k; ++p) sum += gemm_op_a(g, i, p) * gemm_op_b(g, p, j);
            T& c = g.c[i * g.ldc + j];
            c = g.beta == T(0) ? g.alpha * sum : g.alpha * sum + g.beta * c;
        }
    }
}

template <class T>
void gemm_batched_reference(const GemmArgs<T>& g, const GemmBatch& batch) {
    for (int64_t index = 0; index < batch.count; ++index) gemm_reference(gemm_batch_member(g, batch, index));
}

}  // namespace

void gemm_f32(const GemmArgs<float>& args) { gemm_reference(args); }
void gemm_f64(const GemmArgs<double>& args) { gemm_reference(args); }
void gemm_batched_f32(const GemmArgs<float>& args, const GemmBatch& batch) { gemm_batched_reference(args, batch); }
void gemm_batched_f64(const GemmArgs<double>& args, const GemmBatch& batch) { gemm_batched_reference(args, batch); }

}  // namespace ng::kernels::scalar
