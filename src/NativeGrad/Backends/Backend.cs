using NativeGrad.Native;

namespace NativeGrad.Backends;

/// <summary>The two implementations of every kernel.</summary>
public enum BackendKind
{
    /// <summary>libnativegrad: C++ with AVX2 / AVX-512 kernels chosen at run time.</summary>
    Native,
    /// <summary>Pure C#: System.Numerics.Tensors and Vector256/512, no native code.</summary>
    Managed,
}

/// <summary>
/// Chooses which kernels tensors run on. The default is <see cref="BackendKind.Native"/> when
/// libnativegrad loads, else <see cref="BackendKind.Managed"/>; the environment variable
/// <c>NATIVEGRAD_BACKEND=native|managed</c> forces one. <see cref="Use"/> switches the current
/// logical flow for a scope (it follows <c>await</c>, like grad mode), which is how tests and
/// benchmarks run the same code on both.
/// </summary>
public static class Backend
{
    /// <summary>Names the environment variable that forces a backend.</summary>
    public const string Variable = "NATIVEGRAD_BACKEND";

    private static readonly Lazy<IKernels> NativeInstance = new(() => new NativeKernels());
    private static readonly Lazy<IKernels> ManagedInstance = new(() => new ManagedKernels());
    private static readonly Lazy<BackendKind> DefaultKind = new(ChooseDefault);

    // The kernels themselves rather than a BackendKind?, which the AsyncLocal would box on every
    // Use; and every op reads this.
    private static readonly AsyncLocal<IKernels?> FlowOverride = new();
    private static IKernels? defaultKernels;

    /// <summary>True when libnativegrad loaded and matches the managed bindings.</summary>
    public static bool IsNativeAvailable => NativeLibraryLoader.IsAvailable;

    /// <summary>The process-wide backend: forced by NATIVEGRAD_BACKEND, else native when available.</summary>
    public static BackendKind Default => DefaultKind.Value;

    /// <summary>The backend that operations in this flow run on now.</summary>
    public static BackendKind Current => Kernels.Kind;

    /// <summary>
    /// Runs this flow's operations on <paramref name="kind"/> until the returned scope is disposed.
    /// Throws when the native backend is asked for and libnativegrad cannot load.
    /// </summary>
    public static IDisposable Use(BackendKind kind)
    {
        var kernels = KernelsFor(kind);
        var previous = FlowOverride.Value;
        FlowOverride.Value = kernels;
        return new Scope(previous);
    }

    internal static IKernels Kernels => FlowOverride.Value ?? (defaultKernels ??= KernelsFor(Default));

    internal static IKernels KernelsFor(BackendKind kind) => kind switch
    {
        BackendKind.Native => NativeInstance.Value,
        BackendKind.Managed => ManagedInstance.Value,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown backend."),
    };

    private static BackendKind ChooseDefault()
    {
        var requested = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(requested))
            return IsNativeAvailable ? BackendKind.Native : BackendKind.Managed;
        if (Enum.TryParse<BackendKind>(requested, ignoreCase: true, out var kind) && Enum.IsDefined(kind))
            return kind;
        throw new InvalidOperationException(
            $"{Variable} is '{requested}', but it must be 'native' or 'managed' (or unset to choose automatically).");
    }

    private sealed class Scope(IKernels? previous) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            FlowOverride.Value = previous;
        }
    }
}
