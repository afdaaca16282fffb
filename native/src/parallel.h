// The one place native code splits work across threads. Kernels call parallel_for with a range
// and a grain (the least work worth a thread); ranges below the grain, or with one thread
// configured, run on the caller's thread. Today this runs everything serially: the persistent
// thread pool (NATIVEGRAD_NUM_THREADS, ng_threads_set) replaces the body, not the call sites.
#ifndef NATIVEGRAD_SRC_PARALLEL_H
#define NATIVEGRAD_SRC_PARALLEL_H

#include <cstdint>

namespace ng {

// Calls body(begin, end) over disjoint chunks covering [0, count), each at least `grain` long
// (but the last). body must not throw; chunks may run concurrently and in any order.
template <class Body>
inline void parallel_for(int64_t count, int64_t grain, const Body& body) {
    (void)grain;
    if (count > 0) body(int64_t{0}, count);
}

}  // namespace ng

#endif
