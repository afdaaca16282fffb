using System.Runtime.InteropServices;

namespace NativeGrad.Benchmarks;

/// <summary>
/// cblas_sgemm from the system's OpenBLAS (libopenblas-dev on Debian), loaded at run time so the
/// suite runs without it. OpenBLAS reads OPENBLAS_NUM_THREADS and OPENBLAS_CORETYPE when it loads,
/// from the C environment, which Environment.SetEnvironmentVariable does not change on Linux: the
/// jobs set them for the benchmark process instead (<see cref="BenchmarkJobs"/>).
/// </summary>
public static unsafe class OpenBlas
{
    private const int RowMajor = 101, NoTrans = 111;

    private static readonly string[] LibraryNames = ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib", "libopenblas.dll"];

    private static readonly Lazy<nint> Sgemm = new(Resolve);

    /// <summary>True when an OpenBLAS library loads and exports cblas_sgemm.</summary>
    public static bool IsAvailable => Sgemm.Value != 0;

    /// <summary>C = A @ B for row-major n x n float32 matrices.</summary>
    public static void SquareSgemm(int n, float* a, float* b, float* c)
    {
        var sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)Sgemm.Value;
        if (sgemm == null) throw new InvalidOperationException("OpenBLAS is not installed (libopenblas.so.0 did not load).");
        sgemm(RowMajor, NoTrans, NoTrans, n, n, n, 1f, a, n, b, n, 0f, c, n);
    }

    private static nint Resolve()
    {
        foreach (var name in LibraryNames)
        {
            if (NativeLibrary.TryLoad(name, out var library) && NativeLibrary.TryGetExport(library, "cblas_sgemm", out var export))
                return export;
        }
        return 0;
    }
}
