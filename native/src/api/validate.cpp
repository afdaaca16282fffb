#include "api/validate.h"

#include <limits>
#include <string>

#include "kernels/kernels.h"

namespace ng::api {
namespace {

const char* dtype_name(ng_dtype dtype) {
    switch (static_cast<int>(dtype)) {
        case NG_DTYPE_F32: return "NG_DTYPE_F32";
        case NG_DTYPE_F64: return "NG_DTYPE_F64";
        case NG_DTYPE_I64: return "NG_DTYPE_I64";
        case NG_DTYPE_BOOL: return "NG_DTYPE_BOOL";
    }
    return nullptr;
}

// "A (0), B (1) or C (2)"
std::string dtype_choices(int supported) {
    std::string choices;
    int remaining = supported;
    for (int value = 0; value < kDtypeCount; ++value) {
        if ((supported & (1 << value)) == 0) continue;
        remaining &= ~(1 << value);
        const char* separator = choices.empty() ? "" : (remaining == 0 ? " or " : ", ");
        choices += concat(separator, dtype_name(static_cast<ng_dtype>(value)), " (", value, ")");
    }
    return choices;
}

static_assert(kUnaryOpCount <= 32 && kBinaryOpCount <= 32 && kReduceOpCount <= 32, "OpNames holds 32 names");

// The names of an op enum, from its list; `choices` is "one of A (0), B (1), ...".
struct OpNames {
    const char* names[32];
    int count = 0;
    std::string choices;

    void add(const char* name) {
        choices += concat(count == 0 ? "" : ", ", name, " (", count, ")");
        names[count++] = name;
    }
};

#define NG_ADD_NAME(op, functor, dtypes) names.add(#op);
const OpNames& unary_names() {
    static const OpNames names = [] {
        OpNames names;
        NG_UNARY_OP_LIST(NG_ADD_NAME)
        return names;
    }();
    return names;
}
const OpNames& binary_names() {
    static const OpNames names = [] {
        OpNames names;
        NG_BINARY_OP_LIST(NG_ADD_NAME)
        return names;
    }();
    return names;
}
const OpNames& reduce_names() {
    static const OpNames names = [] {
        OpNames names;
        NG_REDUCE_OP_LIST(NG_ADD_NAME)
        return names;
    }();
    return names;
}
#undef NG_ADD_NAME

const char* require_op(int value, const OpNames& names, const char* enum_name) {
    if (value < 0 || value >= names.count) {
        fail(NG_STATUS_INVALID_ARGUMENT, "op (", value, ") is not an ", enum_name, "; expected one of ", names.choices);
    }
    return names.names[value];
}

// "[2, 3, 4]"
std::string shape_text(int32_t ndim, const int64_t* shape) {
    std::string text = "[";
    for (int32_t d = 0; d < ndim; ++d) text += concat(d == 0 ? "" : ", ", shape[d]);
    return text + "]";
}

}  // namespace

int64_t require_dtype(ng_dtype dtype, int supported, const char* operation, const char* argument) {
    const int value = static_cast<int>(dtype);
    const char* name = dtype_name(dtype);
    if (name == nullptr) {
        fail(NG_STATUS_INVALID_ARGUMENT, argument, " (", value, ") is not an ng_dtype; expected ",
             dtype_choices(supported));
    }
    if ((supported & dtype_bit(dtype)) == 0) {
        fail(NG_STATUS_UNSUPPORTED_DTYPE, argument, " ", name, " (", value, ") is not supported",
             operation != nullptr ? " by " : "", operation != nullptr ? operation : "", "; expected ",
             dtype_choices(supported));
    }
    return dtype_size(dtype);
}

int64_t float_element_size(ng_dtype dtype) { return require_dtype(dtype, kFloatDtypes); }

const char* require_unary_op(ng_unary_op op) { return require_op(static_cast<int>(op), unary_names(), "ng_unary_op"); }
const char* require_binary_op(ng_binary_op op) {
    return require_op(static_cast<int>(op), binary_names(), "ng_binary_op");
}
const char* require_reduce_op(ng_reduce_op op) {
    return require_op(static_cast<int>(op), reduce_names(), "ng_reduce_op");
}

int64_t require_shape(int32_t ndim, const int64_t* shape, int64_t max_element_size) {
    if (ndim < 0 || ndim > NG_MAX_DIMS) {
        fail(NG_STATUS_INVALID_ARGUMENT, "ndim (", ndim, ") must be in [0, ", NG_MAX_DIMS, "]");
    }
    if (ndim > 0 && shape == nullptr) fail(NG_STATUS_NULL_POINTER, "shape must not be NULL when ndim (", ndim, ") > 0");
    bool empty = false;
    for (int32_t d = 0; d < ndim; ++d) {
        if (shape[d] < 0) fail(NG_STATUS_INVALID_SIZE, "shape[", d, "] must be >= 0, got ", shape[d]);
        empty = empty || shape[d] == 0;
    }
    if (empty) return 0;
    // Overflow-checked multiplies, not divisions: these checks run on every call, and two
    // divisions per dimension and operand were a fifth of a 16-element ng_binary.
    int64_t count = 1;
    int64_t bytes = 0;
    for (int32_t d = 0; d < ndim; ++d) {
        if (__builtin_mul_overflow(count, shape[d], &count) || __builtin_mul_overflow(count, max_element_size, &bytes)) {
            fail(NG_STATUS_INVALID_SIZE, "shape ", shape_text(ndim, shape), " times the ", max_element_size,
                 "-byte element size overflows int64");
        }
    }
    return count;
}

void require_strides(const int64_t* strides, const char* name, int32_t ndim, const int64_t* shape, int64_t count,
                     int64_t element_size) {
    if (ndim > 0 && strides == nullptr) {
        fail(NG_STATUS_NULL_POINTER, name, " must not be NULL when ndim (", ndim, ") > 0");
    }
    if (count == 0) return;
    // Sum of |stride| * (size - 1) * element_size over the dimensions, checked step by step.
    int64_t reach = 0;
    for (int32_t d = 0; d < ndim; ++d) {
        const int64_t steps = shape[d] - 1;
        const int64_t stride = strides[d];
        // A dimension of size 1 never steps, whatever its stride (INT64_MIN included, whose
        // magnitude no int64 holds).
        if (steps == 0) continue;
        int64_t bytes = 0;
        const bool fits = stride != std::numeric_limits<int64_t>::min() &&
                          !__builtin_mul_overflow(stride < 0 ? -stride : stride, steps, &bytes) &&
                          !__builtin_mul_overflow(bytes, element_size, &bytes);
        if (!fits || __builtin_add_overflow(reach, bytes, &reach)) {
            fail(NG_STATUS_INVALID_SIZE, name, " (stride ", stride, " over dimension ", d, " of shape ",
                 shape_text(ndim, shape), ") reach more bytes than an int64 can count");
        }
    }
}

void require_data(const void* pointer, const char* name, int32_t ndim, const int64_t* shape, int64_t count) {
    if (pointer == nullptr && count > 0) {
        fail(NG_STATUS_NULL_POINTER, name, " must not be NULL when shape ", shape_text(ndim, shape), " has ", count,
             count == 1 ? " element" : " elements");
    }
}

}  // namespace ng::api
