namespace NativeGrad.Tests.Support;

/// <summary>The warnings NativeGrad raises while an action runs (use from serial tests, since the event is process-wide).</summary>
public static class WarningCapture
{
    public static List<string> Collect(Action action)
    {
        var warnings = new List<string>();
        void Add(string message) => warnings.Add(message);
        Warnings.Warned += Add;
        try
        {
            action();
        }
        finally
        {
            Warnings.Warned -= Add;
        }
        return warnings;
    }
}
