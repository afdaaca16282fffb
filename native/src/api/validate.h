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

// Bytes per element of a floating-point dtype. An integer outside ng_dtype is
// NG_STATUS_INVALID_ARGUMENT; a real dtype the operation lacks is NG_STATUS_UNSUPPORTED_DTYPE.
int64_t float_element_size(ng_dtype dtype);

void require_binary_op(ng_binary_op op);

}  // namespace ng::api

#endif
