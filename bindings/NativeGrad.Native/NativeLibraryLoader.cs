using System.Reflection;
using System.Runtime.InteropServices;

namespace NativeGrad.Native;

/// <summary>
/// Finds and loads libnativegrad, then checks once that its version is the one these bindings
/// were generated from.
/// </summary>
/// <remarks>
/// Search order: the path in <c>NATIVEGRAD_LIBRARY_PATH</c> when set; the runtime's own probing
/// (the application folder, and <c>runtimes/&lt;rid&gt;/native</c> of a NuGet package); then,
/// for development, the CMake build output <c>artifacts/native/lib</c> of a repository found by
/// walking up from the application folder.
/// </remarks>
public static class NativeLibraryLoader
{
    /// <summary>Names the environment variable that points at a specific library file.</summary>
    public const string PathVariable = "NATIVEGRAD_LIBRARY_PATH";

    private static readonly Lazy<Exception?> LoadFailure = new(TryLoadAndCheckVersion);

    /// <summary>Registers the resolver; runs before the first call into the library.</summary>
    internal static void Register() =>
        NativeLibrary.SetDllImportResolver(typeof(NativeLibraryLoader).Assembly, Resolve);

    /// <summary>True when the library loads and its version matches these bindings.</summary>
    public static bool IsAvailable => LoadFailure.Value is null;

    /// <summary>The reason the library cannot be used, or null when it can.</summary>
    public static string? UnavailableReason => LoadFailure.Value?.Message;

    /// <summary>
    /// Throws <see cref="DllNotFoundException"/> when the library cannot be found, or
    /// <see cref="NativeVersionMismatchException"/> when it is another version.
    /// </summary>
    public static void EnsureLoaded()
    {
        if (LoadFailure.Value is { } failure)
            throw failure;
    }

    /// <summary>The version these bindings were generated from, as MAJOR.MINOR.PATCH.</summary>
    public static string BindingsVersion =>
        $"{NativeMethods.NG_VERSION_MAJOR}.{NativeMethods.NG_VERSION_MINOR}.{NativeMethods.NG_VERSION_PATCH}";

    /// <summary>The version of the loaded library, as MAJOR.MINOR.PATCH.</summary>
    public static string LibraryVersion
    {
        get
        {
            EnsureLoaded();
            return FormatVersion(NativeMethods.ng_version_number());
        }
    }

    private static Exception? TryLoadAndCheckVersion()
    {
        int loaded;
        try
        {
            loaded = NativeMethods.ng_version_number();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return new DllNotFoundException(
                $"NativeGrad could not load its native library '{NativeMethods.LibraryName}': {e.Message} " +
                $"Set {PathVariable} to the library file, or use the managed backend (NATIVEGRAD_BACKEND=managed).", e);
        }

        return CheckVersion(loaded);
    }

    /// <summary>The mismatch exception for a library of version number <paramref name="loaded"/>, or null when it fits.</summary>
    internal static Exception? CheckVersion(int loaded) =>
        // MAJOR.MINOR must match: MINOR adds exports these bindings may call; PATCH is compatible.
        loaded / 100 == BindingsVersionNumber / 100
            ? null
            : new NativeVersionMismatchException(FormatVersion(loaded), BindingsVersion);

    private static int BindingsVersionNumber =>
        NativeMethods.NG_VERSION_MAJOR * 10000 + NativeMethods.NG_VERSION_MINOR * 100 + NativeMethods.NG_VERSION_PATCH;

    private static string FormatVersion(int number) => $"{number / 10000}.{number / 100 % 100}.{number % 100}";

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != NativeMethods.LibraryName)
            return IntPtr.Zero;

        if (Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } explicitPath)
            return NativeLibrary.Load(explicitPath);

        if (NativeLibrary.TryLoad(libraryName, assembly, searchPath, out var handle))
            return handle;

        return FindDevelopmentBuild() is { } built ? NativeLibrary.Load(built) : IntPtr.Zero;
    }

    private static string? FindDevelopmentBuild()
    {
        var fileName = OperatingSystem.IsWindows() ? "nativegrad.dll"
            : OperatingSystem.IsMacOS() ? "libnativegrad.dylib" : "libnativegrad.so";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "artifacts", "native", "lib", fileName);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }
}

/// <summary>The native library found is not the version the managed bindings were generated from.</summary>
public sealed class NativeVersionMismatchException(string libraryVersion, string bindingsVersion)
    : InvalidOperationException(
        $"NativeGrad's native library is version {libraryVersion}, but the managed bindings were generated " +
        $"from nativegrad.h version {bindingsVersion}. Rebuild the native library or update the NativeGrad package " +
        "so that both come from the same release.")
{
    /// <summary>The version of the library that was loaded.</summary>
    public string LibraryVersion { get; } = libraryVersion;

    /// <summary>The version of the header the bindings were generated from.</summary>
    public string BindingsVersion { get; } = bindingsVersion;
}
