using NativeGrad.Backends;

// ConfigureAwait(false) is the point of these tests: the code after it resumes on a pool thread.
#pragma warning disable xUnit1030

namespace NativeGrad.Tests.Safety;

using Autograd = NativeGrad.Autograd;

/// <summary>
/// Grad mode and the backend override follow the logical flow (await, Task.Run), end with their
/// scope, and never leak into thread-pool work that does not belong to the flow.
/// </summary>
public sealed class FlowScopeTests
{
    [Fact]
    public async Task NoGrad_holds_across_await_whichever_thread_resumes()
    {
        var x = Tensor.Ones([3], DType.Float32, requiresGrad: true);
        using (Autograd.NoGrad())
        {
            await Task.Yield();
            await Task.Delay(1).ConfigureAwait(false);
            Assert.False(Autograd.IsGradEnabled);
            Assert.Null((x * 2).GradFn);
        }
        Assert.True(Autograd.IsGradEnabled);
        Assert.NotNull((x * 2).GradFn);
    }

    [Fact]
    public async Task Scopes_nest_across_awaits_and_flow_into_Task_Run()
    {
        using (Autograd.NoGrad())
        {
            await Task.Delay(1).ConfigureAwait(false);
            using (Autograd.EnableGrad())
            {
                await Task.Yield();
                Assert.True(Autograd.IsGradEnabled);
                Assert.True(await Task.Run(() => Autograd.IsGradEnabled));
            }
            Assert.False(Autograd.IsGradEnabled);
            Assert.False(await Task.Run(() => Autograd.IsGradEnabled));
        }
        Assert.True(Autograd.IsGradEnabled);
    }

    [Fact]
    public async Task A_scope_inside_an_async_method_does_not_leak_to_its_caller_or_the_pool()
    {
        static async Task DisableAndReturn()
        {
            // Not disposed on purpose: the async method's own context change must stay inside it.
            Autograd.NoGrad();
            await Task.Yield();
            Assert.False(Autograd.IsGradEnabled);
        }

        await DisableAndReturn();
        Assert.True(Autograd.IsGradEnabled);

        using (Autograd.NoGrad())
            await Task.Delay(1).ConfigureAwait(false);
        // Hundreds of unrelated work items on the pool must all see the default.
        var seen = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => Task.Run(() => Autograd.IsGradEnabled)));
        Assert.All(seen, Assert.True);
        var onPoolThreads = new bool[200];
        using (var done = new CountdownEvent(onPoolThreads.Length))
        {
            using (ExecutionContext.SuppressFlow())
                for (int i = 0; i < onPoolThreads.Length; i++)
                {
                    int slot = i;
                    ThreadPool.UnsafeQueueUserWorkItem(_ => { onPoolThreads[slot] = Autograd.IsGradEnabled; done.Signal(); }, null);
                }
            done.Wait();
        }
        Assert.All(onPoolThreads, Assert.True);
    }

    [Fact]
    public void Threads_that_share_no_flow_are_independent()
    {
        using var disabled = new ManualResetEventSlim();
        using var checkedOther = new ManualResetEventSlim();
        bool otherSaw = false;
        Thread first, second;
        using (ExecutionContext.SuppressFlow())
        {
            first = new Thread(() =>
            {
                using (Autograd.NoGrad())
                {
                    disabled.Set();
                    checkedOther.Wait();
                }
            });
            second = new Thread(() =>
            {
                disabled.Wait();
                otherSaw = Autograd.IsGradEnabled;
                checkedOther.Set();
            });
        }
        first.Start();
        second.Start();
        first.Join();
        second.Join();
        Assert.True(otherSaw);
    }

    [Fact]
    public async Task Backend_override_follows_the_flow_and_ends_with_its_scope()
    {
        var other = Backend.Default == BackendKind.Native ? BackendKind.Managed : BackendKind.Native;
        if (other == BackendKind.Native && !Backend.IsNativeAvailable) return;
        using (Backend.Use(other))
        {
            await Task.Delay(1).ConfigureAwait(false);
            Assert.Equal(other, Backend.Current);
            Assert.Equal(other, await Task.Run(() => Backend.Current));
            using (Backend.Use(Backend.Default))
            {
                await Task.Yield();
                Assert.Equal(Backend.Default, Backend.Current);
            }
            Assert.Equal(other, Backend.Current);
        }
        Assert.Equal(Backend.Default, Backend.Current);
        var seen = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => Backend.Current)));
        Assert.All(seen, kind => Assert.Equal(Backend.Default, kind));
    }
}
