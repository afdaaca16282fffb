// The one place native code splits work across threads. Kernels call parallel_for with a range
// and a grain (the least work worth waking a thread for); ranges under two grains, one configured
// thread, and calls made from inside a parallel region (or while another caller holds the pool)
// run on the caller's thread. The pool is persistent: workers sleep between jobs, so a split costs
// a wake-up, not a thread start.
#ifndef NATIVEGRAD_SRC_PARALLEL_H
#define NATIVEGRAD_SRC_PARALLEL_H

#include <cstdint>

namespace ng {

// Threads parallel_for may use, the caller's included: ng_threads_set's value, else
// NATIVEGRAD_NUM_THREADS, else the hardware's thread count.
int thread_count();

// Changes thread_count(); waits for a running job, then resizes the pool. threads >= 1.
void set_thread_count(int threads);

// Runs task(context, i) once for each i in [0, tasks) on up to thread_count() threads, the caller
// among them, and returns when all have finished. task must not throw.
void run_tasks(int64_t tasks, void (*task)(void* context, int64_t index), void* context);

// Calls body(begin, end) over disjoint chunks covering [0, count), each at least `grain` long,
// `chunks_per_thread` chunks per thread at most. The chunk bounds depend only on count, grain,
// chunks_per_thread and thread_count(), so a body that writes disjoint outputs gives the same
// result for any number of threads. body must not throw; chunks may run concurrently and in any
// order. Threads claim chunks as they finish the last, so more than one chunk per thread evens
// out a thread that is slowed (a core shared with another process) at the price of a few more
// claims.
template <class Body>
inline void parallel_for(int64_t count, int64_t grain, const Body& body, int chunks_per_thread = 1) {
    if (count <= 0) return;
    int64_t chunks = grain > 1 ? count / grain : count;
    // Small work (most calls) runs here without asking the pool for its size.
    const int threads = chunks < 2 ? 1 : thread_count();
    if (threads < 2) chunks = 1;
    else if (chunks > int64_t{threads} * chunks_per_thread) chunks = int64_t{threads} * chunks_per_thread;
    if (chunks < 2) {
        body(int64_t{0}, count);
        return;
    }
    struct Job {
        const Body* body;
        int64_t count, chunks;
    } job{&body, count, chunks};
    run_tasks(chunks, [](void* context, int64_t index) {
        const Job& j = *static_cast<const Job*>(context);
        (*j.body)(j.count * index / j.chunks, j.count * (index + 1) / j.chunks);
    }, &job);
}

}  // namespace ng

#endif
