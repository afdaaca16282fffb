// The built libnativegrad.so (nativegrad.dll on Windows) exports every NG_API function and hides
// the C++ internals.
#include <gtest/gtest.h>

#if defined(_WIN32)
#include <windows.h>
#else
#include <dlfcn.h>
#endif

#include "nativegrad.h"

namespace {

#if defined(_WIN32)
void* dlopen(const char* path, int) { return reinterpret_cast<void*>(LoadLibraryA(path)); }
void* dlsym(void* library, const char* name) {
    return reinterpret_cast<void*>(GetProcAddress(static_cast<HMODULE>(library), name));
}
void dlclose(void* library) { FreeLibrary(static_cast<HMODULE>(library)); }
const char* dlerror() { return "LoadLibrary failed"; }
constexpr int RTLD_NOW = 0, RTLD_LOCAL = 0;
#endif

TEST(SharedLibrary, ExportsTheCAbiOnly) {
    void* library = dlopen(NG_SHARED_LIBRARY_PATH, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(library, nullptr) << dlerror();

    for (const char* name : {"ng_status_to_string", "ng_last_error_message", "ng_version_number", "ng_storage_alloc",
                             "ng_storage_free", "ng_memory_stats", "ng_memory_trim", "ng_memory_set_cache_limit",
                             "ng_cpu_features", "ng_unary", "ng_binary", "ng_where", "ng_copy",
                             "ng_reduce", "ng_gemm", "ng_gemm_batched"}) {
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
