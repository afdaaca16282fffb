using NativeGrad.Backends;
using NativeGrad.Tests.Support;

namespace NativeGrad.Tests.Native;

// The thread count is process-wide, hence the serial collection.
[Collection(SerialCollection.Name)]
public class ThreadCountTests
{
    [Fact]
    public void SetNumThreadsRoundTripsAndRejectsCountsOutsideTheRange()
    {
        int saved = NativeRuntime.NumThreads;
        try
        {
            NativeRuntime.SetNumThreads(3);
            Assert.Equal(3, NativeRuntime.NumThreads);
            var error = Assert.Throws<ArgumentException>(() => NativeRuntime.SetNumThreads(0));
            Assert.Contains("threads must be in [1, 1024], got 0", error.Message);
            Assert.Equal(3, NativeRuntime.NumThreads);
        }
        finally
        {
            NativeRuntime.SetNumThreads(saved);
        }
    }

    [Fact]
    public void LargeOpsGiveTheSameBitsOnOneThreadAndOnSeveral()
    {
        using var scope = Backend.Use(BackendKind.Native);
        int saved = NativeRuntime.NumThreads;
        try
        {
            float[] Run(int threads)
            {
                NativeRuntime.SetNumThreads(threads);
                Tensor.ManualSeed(7);
                using var a = Tensor.Randn([300, 1001]);
                using var b = Tensor.Randn([1001]);
                using var result = ((a + b).Exp() * a.T.Contiguous().T).Tanh();
                return result.ToArray<float>();
            }
            var serial = Run(1);
            Assert.Equal(serial, Run(2));
            Assert.Equal(serial, Run(5));
        }
        finally
        {
            NativeRuntime.SetNumThreads(saved);
        }
    }
}
