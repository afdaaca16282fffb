namespace NativeGrad;

/// <summary>
/// Frees the tensors a block of code makes when the block ends, instead of when the GC gets to
/// them (TorchSharp's DisposeScope). A training step's activations, gradients of intermediates
/// and temporaries are dead once the step is over; a scope around the step hands their memory
/// back at once, and the collections that would have found them never run:
/// <code>
/// for (int step = 0; step &lt; steps; step++)
/// {
///     using var scope = Tensor.Scope();
///     optimizer.ZeroGrad();
///     var loss = Functional.CrossEntropy(model.Forward(x), y);
///     loss.Backward();
///     optimizer.Step();
///     losses.Add(loss.Item&lt;float&gt;());
/// }
/// </code>
/// </summary>
/// <remarks>
/// <para>
/// A scope owns every storage allocated while it is the current one on this logical flow (it
/// follows <c>await</c> and flows into <c>Task.Run</c>, like <see cref="Autograd.NoGrad"/>), and
/// disposes them when it is disposed: tensors made inside, and views of them, then throw
/// <see cref="ObjectDisposedException"/>. A view of a tensor made outside (a parameter's
/// transpose) shares that tensor's storage, which the scope does not own, so it never frees it.
/// </para>
/// <para>
/// What outlives a step is never owned: gradients the engine stores into <see cref="Tensor.Grad"/>
/// and an optimizer's state. Everything else that must survive goes through <see cref="Keep"/>,
/// which hands its storage to the enclosing scope (or to none). Create models and parameters
/// outside scopes. Tensors of a few elements live in the GC heap (small blocks) and are left to
/// it: a scope neither tracks nor frees them.
/// </para>
/// </remarks>
public sealed class TensorScope : IDisposable
{
    private static readonly AsyncLocal<TensorScope?> CurrentScope = new();

    private readonly TensorScope? parent;
    private readonly List<Storage> owned = [];
    private bool disposed;

    internal TensorScope()
    {
        parent = CurrentScope.Value;
        CurrentScope.Value = this;
    }

    /// <summary>Storages this scope owns now (kept ones excluded).</summary>
    public int Count
    {
        get
        {
            lock (owned) return owned.Count(s => s.Scope == this);
        }
    }

    /// <summary>
    /// Takes <paramref name="tensor"/>'s storage (and so every view of it) out of this scope, into
    /// the enclosing one if there is one, and returns the tensor.
    /// </summary>
    public Tensor Keep(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var storage = tensor.StorageForScope;
        if (storage.Scope == this) MoveTo(storage, parent);
        return tensor;
    }

    /// <summary>Disposes every storage the scope still owns and makes the enclosing scope current again.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (CurrentScope.Value == this) CurrentScope.Value = parent;
        Storage[] toFree;
        lock (owned)
        {
            toFree = [.. owned.Where(s => s.Scope == this)];
            owned.Clear();
        }
        foreach (var storage in toFree)
        {
            storage.Scope = null;
            storage.Dispose();
        }
    }

    /// <summary>Called for each new storage: the current scope, if any, owns it.</summary>
    internal static void Adopt(Storage storage)
    {
        if (CurrentScope.Value is { } scope) MoveTo(storage, scope);
    }

    /// <summary>For storages that outlive any step (gradients, optimizer state): no scope owns them.</summary>
    internal static void Release(Tensor? tensor)
    {
        if (tensor?.StorageForScope is { Scope: not null } storage) storage.Scope = null;
    }

    private static void MoveTo(Storage storage, TensorScope? scope)
    {
        storage.Scope = scope;
        if (scope is null) return;
        lock (scope.owned) scope.owned.Add(storage);
    }
}
