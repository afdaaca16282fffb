// The one wrapper around every export body: runs it, and turns whatever it throws into a status
// plus a thread-local message, so no C++ exception ever crosses the C ABI.
#ifndef NATIVEGRAD_SRC_API_GUARD_H
#define NATIVEGRAD_SRC_API_GUARD_H

#include <exception>
#include <new>

#include "error.h"
#include "nativegrad.h"

namespace ng::api {

// Sets this thread's ng_last_error_message() to "<function>: <message><detail>". Never throws:
// if even that allocation fails, a fixed message stands in.
void record_error(const char* function, const char* message, const char* detail = "") noexcept;

// Runs body(); NG_STATUS_OK if it returns, otherwise the status its exception maps to:
// ng::Error -> its own status, std::bad_alloc -> NG_STATUS_OUT_OF_MEMORY, any other exception
// -> NG_STATUS_INTERNAL with what() in the message.
template <class Body>
ng_status guarded(const char* function, Body&& body) noexcept {
    try {
        body();
        return NG_STATUS_OK;
    } catch (const Error& error) {
        record_error(function, error.what());
        return error.status();
    } catch (const std::bad_alloc&) {
        record_error(function, "out of memory (std::bad_alloc)");
        return NG_STATUS_OUT_OF_MEMORY;
    } catch (const std::exception& error) {
        record_error(function, "internal error: ", error.what());
        return NG_STATUS_INTERNAL;
    } catch (...) {
        record_error(function, "internal error: an exception of unknown type");
        return NG_STATUS_INTERNAL;
    }
}

}  // namespace ng::api

#endif
