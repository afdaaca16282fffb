// The persistent pool behind parallel.h.
//
// One job runs at a time: run_tasks publishes it under the mutex, bumps the generation, wakes the
// workers, and takes tasks itself from the shared counter like any worker. It returns only when
// every worker has checked out of the job, so no worker can still hold a pointer into the
// caller's stack when the next job is published. A second caller that finds the pool busy (two
// managed threads, or a task that itself calls parallel_for) runs its tasks serially instead of
// waiting: the pool never deadlocks and never oversubscribes the cores.
//
// Workers spin for a short while after a job before sleeping, because kernels tend to come in
// runs (a training step is hundreds of them) and a futex wake-up costs more than the spin.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#include "parallel.h"

namespace ng {
namespace {

int threads_from_environment() {
    // Unset, unparsable or < 1: the hardware's count (the default is always safe).
    if (const char* text = std::getenv("NATIVEGRAD_NUM_THREADS"); text != nullptr && *text != '\0') {
        char* end = nullptr;
        const long value = std::strtol(text, &end, 10);
        if (*end == '\0' && value >= 1 && value <= 1024) return static_cast<int>(value);
    }
    const unsigned hardware = std::thread::hardware_concurrency();
    return hardware == 0 ? 1 : static_cast<int>(hardware);
}

thread_local bool inside_task = false;

class ThreadPool {
public:
    int threads() const { return threads_.load(std::memory_order_relaxed); }

    void resize(int threads) {
        std::lock_guard submit(submit_);
        stop_workers();
        threads_.store(threads, std::memory_order_relaxed);
    }

    void run(int64_t tasks, void (*task)(void*, int64_t), void* context) {
        std::unique_lock submit(submit_, std::try_to_lock);
        if (inside_task || !submit.owns_lock()) {
            for (int64_t i = 0; i < tasks; ++i) task(context, i);
            return;
        }
        start_workers();
        {
            std::lock_guard lock(mutex_);
            task_ = task;
            context_ = context;
            tasks_ = tasks;
            next_.store(0, std::memory_order_relaxed);
            checked_out_ = 0;
            generation_.fetch_add(1, std::memory_order_release);
        }
        wake_.notify_all();
        work();
        std::unique_lock lock(mutex_);
        done_.wait(lock, [&] { return checked_out_ == workers_.size(); });
    }

private:
    void work() {
        inside_task = true;
        for (int64_t i; (i = next_.fetch_add(1, std::memory_order_relaxed)) < tasks_;) task_(context_, i);
        inside_task = false;
    }

    // seen: the generation when the worker was created. A new thread may first run after the job
    // it was started for is published; reading the generation itself would then skip that job.
    void worker_loop(uint64_t seen) {
        for (;;) {
            const auto spin_until = std::chrono::steady_clock::now() + std::chrono::microseconds(50);
            while (generation_.load(std::memory_order_acquire) == seen &&
                   std::chrono::steady_clock::now() < spin_until) {
                std::this_thread::yield();
            }
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [&] { return stop_ || generation_.load(std::memory_order_relaxed) != seen; });
            if (stop_) return;
            seen = generation_.load(std::memory_order_relaxed);
            lock.unlock();
            work();
            lock.lock();
            if (++checked_out_ == workers_.size()) done_.notify_one();
        }
    }

    // Called with submit_ held.
    void start_workers() {
        const size_t wanted = static_cast<size_t>(threads()) - 1;
        if (workers_.size() == wanted) return;
        stop_workers();
        workers_.reserve(wanted);
        const uint64_t current = generation_.load(std::memory_order_relaxed);
        for (size_t i = 0; i < wanted; ++i) workers_.emplace_back([this, current] { worker_loop(current); });
    }

    void stop_workers() {
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        for (std::thread& worker : workers_) worker.join();
        workers_.clear();
        stop_ = false;
    }

    std::atomic<int> threads_{threads_from_environment()};
    std::mutex submit_;  // held by the one caller whose job runs
    std::mutex mutex_;   // guards the job fields, checked_out_ and stop_
    std::condition_variable wake_, done_;
    std::vector<std::thread> workers_;
    std::atomic<uint64_t> generation_{0};
    void (*task_)(void*, int64_t) = nullptr;
    void* context_ = nullptr;
    int64_t tasks_ = 0;
    std::atomic<int64_t> next_{0};
    size_t checked_out_ = 0;
    bool stop_ = false;
};

// Never destroyed: joining workers from a static destructor at process exit races the runtime's
// own teardown (CoreCLR unloads late, Windows holds the loader lock), and the OS reclaims them.
ThreadPool& pool() {
    static ThreadPool* const instance = new ThreadPool();
    return *instance;
}

}  // namespace

int thread_count() { return pool().threads(); }

void set_thread_count(int threads) { pool().resize(threads); }

void run_tasks(int64_t tasks, void (*task)(void*, int64_t), void* context) { pool().run(tasks, task, context); }

}  // namespace ng
