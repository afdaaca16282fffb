using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace NativeGrad;

/// <summary>
/// Anomaly detection (torch.autograd.detect_anomaly / set_detect_anomaly). Process-wide, as
/// PyTorch's is. While on, each recorded node keeps the stack trace of the forward call that
/// created it; a backward rule that throws, or returns NaN, is reported through
/// <see cref="Warnings"/> as "Error detected in XBackward0. Traceback of forward call that caused
/// the error:" with that trace, before the exception propagates.
/// </summary>
internal static class AnomalyMode
{
    private static volatile bool enabled;

    public static bool IsEnabled => enabled;

    public const string EnabledWarning =
        "Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled for debugging.";

    public static IDisposable Set(bool on)
    {
        bool previous = enabled;
        enabled = on;
        return new Scope(previous);
    }

    /// <summary>The caller's stack from the first frame outside NativeGrad (the user's forward call).</summary>
    public static StackTrace? CaptureForwardTrace() => enabled ? new StackTrace(1, fNeedFileInfo: true) : null;

    // Only a diagnostic: a trimmed app may lack a frame's method metadata, which then shows as no line.
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Frames without metadata are skipped; the trace is diagnostic text.")]
    public static string Format(StackTrace trace)
    {
        var text = new StringBuilder();
        bool inUserCode = false;
        foreach (var frame in trace.GetFrames())
        {
            var method = frame.GetMethod();
            inUserCode |= method?.DeclaringType?.Assembly != typeof(AnomalyMode).Assembly;
            if (!inUserCode || method is null) continue;
            text.Append("   at ").Append(method.DeclaringType?.FullName).Append('.').Append(method.Name);
            if (frame.GetFileName() is { } file)
                text.Append(" in ").Append(file).Append(":line ").Append(frame.GetFileLineNumber());
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Runs a node's backward rule with the anomaly checks: NaN outputs, and the forward trace on failure.</summary>
    public static Tensor?[] Apply(Node node, Tensor grad, bool releaseSavedTensors)
    {
        try
        {
            var result = node.Apply(grad, releaseSavedTensors);
            for (int i = 0; i < result.Length; i++)
                if (result[i] is { } output && HasNan(output))
                    throw new InvalidOperationException($"Function '{node.Name}' returned nan values in its {i}th output.");
            return result;
        }
        catch (Exception error) when (node.ForwardTrace is { } trace)
        {
            var where = Format(trace);
            error.Data["NativeGrad.ForwardTrace"] = where;
            Warnings.Warn($"Error detected in {node.Name}. Traceback of forward call that caused the error:\n{where}");
            throw;
        }
    }

    // NaN is the one value not equal to itself.
    private static bool HasNan(Tensor tensor)
    {
        if (!tensor.DType.IsFloatingPoint()) return false;
        var same = tensor;
        return (tensor != same).Any().Item<bool>();
    }

    private sealed class Scope(bool previous) : IDisposable
    {
        private bool done;

        public void Dispose()
        {
            if (done) return;
            done = true;
            enabled = previous;
        }
    }
}
