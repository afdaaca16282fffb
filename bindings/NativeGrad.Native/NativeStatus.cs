using System.Runtime.InteropServices;

namespace NativeGrad.Native;

/// <summary>Turns an <see cref="NgStatus"/> into the .NET exception a caller expects.</summary>
public static class NativeStatus
{
    // The one table from native status to exception. The native message already names the
    // argument and what was expected; the status name is appended so a bug report shows both.
    private static Exception ToException(NgStatus status, string message) => status switch
    {
        NgStatus.NullPointer => new ArgumentNullException(null, message),
        NgStatus.InvalidArgument => new ArgumentException(message),
        NgStatus.InvalidSize => new ArgumentOutOfRangeException(null, message),
        NgStatus.ShapeMismatch => new ArgumentException(message),
        NgStatus.UnsupportedDtype => new NotSupportedException(message),
        NgStatus.OutOfMemory => new OutOfMemoryException(message),
        _ => new NativeGradInternalException(message),
    };

    /// <summary>Throws the exception for <paramref name="status"/> unless it is <see cref="NgStatus.Ok"/>.</summary>
    public static void ThrowIfFailed(NgStatus status)
    {
        if (status != NgStatus.Ok)
            Throw(status);
    }

    private static void Throw(NgStatus status)
    {
        var message = $"{LastErrorMessage()} ({StatusName(status)})";
        throw ToException(status, message);
    }

    /// <summary>The native name of a status, e.g. "NG_STATUS_SHAPE_MISMATCH".</summary>
    public static unsafe string StatusName(NgStatus status) =>
        Marshal.PtrToStringUTF8((IntPtr)NativeMethods.ng_status_to_string(status)) ?? status.ToString();

    /// <summary>The message of the last failed native call on this thread, or "" if none failed.</summary>
    public static unsafe string LastErrorMessage() =>
        Marshal.PtrToStringUTF8((IntPtr)NativeMethods.ng_last_error_message()) ?? "";
}

/// <summary>The native library failed in a way that is a bug in NativeGrad, not in the caller's input.</summary>
public sealed class NativeGradInternalException(string message) : Exception(message);
