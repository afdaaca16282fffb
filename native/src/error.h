// The one exception type the library throws on purpose. The API guard turns it into its status
// and message; anything else that escapes a body is a bug and becomes NG_STATUS_INTERNAL.
#ifndef NATIVEGRAD_SRC_ERROR_H
#define NATIVEGRAD_SRC_ERROR_H

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

#include "nativegrad.h"

namespace ng {

class Error : public std::runtime_error {
public:
    Error(ng_status status, const std::string& message) : std::runtime_error(message), status_(status) {}
    ng_status status() const noexcept { return status_; }

private:
    ng_status status_;
};

// Messages are built from pieces of mixed types ("lda (", lda, ") must be >= k (", k, ")").
template <class... Parts>
std::string concat(const Parts&... parts) {
    std::ostringstream out;
    (out << ... << parts);
    return out.str();
}

template <class... Parts>
[[noreturn]] void fail(ng_status status, const Parts&... parts) {
    throw Error(status, concat(parts...));
}

}  // namespace ng

#endif
