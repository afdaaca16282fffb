// ng_gather and ng_scatter: one element per (outer, inner) position picked from, or written to,
// the position an index names along the middle axis. One implementation for every tier: each
// element is an indexed load or store, which vector code would not make faster at these sizes
// (a loss picks one element per sample).
#ifndef NATIVEGRAD_SRC_KERNELS_GATHER_H
#define NATIVEGRAD_SRC_KERNELS_GATHER_H

#include <cstdint>

#include "nativegrad.h"

namespace ng {

// Arguments validated as the exports do: dtype numeric, sizes >= 0, every index in [-1, length),
// pointers valid where elements are read or written.
void gather(ng_dtype dtype, int64_t outer, int64_t inner, const void* x, const int64_t* x_strides,
            const int64_t* index, void* out);
void scatter(ng_dtype dtype, int64_t outer, int64_t length, int64_t inner, const void* values, const int64_t* index,
             void* out);

}  // namespace ng

#endif
