#include "api/validate.h"

#include <string>

#include "kernels/kernels.h"

namespace ng::api {
namespace {

constexpr const char* kFloatDtypes = "NG_DTYPE_F32 (0) or NG_DTYPE_F64 (1)";

const char* dtype_name(ng_dtype dtype) {
    switch (static_cast<int>(dtype)) {
        case NG_DTYPE_F32: return "NG_DTYPE_F32";
        case NG_DTYPE_F64: return "NG_DTYPE_F64";
        case NG_DTYPE_I64: return "NG_DTYPE_I64";
        case NG_DTYPE_BOOL: return "NG_DTYPE_BOOL";
    }
    return nullptr;
}

std::string binary_op_choices() {
    std::string choices;
#define NG_APPEND_CHOICE(op, name, functor) \
    choices += concat(choices.empty() ? "" : ", ", #op, " (", static_cast<int>(op), ")");
    NG_BINARY_OP_LIST(NG_APPEND_CHOICE)
#undef NG_APPEND_CHOICE
    return choices;
}

}  // namespace

int64_t float_element_size(ng_dtype dtype) {
    switch (static_cast<int>(dtype)) {
        case NG_DTYPE_F32: return sizeof(float);
        case NG_DTYPE_F64: return sizeof(double);
        default: break;
    }
    const char* name = dtype_name(dtype);
    if (name == nullptr) {
        fail(NG_STATUS_INVALID_ARGUMENT, "dtype (", static_cast<int>(dtype), ") is not an ng_dtype; expected ",
             kFloatDtypes);
    }
    fail(NG_STATUS_UNSUPPORTED_DTYPE, "dtype ", name, " (", static_cast<int>(dtype), ") is not supported; expected ",
         kFloatDtypes);
}

void require_binary_op(ng_binary_op op) {
    if (static_cast<int>(op) < 0 || static_cast<int>(op) >= kBinaryOpCount) {
        fail(NG_STATUS_INVALID_ARGUMENT, "op (", static_cast<int>(op), ") is not an ng_binary_op; expected one of ",
             binary_op_choices());
    }
}

}  // namespace ng::api
