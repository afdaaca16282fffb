// ng_threads_set and ng_threads_get: the pool in thread_pool.cpp.
#include "api/guard.h"
#include "error.h"
#include "parallel.h"

extern "C" {

NG_API ng_status ng_threads_set(int32_t threads) {
    return ng::api::guarded("ng_threads_set", [&] {
        if (threads < 1 || threads > 1024) {
            ng::fail(NG_STATUS_INVALID_ARGUMENT, "threads must be in [1, 1024], got ", threads);
        }
        ng::set_thread_count(threads);
    });
}

NG_API int32_t ng_threads_get(void) { return ng::thread_count(); }

}  // extern "C"
