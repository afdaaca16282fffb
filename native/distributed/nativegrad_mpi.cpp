// nativegrad_mpi.h's implementation: each collective is its non-blocking MPI form, polled with
// MPI_Test until it completes or the deadline passes. C++ for the build's sake (the project's one
// language); only MPI's C API is used (MPI_CXX_SKIP_MPICXX keeps its C++ bindings out).
//
// Small all-reduces do not use MPI_Iallreduce: Open MPI's non-blocking collectives (libnbc) build
// and run a schedule per call, which made an 8-byte all-reduce several times slower than the
// blocking MPI_Allreduce (0.9-2.8 us against 0.3-1.3 us on 2 ranks here). Up to kSmallBytes they
// are recursive doubling over MPI_Isend/MPI_Irecv instead (MPICH's algorithm for short messages),
// polled under the same deadline.
#include "nativegrad_mpi.h"

#include <mpi.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <new>

#include <sched.h>

namespace {

thread_local char last_error[512];

// All-reduces of at most this many bytes take the point-to-point path (see the top).
constexpr int kSmallBytes = 16 * 1024;

// The small path's own communicator (a duplicate of MPI_COMM_WORLD, so its messages can never
// match anything else), this rank and the world size, and where a peer's values arrive. Made by
// ngmpi_init; calls are serialized (MPI_THREAD_SERIALIZED), so one buffer serves every thread.
MPI_Comm peers = MPI_COMM_NULL;
int peers_rank = 0, peers_size = 1;
unsigned char* scratch = nullptr;

// A waiter tests back to back this long before it starts yielding the core between tests.
constexpr double kSpinSeconds = 50e-6;

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

// Completes `requests` by testing them until they are done or `deadline` (now_seconds()) passes.
ngmpi_status wait_until(MPI_Request* requests, int count, double deadline, double timeout_seconds, const char* call) {
    const double spin_until = now_seconds() + kSpinSeconds;
    for (;;) {
        int done = 0;
        const int code = MPI_Testall(count, requests, &done, MPI_STATUSES_IGNORE);
        if (code != MPI_SUCCESS) return mpi_fail(code, call);
        if (done) return NGMPI_OK;
        const double now = now_seconds();
        if (now > deadline) {
            snprintf(last_error, sizeof last_error,
                     "%s did not complete within %g s: another rank failed, exited or never joined the collective",
                     call, timeout_seconds);
            return NGMPI_TIMEOUT;
        }
        // Open MPI advances a non-blocking operation only inside MPI calls, so a sleeping waiter
        // would stall the transfer itself: test back to back, and after the first microseconds
        // yield the core between tests (a rank waiting for a slow peer then shares its core,
        // and on an oversubscribed machine the peer it waits for gets to run).
        if (now > spin_until) sched_yield();
    }
}

ngmpi_status wait_until(MPI_Request* request, double timeout_seconds, const char* call) {
    return wait_until(request, 1, now_seconds() + timeout_seconds, timeout_seconds, call);
}

// Sends `bytes` of `send` to `peer` and receives as many from it into `receive`.
ngmpi_status exchange(const void* send, void* receive, int bytes, int peer, double deadline, double timeout_seconds) {
    MPI_Request requests[2] = {MPI_REQUEST_NULL, MPI_REQUEST_NULL};
    int code = receive == nullptr ? MPI_SUCCESS : MPI_Irecv(receive, bytes, MPI_BYTE, peer, 0, peers, &requests[0]);
    if (code == MPI_SUCCESS && send != nullptr) code = MPI_Isend(send, bytes, MPI_BYTE, peer, 0, peers, &requests[1]);
    if (code != MPI_SUCCESS) return mpi_fail(code, "MPI_Isend/MPI_Irecv");
    return wait_until(requests, 2, deadline, timeout_seconds, "all-reduce");
}

// buffer = lower op higher, where one of the two is `buffer` and the other the peer's values in
// `scratch`. Both ranks of a pair evaluate the same expression, so they hold the same bits after
// it (for MAX with a NaN too, where the order of the operands decides the result).
void combine(void* buffer, int count, int bytes, MPI_Datatype type, MPI_Op op, bool peer_is_lower) {
    if (peer_is_lower) {
        MPI_Reduce_local(scratch, buffer, count, type, op);  // inout = in op inout
    } else {
        MPI_Reduce_local(buffer, scratch, count, type, op);
        memcpy(buffer, scratch, static_cast<size_t>(bytes));
    }
}

// Recursive doubling (MPICH's MPIR_Allreduce_intra_recursive_doubling): with p2 the largest power
// of two <= the world size and extra = size - p2, the first 2 * extra ranks fold in pairs (the
// even one hands its values to the odd one and waits), the p2 remaining ranks exchange and
// combine with the rank whose index differs in bit k for each k, and the folded ranks get the
// result back: log2(p2) + 2 steps of one message each way, and no allocation.
ngmpi_status small_allreduce(void* buffer, int count, int bytes, MPI_Datatype type, MPI_Op op, double timeout_seconds) {
    const double deadline = now_seconds() + timeout_seconds;
    const int rank = peers_rank;
    int p2 = 1;
    while (p2 * 2 <= peers_size) p2 *= 2;
    const int extra = peers_size - p2;
    int index = rank - extra;  // this rank's place among the p2, or -1 while folded away
    ngmpi_status status = NGMPI_OK;
    if (rank < 2 * extra) {
        if (rank % 2 == 0) {
            status = exchange(buffer, nullptr, bytes, rank + 1, deadline, timeout_seconds);
            index = -1;
        } else {
            status = exchange(nullptr, scratch, bytes, rank - 1, deadline, timeout_seconds);
            if (status == NGMPI_OK) combine(buffer, count, bytes, type, op, true);
            index = rank / 2;
        }
    }
    for (int bit = 1; status == NGMPI_OK && index >= 0 && bit < p2; bit <<= 1) {
        const int partner_index = index ^ bit;
        const int partner = partner_index < extra ? partner_index * 2 + 1 : partner_index + extra;
        status = exchange(buffer, scratch, bytes, partner, deadline, timeout_seconds);
        if (status == NGMPI_OK) combine(buffer, count, bytes, type, op, partner < rank);
    }
    if (status == NGMPI_OK && rank < 2 * extra)
        status = rank % 2 == 0 ? exchange(nullptr, buffer, bytes, rank + 1, deadline, timeout_seconds)
                               : exchange(buffer, nullptr, bytes, rank - 1, deadline, timeout_seconds);
    return status;
}

// Larger all-reduces: MPI_Iallreduce (Open MPI picks the algorithm), in pieces of at most
// INT_MAX elements, all under one deadline.
ngmpi_status large_allreduce(void* buffer, int64_t count, int size, MPI_Datatype type, MPI_Op mpi_op, double timeout_seconds) {
    const double deadline = now_seconds() + timeout_seconds;
    for (int64_t done = 0; done < count;) {
        const int chunk = count - done > INT_MAX ? INT_MAX : static_cast<int>(count - done);
        MPI_Request request;
        const int code = MPI_Iallreduce(MPI_IN_PLACE, static_cast<char*>(buffer) + done * size, chunk, type, mpi_op, MPI_COMM_WORLD, &request);
        if (code != MPI_SUCCESS) return mpi_fail(code, "MPI_Iallreduce");
        const ngmpi_status status = wait_until(&request, 1, deadline, timeout_seconds, "all-reduce");
        if (status != NGMPI_OK) return status;
        done += chunk;
    }
    return NGMPI_OK;
}

// ReduceOp.Avg: the sum divided by the world size, in the tensor's own precision (as PyTorch's
// tensor / int does).
template <typename T>
void divide(void* buffer, int64_t count, int world) {
    T* values = static_cast<T*>(buffer);
    const T divisor = static_cast<T>(world);
    for (int64_t i = 0; i < count; ++i) values[i] /= divisor;
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
        case NGMPI_AVG: *mpi_op = MPI_SUM; return dtype == NGMPI_F32 || dtype == NGMPI_F64;
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
        // Errors come back as codes, not as the default abort (the duplicate inherits this).
        MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    }
    if (peers == MPI_COMM_NULL) {
        scratch = static_cast<unsigned char*>(malloc(kSmallBytes));
        if (scratch == nullptr) return fail(NGMPI_MPI_ERROR, "ngmpi_init: out of memory");
        const int code = MPI_Comm_dup(MPI_COMM_WORLD, &peers);
        if (code != MPI_SUCCESS) return mpi_fail(code, "MPI_Comm_dup");
        MPI_Comm_rank(peers, &peers_rank);
        MPI_Comm_size(peers, &peers_size);
    }
    *rank = peers_rank;
    *world_size = peers_size;
    return NGMPI_OK;
}

ngmpi_status ngmpi_finalize(void) {
    if (!running()) return NGMPI_OK;
    // MPI_Comm_free waits for nothing; after a timeout the job is over and this is not reached.
    if (peers != MPI_COMM_NULL) MPI_Comm_free(&peers);
    free(scratch);
    scratch = nullptr;
    const int code = MPI_Finalize();
    return code == MPI_SUCCESS ? NGMPI_OK : mpi_fail(code, "MPI_Finalize");
}

ngmpi_status ngmpi_allreduce(void* buffer, int64_t count, int32_t dtype, int32_t op, double timeout_seconds) {
    if (!running()) return fail(NGMPI_NOT_INITIALIZED, "ngmpi_allreduce: MPI is not initialized");
    MPI_Datatype type;
    MPI_Op mpi_op;
    int size = 0;
    if (!element_type(dtype, &type, &size)) return fail(NGMPI_INVALID_ARGUMENT, "ngmpi_allreduce: unknown dtype");
    if (!reduction(op, dtype, &mpi_op)) return fail(NGMPI_INVALID_ARGUMENT, "ngmpi_allreduce: unknown op, or AVG of an integer or bool dtype");
    if (count < 0 || (count > 0 && buffer == nullptr))
        return fail(NGMPI_INVALID_ARGUMENT, "ngmpi_allreduce: count must be >= 0 and buffer not null");
    const ngmpi_status status = count > 0 && count <= kSmallBytes / size
        ? small_allreduce(buffer, static_cast<int>(count), static_cast<int>(count) * size, type, mpi_op, timeout_seconds)
        : large_allreduce(buffer, count, size, type, mpi_op, timeout_seconds);
    if (status == NGMPI_OK && op == NGMPI_AVG) {
        if (dtype == NGMPI_F32) divide<float>(buffer, count, peers_size);
        else divide<double>(buffer, count, peers_size);
    }
    return status;
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
    if (op == NGMPI_AVG || !reduction(op, dtype, &mpi_op))
        return fail(NGMPI_INVALID_ARGUMENT, "ngmpi_allreduce_start: unknown op (AVG is ngmpi_allreduce's only)");
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
