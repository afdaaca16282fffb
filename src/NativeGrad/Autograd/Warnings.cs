using System.Collections.Concurrent;

namespace NativeGrad;

/// <summary>
/// Where NativeGrad's warnings go (PyTorch's UserWarning). Subscribe to <see cref="Warned"/> to
/// receive them; with no subscriber, each distinct message is written once to standard error.
/// </summary>
public static class Warnings
{
    private static readonly ConcurrentDictionary<string, bool> AlreadyPrinted = new();

    /// <summary>Raised with each warning's message.</summary>
    public static event Action<string>? Warned;

    internal static void Warn(string message)
    {
        if (Warned is { } handlers)
            handlers(message);
        else if (AlreadyPrinted.TryAdd(message, true))
            Console.Error.WriteLine($"UserWarning: {message}");
    }
}
