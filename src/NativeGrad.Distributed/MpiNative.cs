using System.Reflection;
using System.Runtime.InteropServices;

namespace NativeGrad.Distributed;

/// <summary>
/// P/Invoke over native/distributed/nativegrad_mpi.h (ten functions, written out here: the
/// binding generator serves the core header). Statuses become exceptions in <see cref="Check"/>.
/// </summary>
internal static unsafe partial class MpiNative
{
    public const string LibraryName = "nativegrad_mpi";

    /// <summary>Names the environment variable that points at a specific libnativegrad_mpi file.</summary>
    public const string PathVariable = "NATIVEGRAD_MPI_LIBRARY_PATH";

    public enum Status { Ok = 0, MpiError = 1, Timeout = 2, InvalidArgument = 3, NotInitialized = 4 }

    static MpiNative() => NativeLibrary.SetDllImportResolver(typeof(MpiNative).Assembly, Resolve);

    [LibraryImport(LibraryName, EntryPoint = "ngmpi_init")]
    public static partial Status Init(int* rank, int* worldSize);

    [LibraryImport(LibraryName, EntryPoint = "ngmpi_finalize")]
    public static partial Status Finalize();

    [LibraryImport(LibraryName, EntryPoint = "ngmpi_allreduce")]
    public static partial Status AllReduce(void* buffer, long count, int dtype, int op, double timeoutSeconds);

    [LibraryImport(LibraryName, EntryPoint = "ngmpi_allreduce_start")]
    public static partial Status AllReduceStart(void* buffer, long count, int dtype, int op, IntPtr* request);

    [LibraryImport(LibraryName, EntryPoint = "ngmpi_wait")]
    public static partial Status Wait(IntPtr request, double timeoutSeconds);

    [LibraryImport(LibraryName, EntryPoint = "ngmpi_broadcast")]
    public static partial Status Broadcast(void* buffer, long bytes, int root, double timeoutSeconds);

    [LibraryImport(LibraryName, EntryPoint = "ngmpi_allgather")]
    public static partial Status AllGather(void* send, long bytes, void* receive, double timeoutSeconds);

    [LibraryImport(LibraryName, EntryPoint = "ngmpi_barrier")]
    public static partial Status Barrier(double timeoutSeconds);

    [LibraryImport(LibraryName, EntryPoint = "ngmpi_abort")]
    public static partial void Abort(int code);

    [LibraryImport(LibraryName, EntryPoint = "ngmpi_last_error")]
    private static partial byte* LastError();

    /// <summary>Throws the exception for a failed call: a timeout is a <see cref="TimeoutException"/>.</summary>
    public static void Check(Status status)
    {
        if (status == Status.Ok) return;
        string message = Marshal.PtrToStringUTF8((IntPtr)LastError()) ?? "";
        throw status switch
        {
            Status.Timeout => new TimeoutException(message),
            Status.InvalidArgument => new ArgumentException(message),
            Status.NotInitialized => new InvalidOperationException(message),
            _ => new DistributedException(message),
        };
    }

    // NATIVEGRAD_MPI_LIBRARY_PATH, the runtime's probing (the application folder), then the CMake
    // output artifacts/native/lib of a repository above the application folder.
    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibraryName) return IntPtr.Zero;
        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } explicitPath)
            return NativeLibrary.Load(explicitPath);
        if (NativeLibrary.TryLoad(libraryName, assembly, searchPath, out var handle))
            return handle;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "artifacts", "native", "lib", "libnativegrad_mpi.so");
            if (File.Exists(candidate)) return NativeLibrary.Load(candidate);
        }
        throw new DllNotFoundException(
            "NativeGrad.Distributed could not load libnativegrad_mpi. It needs Open MPI's libmpi.so.40 on the machine " +
            "(apt-get install libopenmpi3 openmpi-bin); the NativeGrad.Distributed package carries the library for linux-x64, " +
            "a repository build makes it when MPI is installed (apt-get install libopenmpi-dev, then rebuild), " +
            $"and {PathVariable} can name a file built elsewhere.");
    }
}

/// <summary>An MPI call failed (the message is MPI's).</summary>
public sealed class DistributedException(string message) : Exception(message);
