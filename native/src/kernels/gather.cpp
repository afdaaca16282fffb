// ng_gather and ng_scatter (see gather.h).
#include "kernels/gather.h"

#include <algorithm>
#include <cstring>

namespace ng {
namespace {

template <class T>
void gather_typed(int64_t outer, int64_t inner, const T* x, const int64_t* x_strides, const int64_t* index, T* out) {
    for (int64_t o = 0; o < outer; ++o) {
        for (int64_t j = 0; j < inner; ++j) {
            const int64_t k = index[o * inner + j];
            out[o * inner + j] = k < 0 ? T{0} : x[o * x_strides[0] + k * x_strides[1] + j * x_strides[2]];
        }
    }
}

template <class T>
void scatter_typed(int64_t outer, int64_t length, int64_t inner, const T* values, const int64_t* index, T* out) {
    // Not memset: out may be NULL when length == 0 (every index is then -1), and memset(NULL, 0, 0)
    // is undefined.
    std::fill_n(out, outer * length * inner, T{0});
    for (int64_t o = 0; o < outer; ++o) {
        for (int64_t j = 0; j < inner; ++j) {
            const int64_t k = index[o * inner + j];
            if (k >= 0) out[(o * length + k) * inner + j] = values[o * inner + j];
        }
    }
}

}  // namespace

void gather(ng_dtype dtype, int64_t outer, int64_t inner, const void* x, const int64_t* x_strides,
            const int64_t* index, void* out) {
    switch (dtype) {
        case NG_DTYPE_F32:
            return gather_typed(outer, inner, static_cast<const float*>(x), x_strides, index, static_cast<float*>(out));
        case NG_DTYPE_F64:
            return gather_typed(outer, inner, static_cast<const double*>(x), x_strides, index, static_cast<double*>(out));
        default:
            return gather_typed(outer, inner, static_cast<const int64_t*>(x), x_strides, index, static_cast<int64_t*>(out));
    }
}

void scatter(ng_dtype dtype, int64_t outer, int64_t length, int64_t inner, const void* values, const int64_t* index,
             void* out) {
    switch (dtype) {
        case NG_DTYPE_F32:
            return scatter_typed(outer, length, inner, static_cast<const float*>(values), index, static_cast<float*>(out));
        case NG_DTYPE_F64:
            return scatter_typed(outer, length, inner, static_cast<const double*>(values), index,
                                 static_cast<double*>(out));
        default:
            return scatter_typed(outer, length, inner, static_cast<const int64_t*>(values), index,
                                 static_cast<int64_t*>(out));
    }
}

}  // namespace ng
