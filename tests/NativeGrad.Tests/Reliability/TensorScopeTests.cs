using NativeGrad.Backends;
using NativeGrad.Nn;
using NativeGrad.Optim;

namespace NativeGrad.Tests.Reliability;

public sealed class TensorScopeTests
{
    // Past SmallBlocks.MaxBytes (16 KiB): native (or aligned managed) storage, not a GC block.
    private static Tensor Big() => Tensor.Randn(128, 128);

    [Theory]
    [InlineData(BackendKind.Native)]
    [InlineData(BackendKind.Managed)]
    public void Tensors_made_inside_are_freed_and_kept_ones_survive(BackendKind kind)
    {
        using var backend = Backend.Use(kind);
        Tensor inside, kept, view;
        using (var scope = Tensor.Scope())
        {
            inside = Big() * 2;
            view = inside.T;
            kept = scope.Keep(Big() + 1);
            Assert.Equal(3, scope.Count);  // both Randn temporaries and inside; not kept
        }
        Assert.Throws<ObjectDisposedException>(() => inside.Sum());
        Assert.Throws<ObjectDisposedException>(() => view.Sum());
        Assert.Equal(128 * 128, kept.NumElements);
        _ = kept.Sum().Item<float>();
    }

    [Fact]
    public void Views_of_outside_tensors_never_free_their_storage()
    {
        var weight = Big();
        using (Tensor.Scope())
        {
            _ = weight.T.Contiguous();
            _ = weight[..10];
        }
        _ = weight.Sum().Item<float>();
    }

    [Fact]
    public void Keep_in_a_nested_scope_hands_the_tensor_to_the_enclosing_one()
    {
        Tensor kept;
        using (Tensor.Scope())
        {
            using (var inner = Tensor.Scope()) kept = inner.Keep(Big());
            _ = kept.Sum().Item<float>();
        }
        Assert.Throws<ObjectDisposedException>(() => kept.Sum());
    }

    [Fact]
    public void Gradients_and_optimizer_state_outlive_the_step_that_made_them()
    {
        var model = new Linear(128, 128);
        var optimizer = new Adam(model.Parameters(), lr: 0.1);
        var x = Big();
        for (int step = 0; step < 3; step++)
            using (Tensor.Scope())
            {
                optimizer.ZeroGrad();
                model.Forward(x).Pow(2).Mean().Backward();
                optimizer.Step();
            }
        Assert.NotNull(model.Weight.Grad);
        _ = model.Weight.Grad!.Sum().Item<float>();
        var state = optimizer.StateDict();
        Assert.NotEmpty(state.State);
    }

    [Fact]
    public async Task A_scope_follows_the_logical_flow_into_tasks()
    {
        Tensor made;
        using (Tensor.Scope())
        {
            made = await Task.Run(Big);
            await Task.Yield();
        }
        Assert.Throws<ObjectDisposedException>(() => made.Sum());
    }
}
