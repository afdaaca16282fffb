// Status names, the thread-local last-error message, and the version.
#include <string>

#include "api/guard.h"

namespace ng::api {
namespace {

thread_local std::string t_last_error;
// Points at a static string when recording the real message failed for lack of memory.
thread_local const char* t_fallback_error = nullptr;

}  // namespace

void record_error(const char* function, const char* message, const char* detail) noexcept {
    try {
        t_last_error.assign(function).append(": ").append(message).append(detail);
        t_fallback_error = nullptr;
    } catch (...) {
        t_fallback_error = "NativeGrad: out of memory while recording an error message";
    }
}

}  // namespace ng::api

extern "C" {

NG_API const char* ng_status_to_string(ng_status status) {
    // Through int: a caller may pass any value, including ones outside the enum's range.
    switch (static_cast<int>(status)) {
        case NG_STATUS_OK: return "NG_STATUS_OK";
        case NG_STATUS_NULL_POINTER: return "NG_STATUS_NULL_POINTER";
        case NG_STATUS_INVALID_ARGUMENT: return "NG_STATUS_INVALID_ARGUMENT";
        case NG_STATUS_INVALID_SIZE: return "NG_STATUS_INVALID_SIZE";
        case NG_STATUS_SHAPE_MISMATCH: return "NG_STATUS_SHAPE_MISMATCH";
        case NG_STATUS_UNSUPPORTED_DTYPE: return "NG_STATUS_UNSUPPORTED_DTYPE";
        case NG_STATUS_OUT_OF_MEMORY: return "NG_STATUS_OUT_OF_MEMORY";
        case NG_STATUS_INTERNAL: return "NG_STATUS_INTERNAL";
    }
    return "unknown status";
}

NG_API const char* ng_last_error_message(void) {
    if (ng::api::t_fallback_error != nullptr) return ng::api::t_fallback_error;
    return ng::api::t_last_error.c_str();
}

NG_API int32_t ng_version_number(void) { return NG_VERSION_NUMBER; }

}  // extern "C"
