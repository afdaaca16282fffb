// The built libnativegrad.so exports every NG_API function and hides the C++ internals.
#include <gtest/gtest.h>

#include <dlfcn.h>

#include "nativegrad.h"

namespace {

TEST(SharedLibrary, ExportsTheCAbiOnly) {
    void* library = dlopen(NG_SHARED_LIBRARY_PATH, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(library, nullptr) << dlerror();

    for (const char* name : {"ng_status_to_string", "ng_last_error_message", "ng_version_number", "ng_storage_alloc",
                             "ng_storage_free", "ng_memory_stats", "ng_memory_trim", "ng_memory_set_cache_limit",
                             "ng_cpu_features", "ng_unary", "ng_binary", "ng_where", "ng_copy",
                             "ng_reduce", "ng_gemm"}) {
        EXPECT_NE(dlsym(library, name), nullptr) << name << " is not exported";
    }
    // ng::storage_allocator() and ng::kernel_table(ng_cpu_tier) stay hidden.
    EXPECT_EQ(dlsym(library, "_ZN2ng17storage_allocatorEv"), nullptr);
    EXPECT_EQ(dlsym(library, "_ZN2ng12kernel_tableE11ng_cpu_tier"), nullptr);

    auto version = reinterpret_cast<int32_t (*)()>(dlsym(library, "ng_version_number"));
    ASSERT_NE(version, nullptr);
    EXPECT_EQ(version(), NG_VERSION_NUMBER);
    dlclose(library);
}

}  // namespace
