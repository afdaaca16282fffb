namespace NativeGrad.BindingGen;

/// <summary>Turns a raw C comment into the lines of an XML doc comment.</summary>
internal static class DocComment
{
    /// <summary>
    /// Strips the comment markers (/* */ //, a leading * on continuation lines, Doxygen's ! and &lt;)
    /// and the lines that are only decoration (the ----- of the header's section banners), trims
    /// each line and drops leading, trailing and repeated blank lines. Works line by line, so
    /// several adjacent comments that libclang merged into one come out right too.
    /// </summary>
    public static IReadOnlyList<string> Lines(string? raw)
    {
        var lines = new List<string>();
        if (raw is null)
        {
            return lines;
        }
        foreach (string rawLine in raw.Replace("\r\n", "\n").Split('\n'))
        {
            string line = StripMarkers(rawLine.Trim());
            if (IsDecoration(line))
            {
                continue;
            }
            if (line.Length == 0 && (lines.Count == 0 || lines[^1].Length == 0))
            {
                continue;
            }
            lines.Add(line);
        }
        while (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }
        return lines;
    }

    private static string StripMarkers(string line)
    {
        if (line.StartsWith("//", StringComparison.Ordinal))
        {
            return StripDoxygenMark(line.TrimStart('/')).Trim();
        }
        if (line.StartsWith("/*", StringComparison.Ordinal))
        {
            line = StripDoxygenMark(line[2..].TrimStart('*'));
        }
        if (line.EndsWith("*/", StringComparison.Ordinal))
        {
            line = line[..^2].TrimEnd('*');
        }
        line = line.Trim();
        if (line.StartsWith('*'))
        {
            line = line[1..];
        }
        return line.Trim();
    }

    private static string StripDoxygenMark(string text) =>
        text.StartsWith('!') || text.StartsWith('<') ? text[1..] : text;

    private static bool IsDecoration(string line) =>
        line.Length >= 3 && line.All(c => c is '-' or '=' or '*' or '_' or '~' or '#' or '+' or '/');

    /// <summary>Escapes text for XML element content.</summary>
    public static string Escape(string text) =>
        text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
