using System.Diagnostics;
using NativeGrad.Backends;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Safety;

/// <summary>
/// Kernels must never read storage that the garbage collector or another thread freed. A noise
/// thread allocates same-sized blocks full of 99s (so a freed block is reused at once), forces
/// collections and finalizers, and trims the native cache, while this thread runs every kind of
/// kernel on temporaries the JIT considers dead after their pointer is taken. Every result is
/// asserted: before storage leases, about one in five read the other thread's 99s (native) or
/// crashed the process (managed).
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class MemorySafetyStressTests
{
    private const int Length = 1 << 20;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(3);

    public static TheoryData<BackendKind> Kinds => new() { BackendKind.Native, BackendKind.Managed };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Kernels_on_dead_temporaries_always_read_their_own_data(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        using var noise = new AllocationNoise(kind);
        var ones = Tensor.Ones([Length], DType.Int64);
        var matrix = Tensor.Ones(48, 48);
        int rounds = 0;
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < Duration || rounds < 20; rounds++)
        {
            // Unary through a float cast temporary, then a reduction over the result.
            Assert.Equal(MathF.E, ones.Exp().Max().Item<float>());
            // Binary with a cast temporary on one side and a scalar on the other.
            Assert.Equal(2.5 * Length, (ones + 1.5).Sum().Item<double>());
            // Copy into another dtype, and a copy out to a managed array.
            Assert.Equal(1.0, ones.To(DType.Float64).Min().Item<double>());
            Assert.All(Tensor.Ones([4096], DType.Int64).Neg().ToArray<long>(), value => Assert.Equal(-1L, value));
            // Printing reads every element of a temporary.
            Assert.Equal("tensor([3., 3., 3.])", (Tensor.Ones(3) * 3).ToString());
            // GEMM on freshly made operands, one of them a transposed view.
            Assert.Equal(48f * 48 * 48, matrix.MatMul((matrix + 0).T).Sum().Item<float>());
            // A backward pass: its saved tensors and gradients are temporaries too.
            var w = Tensor.Full([Length], 3.0, requiresGrad: true);
            (w * w).Sum().Backward();
            Assert.Equal(6f, w.Grad!.Max().Item<float>());
            Assert.Equal(6f, w.Grad!.Min().Item<float>());
        }
        Assert.True(noise.Allocations > 0, "the noise thread never ran");
    }

    /// <summary>
    /// Small tensors live in GC arrays that a compacting collection moves; a lease only keeps the
    /// array alive, and <c>fixed</c> around each kernel call pins it. Another thread compacts the
    /// heap without pause while this one runs small kernels on blocks made between collections
    /// (so they sit among garbage and get moved), and every result is checked.
    /// </summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void Small_blocks_that_the_GC_moves_are_pinned_for_each_kernel(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        bool stop = false;
        long collections = 0;
        var compactor = new Thread(() =>
        {
            while (!Volatile.Read(ref stop))
            {
                for (int i = 0; i < 64; i++) _ = new byte[512];
                GC.Collect(0, GCCollectionMode.Forced, blocking: true, compacting: true);
                Interlocked.Increment(ref collections);
            }
        });
        compactor.Start();
        try
        {
            int rounds = 0;
            for (var clock = Stopwatch.StartNew(); clock.Elapsed < Duration || rounds < 20; rounds++)
            {
                var a = Tensor.Full([1000], 2.0);
                _ = new byte[256];
                var b = Tensor.Full([1000], 0.5);
                Assert.Equal(2500.0, (a + b).Sum().Item<double>());
                var m = Tensor.Full([32, 32], 1.0);
                Assert.Equal(32f * 32 * 32, m.MatMul(m.T).Sum().Item<float>());
                Assert.Equal(-2f, a.Neg().Min().Item<float>());
            }
        }
        finally
        {
            Volatile.Write(ref stop, true);
            compactor.Join();
        }
        Assert.True(Interlocked.Read(ref collections) > 0, "the compacting thread never ran");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Dispose_racing_a_running_kernel_gives_the_result_or_ObjectDisposedException(BackendKind kind)
    {
        using var scope = Backend.Use(kind);
        int completed = 0, disposedFirst = 0;
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < Duration || completed + disposedFirst < 20;)
        {
            var victim = Tensor.Full([Length], 2.0);
            using var start = new Barrier(2);
            var disposer = new Thread(() =>
            {
                start.SignalAndWait();
                Thread.SpinWait(System.Random.Shared.Next(0, 20_000));
                victim.Dispose();
            });
            disposer.Start();
            start.SignalAndWait();
            try
            {
                // Several kernels in a row, so the dispose lands before, between and inside them.
                Assert.Equal(4.0 * Length, (victim * 2).Sum().Item<double>());
                Assert.Equal(MathF.Exp(2), victim.Exp().Max().Item<float>());
                Assert.Equal(4f * Length, victim.Dot(victim).Item<float>());
                completed++;
            }
            catch (ObjectDisposedException)
            {
                disposedFirst++;
            }
            disposer.Join();
            Assert.Throws<ObjectDisposedException>(() => victim.Sum());
        }
        Assert.True(completed + disposedFirst >= 20);
    }

    /// <summary>Allocates, fills, collects and trims on its own thread until disposed.</summary>
    private sealed class AllocationNoise : IDisposable
    {
        private readonly Thread thread;
        private volatile bool stop;
        private long allocations;

        public AllocationNoise(BackendKind kind)
        {
            thread = new Thread(() => Run(kind)) { IsBackground = true, Name = "allocation noise" };
            thread.Start();
        }

        public long Allocations => Interlocked.Read(ref allocations);

        private void Run(BackendKind kind)
        {
            using var scope = Backend.Use(kind);
            for (long i = 0; !stop; i++)
            {
                _ = Tensor.Full([Length], 99.0)[0].Item<float>();
                _ = Tensor.Full([Length], 99.0, DType.Int64)[0].Item<long>();
                _ = Tensor.Full([4096], 99.0, DType.Int64)[0].Item<long>();
                Interlocked.Increment(ref allocations);
                if (i % 8 == 0)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                }
                if (i % 32 == 0 && Backend.IsNativeAvailable) NativeRuntime.TrimMemoryCache();
            }
        }

        public void Dispose()
        {
            stop = true;
            thread.Join();
        }
    }
}
