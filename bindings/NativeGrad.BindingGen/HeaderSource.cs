using System.Text;
using System.Text.RegularExpressions;

namespace NativeGrad.BindingGen;

/// <summary>
/// The header's bytes, for what libclang's AST does not keep: a declaration's text as written
/// (the C signature shown in the docs) and the comments around macros, which are not declarations
/// and so get no attached comment from libclang. Offsets are libclang's byte offsets.
/// </summary>
internal sealed partial class HeaderSource(byte[] bytes)
{
    public string Text(int start, int end) => Encoding.UTF8.GetString(bytes, start, end - start);

    /// <summary>The text between the offsets with every run of whitespace made one space.</summary>
    public string OneLine(int start, int end) => Whitespace().Replace(Text(start, end), " ").Trim();

    /// <summary>Skips spaces, tabs and newlines forward from <paramref name="offset"/>.</summary>
    public int SkipWhitespace(int offset)
    {
        while (offset < bytes.Length && IsWhitespace(bytes[offset]))
        {
            offset++;
        }
        return offset;
    }

    /// <summary>
    /// The comment that ends on the line just above the line holding <paramref name="offset"/>
    /// (a block comment, or a run of // lines), else one that follows on the same line; null when
    /// there is neither. Used for #define lines.
    /// </summary>
    public string? CommentAroundLine(int offset, int lineEnd)
    {
        return CommentAbove(LineStart(offset)) ?? CommentAfter(lineEnd);
    }

    private string? CommentAbove(int lineStart)
    {
        int end = lineStart - 1; // the '\n' ending the previous line
        if (end < 0)
        {
            return null;
        }
        int previousStart = LineStart(end);
        string previous = Text(previousStart, end).TrimEnd();
        if (previous.EndsWith("*/", StringComparison.Ordinal))
        {
            int closeOffset = previousStart + Encoding.UTF8.GetByteCount(previous);
            string before = Text(0, closeOffset);
            int open = before.LastIndexOf("/*", before.Length - 2, StringComparison.Ordinal);
            // Only a comment that starts its own line documents what follows; one that ends a
            // line of code belongs to that code.
            bool ownsLine = open >= 0 && before[(before.LastIndexOf('\n', Math.Max(open - 1, 0)) + 1)..open].Trim().Length == 0;
            return ownsLine ? before[open..] : null;
        }
        // A run of // lines directly above, oldest first.
        var lines = new List<string>();
        while (previous.TrimStart().StartsWith("//", StringComparison.Ordinal))
        {
            lines.Insert(0, previous.Trim());
            if (previousStart == 0)
            {
                break;
            }
            end = previousStart - 1;
            previousStart = LineStart(end);
            previous = Text(previousStart, end).TrimEnd();
        }
        return lines.Count == 0 ? null : string.Join('\n', lines);
    }

    private string? CommentAfter(int offset)
    {
        while (offset < bytes.Length && bytes[offset] is (byte)' ' or (byte)'\t')
        {
            offset++;
        }
        int lineEnd = Array.IndexOf(bytes, (byte)'\n', offset);
        string rest = Text(offset, lineEnd < 0 ? bytes.Length : lineEnd).TrimEnd();
        if (rest.StartsWith("//", StringComparison.Ordinal))
        {
            return rest;
        }
        if (rest.StartsWith("/*", StringComparison.Ordinal))
        {
            string tail = Text(offset, bytes.Length);
            int close = tail.IndexOf("*/", 2, StringComparison.Ordinal);
            return close < 0 ? null : tail[..(close + 2)];
        }
        return null;
    }

    private int LineStart(int offset)
    {
        int newline = offset <= 0 ? -1 : Array.LastIndexOf(bytes, (byte)'\n', Math.Min(offset, bytes.Length) - 1);
        return newline + 1;
    }

    private static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
