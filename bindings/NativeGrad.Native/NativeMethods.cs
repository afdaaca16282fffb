namespace NativeGrad.Native;

// The hand-written half of the generated NativeMethods class.
public static unsafe partial class NativeMethods
{
    // Runs before the first P/Invoke of this class, so the resolver is in place when the runtime
    // first looks for the library.
    static NativeMethods() => NativeLibraryLoader.Register();
}
