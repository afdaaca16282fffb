// Argument checks shared by the exports. Each throws ng::Error with the status the header
// promises and a message naming the argument, its value and what was expected.
#ifndef NATIVEGRAD_SRC_API_VALIDATE_H
#define NATIVEGRAD_SRC_API_VALIDATE_H

#include <cstdint>

#include "error.h"
#include "nativegrad.h"

namespace ng::api {

inline void require_not_null(const void* pointer, const char* name) {
    if (pointer == nullptr) fail(NG_STATUS_NULL_POINTER, name, " must not be NULL");
}

inline void require_non_negative(int64_t value, const char* name) {
    if (value < 0) fail(NG_STATUS_INVALID_SIZE, name, " must be >= 0, got ", value);
}

// Bytes per element of `dtype` when it is in the set `supported` (ng::dtype_bit flags). An integer
// outside ng_dtype is NG_STATUS_INVALID_ARGUMENT; a real dtype outside the set is
// NG_STATUS_UNSUPPORTED_DTYPE, the message naming `operation` when it is not null.
int64_t require_dtype(ng_dtype dtype, int supported, const char* operation = nullptr, const char* argument = "dtype");

// require_dtype for NG_DTYPE_F32 or NG_DTYPE_F64.
int64_t float_element_size(ng_dtype dtype);

// Each checks that the value is one of its enum's (NG_STATUS_INVALID_ARGUMENT listing them) and
// returns its name ("NG_BINARY_ADD").
const char* require_unary_op(ng_unary_op op);
const char* require_binary_op(ng_binary_op op);
const char* require_reduce_op(ng_reduce_op op);

// ndim in [0, NG_MAX_DIMS], shape non-null when ndim > 0, each dimension >= 0, and the element
// count times max_element_size countable in an int64. Returns the element count.
int64_t require_shape(int32_t ndim, const int64_t* shape, int64_t max_element_size);

// A stride array: non-null when ndim > 0, and (when the shape has elements) every element it
// reaches within an int64 byte offset of the first.
void require_strides(const int64_t* strides, const char* name, int32_t ndim, const int64_t* shape, int64_t count,
                     int64_t element_size);

// A data pointer: non-null when the shape has elements.
void require_data(const void* pointer, const char* name, int32_t ndim, const int64_t* shape, int64_t count);

}  // namespace ng::api

#endif
