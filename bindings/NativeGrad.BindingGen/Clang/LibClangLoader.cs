using System.Reflection;
using System.Runtime.InteropServices;

namespace NativeGrad.BindingGen.Clang;

/// <summary>
/// Makes [LibraryImport("libclang")] find the libclang.so that the libclang.runtime.* package
/// copies to runtimes/&lt;rid&gt;/native/ under the output folder.
/// </summary>
/// <remarks>
/// The host usually finds it through the .deps.json of the running app. That file belongs to
/// whatever app loaded this assembly (the generator itself, or a test host), so as a fallback the
/// resolver also looks in runtimes/&lt;rid&gt;/native/ next to this assembly.
/// </remarks>
internal static class LibClangLoader
{
    private static readonly Lazy<bool> Registered = new(() =>
    {
        NativeLibrary.SetDllImportResolver(typeof(LibClangLoader).Assembly, Resolve);
        return true;
    });

    public static void EnsureRegistered() => _ = Registered.Value;

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != "libclang")
        {
            return 0;
        }
        if (NativeLibrary.TryLoad(libraryName, assembly, searchPath, out nint handle))
        {
            return handle;
        }
        string fileName = OperatingSystem.IsWindows() ? "libclang.dll"
            : OperatingSystem.IsMacOS() ? "libclang.dylib"
            : "libclang.so";
        string baseDirectory = Path.GetDirectoryName(assembly.Location) is { Length: > 0 } dir ? dir : AppContext.BaseDirectory;
        string candidate = Path.Combine(baseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", fileName);
        if (NativeLibrary.TryLoad(candidate, out handle))
        {
            return handle;
        }
        throw new DllNotFoundException(
            $"libclang could not be loaded: not found by the host's probing, nor at {candidate}. " +
            "It comes from the libclang.runtime.* NuGet package referenced by NativeGrad.BindingGen.");
    }
}
