// nativegrad_mpi.h's implementation: each collective is its non-blocking MPI form, polled with
// MPI_Test until it completes or the deadline passes. C++ for the build's sake (the project's one
// language); only MPI's C API is used (MPI_CXX_SKIP_MPICXX keeps its C++ bindings out).
#include "nativegrad_mpi.h"

#include <mpi.h>

#include <climits>
#include <new>
#include <cstdio>
#include <ctime>

#include <sched.h>

namespace {

thread_local char last_error[512];

ngmpi_status fail(ngmpi_status status, const char* message) {
    snprintf(last_error, sizeof last_error, "%s", message);
    return status;
}

ngmpi_status mpi_fail(int code, const char* call) {
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) snprintf(text, sizeof text, "error %d", code);
    snprintf(last_error, sizeof last_error, "%s failed: %s", call, text);
    return NGMPI_MPI_ERROR;
}

int running(void) {
    int initialized = 0, finalized = 0;
    MPI_Initialized(&initialized);
    MPI_Finalized(&finalized);
    return initialized && !finalized;
}

double now_seconds(void) {
    timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// Completes `request` by testing it until it is done or the deadline passes.
ngmpi_status wait_until(MPI_Request* request, double timeout_seconds, const char* call) {
    const double deadline = now_seconds() + timeout_seconds;
    for (long polls = 0;; ++polls) {
        int done = 0;
        const int code = MPI_Test(request, &done, MPI_STATUS_IGNORE);
        if (code != MPI_SUCCESS) return mpi_fail(code, call);
        if (done) return NGMPI_OK;
        if (now_seconds() > deadline) {
            snprintf(last_error, sizeof last_error,
                     "%s did not complete within %g s: another rank failed, exited or never joined the collective",
                     call, timeout_seconds);
            return NGMPI_TIMEOUT;
        }
        // Open MPI advances a non-blocking collective only inside MPI calls, so a sleeping waiter
        // would stall the transfer itself: test back to back, and after the first 10,000 tests
        // yield the core between them (a rank waiting for a slow peer then shares its core).
        if (polls > 10000) sched_yield();
    }
}

int element_type(int32_t dtype, MPI_Datatype* type, int* size) {
    switch (dtype) {
        case NGMPI_F32: *type = MPI_FLOAT, *size = 4; return 1;
        case NGMPI_F64: *type = MPI_DOUBLE, *size = 8; return 1;
        case NGMPI_I64: *type = MPI_INT64_T, *size = 8; return 1;
        case NGMPI_BOOL: *type = MPI_UINT8_T, *size = 1; return 1;
        default: return 0;
    }
}

int reduction(int32_t op, int32_t dtype, MPI_Op* mpi_op) {
    const int is_bool = dtype == NGMPI_BOOL;
    switch (op) {
        case NGMPI_SUM: *mpi_op = is_bool ? MPI_BOR : MPI_SUM; return 1;
        case NGMPI_MAX: *mpi_op = is_bool ? MPI_BOR : MPI_MAX; return 1;
        case NGMPI_MIN: *mpi_op = is_bool ? MPI_BAND : MPI_MIN; return 1;
        default: return 0;
    }
}

}  // namespace

ngmpi_status ngmpi_init(int32_t* rank, int32_t* world_size) {
    if (rank == nullptr || world_size == nullptr) return fail(NGMPI_INVALID_ARGUMENT, "ngmpi_init: rank and world_size must not be null");
    int finalized = 0, initialized = 0;
    MPI_Finalized(&finalized);
    if (finalized) return fail(NGMPI_NOT_INITIALIZED, "ngmpi_init: MPI was already finalized in this process");
    MPI_Initialized(&initialized);
    if (!initialized) {
        int provided = 0;
        const int code = MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
        if (code != MPI_SUCCESS) return mpi_fail(code, "MPI_Init_thread");
        // Errors come back as codes, not as the default abort.
        MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    }
    int r = 0, n = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    *rank = r;
    *world_size = n;
    return NGMPI_OK;
}

ngmpi_status ngmpi_finalize(void) {
    if (!running()) return NGMPI_OK;
    const int code = MPI_Finalize();
    return code == MPI_SUCCESS ? NGMPI_OK : mpi_fail(code, "MPI_Finalize");
}

ngmpi_status ngmpi_allreduce(void* buffer, int64_t count, int32_t dtype, int32_t op, double timeout_seconds) {
    if (!running()) return fail(NGMPI_NOT_INITIALIZED, "ngmpi_allreduce: MPI is not initialized");
    MPI_Datatype type;
    MPI_Op mpi_op;
    int size = 0;
    if (!element_type(dtype, &type, &size)) return fail(NGMPI_INVALID_ARGUMENT, "ngmpi_allreduce: unknown dtype");
    if (!reduction(op, dtype, &mpi_op)) return fail(NGMPI_INVALID_ARGUMENT, "ngmpi_allreduce: unknown op");
    if (count < 0 || (count > 0 && buffer == nullptr))
        return fail(NGMPI_INVALID_ARGUMENT, "ngmpi_allreduce: count must be >= 0 and buffer not null");
    for (int64_t done = 0; done < count;) {
        const int chunk = count - done > INT_MAX ? INT_MAX : static_cast<int>(count - done);
        MPI_Request request;
        const int code = MPI_Iallreduce(MPI_IN_PLACE, static_cast<char*>(buffer) + done * size, chunk, type, mpi_op, MPI_COMM_WORLD, &request);
        if (code != MPI_SUCCESS) return mpi_fail(code, "MPI_Iallreduce");
        const ngmpi_status status = wait_until(&request, timeout_seconds, "all-reduce");
        if (status != NGMPI_OK) return status;
        done += chunk;
    }
    return NGMPI_OK;
}

struct ngmpi_request {
    MPI_Request request;
};

ngmpi_status ngmpi_allreduce_start(void* buffer, int64_t count, int32_t dtype, int32_t op, ngmpi_request** request) {
    if (request == nullptr) return fail(NGMPI_INVALID_ARGUMENT, "ngmpi_allreduce_start: request must not be null");
    *request = nullptr;
    if (!running()) return fail(NGMPI_NOT_INITIALIZED, "ngmpi_allreduce_start: MPI is not initialized");
    MPI_Datatype type;
    MPI_Op mpi_op;
    int size = 0;
    if (!element_type(dtype, &type, &size)) return fail(NGMPI_INVALID_ARGUMENT, "ngmpi_allreduce_start: unknown dtype");
    if (!reduction(op, dtype, &mpi_op)) return fail(NGMPI_INVALID_ARGUMENT, "ngmpi_allreduce_start: unknown op");
    if (count < 0 || count > INT_MAX || (count > 0 && buffer == nullptr))
        return fail(NGMPI_INVALID_ARGUMENT, "ngmpi_allreduce_start: count must be in [0, INT_MAX] and buffer not null");
    auto* started = new (std::nothrow) ngmpi_request;
    if (started == nullptr) return fail(NGMPI_MPI_ERROR, "ngmpi_allreduce_start: out of memory");
    const int code = MPI_Iallreduce(MPI_IN_PLACE, buffer, static_cast<int>(count), type, mpi_op, MPI_COMM_WORLD, &started->request);
    if (code != MPI_SUCCESS) {
        delete started;
        return mpi_fail(code, "MPI_Iallreduce");
    }
    *request = started;
    return NGMPI_OK;
}

ngmpi_status ngmpi_wait(ngmpi_request* request, double timeout_seconds) {
    if (request == nullptr) return fail(NGMPI_INVALID_ARGUMENT, "ngmpi_wait: request must not be null");
    const ngmpi_status status = wait_until(&request->request, timeout_seconds, "all-reduce");
    delete request;  // after a timeout MPI still holds the operation; the job is over anyway
    return status;
}

ngmpi_status ngmpi_broadcast(void* buffer, int64_t bytes, int32_t root, double timeout_seconds) {
    if (!running()) return fail(NGMPI_NOT_INITIALIZED, "ngmpi_broadcast: MPI is not initialized");
    int world = 0;
    MPI_Comm_size(MPI_COMM_WORLD, &world);
    if (root < 0 || root >= world) return fail(NGMPI_INVALID_ARGUMENT, "ngmpi_broadcast: root is not a rank");
    if (bytes < 0 || (bytes > 0 && buffer == nullptr))
        return fail(NGMPI_INVALID_ARGUMENT, "ngmpi_broadcast: bytes must be >= 0 and buffer not null");
    for (int64_t done = 0; done < bytes;) {
        const int chunk = bytes - done > INT_MAX ? INT_MAX : static_cast<int>(bytes - done);
        MPI_Request request;
        const int code = MPI_Ibcast(static_cast<char*>(buffer) + done, chunk, MPI_BYTE, root, MPI_COMM_WORLD, &request);
        if (code != MPI_SUCCESS) return mpi_fail(code, "MPI_Ibcast");
        const ngmpi_status status = wait_until(&request, timeout_seconds, "broadcast");
        if (status != NGMPI_OK) return status;
        done += chunk;
    }
    return NGMPI_OK;
}

ngmpi_status ngmpi_allgather(const void* send, int64_t bytes, void* receive, double timeout_seconds) {
    if (!running()) return fail(NGMPI_NOT_INITIALIZED, "ngmpi_allgather: MPI is not initialized");
    if (bytes < 0 || bytes > INT_MAX || (bytes > 0 && (send == nullptr || receive == nullptr)))
        return fail(NGMPI_INVALID_ARGUMENT, "ngmpi_allgather: bytes must be in [0, INT_MAX] and the buffers not null");
    if (bytes == 0) return ngmpi_barrier(timeout_seconds);
    MPI_Request request;
    const int code = MPI_Iallgather(send, static_cast<int>(bytes), MPI_BYTE, receive, static_cast<int>(bytes), MPI_BYTE, MPI_COMM_WORLD, &request);
    if (code != MPI_SUCCESS) return mpi_fail(code, "MPI_Iallgather");
    return wait_until(&request, timeout_seconds, "all-gather");
}

ngmpi_status ngmpi_barrier(double timeout_seconds) {
    if (!running()) return fail(NGMPI_NOT_INITIALIZED, "ngmpi_barrier: MPI is not initialized");
    MPI_Request request;
    const int code = MPI_Ibarrier(MPI_COMM_WORLD, &request);
    if (code != MPI_SUCCESS) return mpi_fail(code, "MPI_Ibarrier");
    return wait_until(&request, timeout_seconds, "barrier");
}

void ngmpi_abort(int32_t code) {
    if (running()) MPI_Abort(MPI_COMM_WORLD, code);
}

const char* ngmpi_last_error(void) { return last_error; }
