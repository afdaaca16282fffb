namespace NativeGrad.Examples;

/// <summary>Turns the captured source of a cell's lambda into the code a notebook shows.</summary>
internal static class CellSource
{
    /// <summary>
    /// <c>() => expr</c> becomes <c>expr</c>; a block body is shown dedented, with its final
    /// <c>return expr;</c> written as a bare <c>expr</c> (Jupyter's "display the last expression",
    /// as .NET Interactive writes it) and a final <c>return null;</c> left out.
    /// </summary>
    public static string FromLambda(string source)
    {
        var body = source[(source.IndexOf("=>", StringComparison.Ordinal) + 2)..].Trim();
        if (!body.StartsWith('{')) return body;

        var lines = body[1..body.LastIndexOf('}')].Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[0].Length == 0) lines.RemoveAt(0);
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        int indent = lines.Where(l => l.Length > 0).Min(l => l.Length - l.TrimStart().Length);
        lines = lines.Select(l => l.Length >= indent ? l[indent..] : l).ToList();

        var last = lines[^1];
        if (last == "return null;") lines.RemoveAt(lines.Count - 1);
        else if (last.StartsWith("return ", StringComparison.Ordinal))
        {
            var shown = last["return ".Length..];
            lines[^1] = shown.Remove(shown.IndexOf(';'), 1);
        }
        return string.Join("\n", lines);
    }
}
