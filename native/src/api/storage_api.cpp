// ng_storage_* and ng_memory_*: shims over ng::storage_allocator().
#include "allocator.h"
#include "api/guard.h"
#include "api/validate.h"

using ng::api::guarded;

extern "C" {

NG_API ng_status ng_storage_alloc(int64_t bytes, void** out_ptr) {
    return guarded("ng_storage_alloc", [&] {
        ng::api::require_not_null(out_ptr, "out_ptr");
        *out_ptr = nullptr;
        ng::api::require_non_negative(bytes, "bytes");
        *out_ptr = ng::storage_allocator().allocate(bytes);
    });
}

NG_API void ng_storage_free(void* ptr) {
    // Cannot fail; guarded only so that nothing could ever unwind into the caller.
    (void)guarded("ng_storage_free", [&] { ng::storage_allocator().deallocate(ptr); });
}

NG_API ng_status ng_memory_stats(ng_memory_counters* out) {
    return guarded("ng_memory_stats", [&] {
        ng::api::require_not_null(out, "out");
        *out = ng::storage_allocator().counters();
    });
}

NG_API void ng_memory_trim(void) {
    (void)guarded("ng_memory_trim", [] { ng::storage_allocator().trim(); });
}

NG_API ng_status ng_memory_set_cache_limit(int64_t bytes) {
    return guarded("ng_memory_set_cache_limit", [&] {
        ng::api::require_non_negative(bytes, "bytes");
        ng::storage_allocator().set_cache_limit(bytes);
    });
}

}  // extern "C"
