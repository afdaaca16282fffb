/* nativegrad_mpi: the few MPI collectives NativeGrad.Distributed needs, over the system's MPI
 * (Open MPI on Debian), as a flat C ABI that P/Invoke can call without knowing how this MPI
 * represents its handles. Built by CMake only when MPI is found; the core library never
 * depends on it.
 *
 * Every collective is MPI's non-blocking form completed by polling with a deadline, so that a
 * rank which never joins (it threw, or hangs) makes the others fail with NGMPI_TIMEOUT instead of
 * waiting forever. After a timeout the communicator is in an unknown state: the caller should
 * report the error and end the job (ngmpi_abort).
 *
 * All calls use MPI_COMM_WORLD. Buffers are the caller's; counts are elements (not bytes) and
 * may exceed INT_MAX (split into several MPI calls). Thread safety: call from one thread at a
 * time (MPI is initialised with MPI_THREAD_SERIALIZED when possible).
 */
#ifndef NATIVEGRAD_MPI_H
#define NATIVEGRAD_MPI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define NGMPI_API __declspec(dllexport)
#else
#define NGMPI_API __attribute__((visibility("default")))
#endif

/* Status codes: stable values. */
typedef enum ngmpi_status {
    NGMPI_OK = 0,
    NGMPI_MPI_ERROR = 1,        /* MPI returned an error; ngmpi_last_error() says which */
    NGMPI_TIMEOUT = 2,          /* the collective did not complete before the deadline */
    NGMPI_INVALID_ARGUMENT = 3, /* unknown dtype or op, negative count, null buffer with count > 0, bad root */
    NGMPI_NOT_INITIALIZED = 4,  /* ngmpi_init was not called, or ngmpi_finalize was */
} ngmpi_status;

/* Element types: the same numbering as nativegrad.h's ng_dtype. */
typedef enum ngmpi_dtype { NGMPI_F32 = 0, NGMPI_F64 = 1, NGMPI_I64 = 2, NGMPI_BOOL = 3 } ngmpi_dtype;

/* Reductions. For bool, SUM and MAX are logical or, MIN logical and. AVG (the sum divided by the
 * world size, in the dtype's precision) is for F32 and F64 and for ngmpi_allreduce only. */
typedef enum ngmpi_op { NGMPI_SUM = 0, NGMPI_MAX = 1, NGMPI_MIN = 2, NGMPI_AVG = 3 } ngmpi_op;

/* Initialises MPI (once per process; later calls only report) and returns this process's rank and
 * the number of processes. */
NGMPI_API ngmpi_status ngmpi_init(int32_t* rank, int32_t* world_size);

/* Finalises MPI. Further collectives return NGMPI_NOT_INITIALIZED. */
NGMPI_API ngmpi_status ngmpi_finalize(void);

/* buffer[i] = op over all ranks of buffer[i], in place, for `count` elements of `dtype`. Every
 * rank ends with the same bits (the small path combines in rank order). Up to 16 KiB this is recursive doubling over point-to-point
 * messages on a duplicate of MPI_COMM_WORLD (a few microseconds on shared memory), above it
 * MPI_Iallreduce; either way under the deadline. No allocation. */
NGMPI_API ngmpi_status ngmpi_allreduce(void* buffer, int64_t count, int32_t dtype, int32_t op, double timeout_seconds);

/* An all-reduce in flight: started by ngmpi_allreduce_start, finished by ngmpi_wait. */
typedef struct ngmpi_request ngmpi_request;

/* Starts ngmpi_allreduce on `buffer` (count <= INT_MAX) and returns at once; the buffer must stay
 * valid and untouched until ngmpi_wait returns. On failure *request is null. */
NGMPI_API ngmpi_status ngmpi_allreduce_start(void* buffer, int64_t count, int32_t dtype, int32_t op, ngmpi_request** request);

/* Waits for `request` to complete (or for the deadline) and frees it, whatever the result. */
NGMPI_API ngmpi_status ngmpi_wait(ngmpi_request* request, double timeout_seconds);

/* Copies `bytes` bytes of `buffer` on rank `root` into `buffer` on every other rank. */
NGMPI_API ngmpi_status ngmpi_broadcast(void* buffer, int64_t bytes, int32_t root, double timeout_seconds);

/* receive[r * bytes .. (r + 1) * bytes) = rank r's send[0 .. bytes), for every rank r.
 * bytes <= INT_MAX. */
NGMPI_API ngmpi_status ngmpi_allgather(const void* send, int64_t bytes, void* receive, double timeout_seconds);

/* Returns once every rank has called it, or NGMPI_TIMEOUT. */
NGMPI_API ngmpi_status ngmpi_barrier(double timeout_seconds);

/* Ends every process of the job with `code` (MPI_Abort). */
NGMPI_API void ngmpi_abort(int32_t code);

/* The message of this thread's last failed call, or "". Valid until the next call. */
NGMPI_API const char* ngmpi_last_error(void);

#ifdef __cplusplus
}
#endif

#endif
