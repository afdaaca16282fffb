using System.Text;

namespace NativeGrad.BindingGen;

/// <summary>How C names become C# names: the conventions the hand-written partials rely on.</summary>
internal static class Naming
{
    /// <summary>snake_case or SCREAMING_SNAKE_CASE to PascalCase: each `_`-separated part gets an
    /// upper-case first letter and lower-case rest (ng_cpu_info → NgCpuInfo, AVX512F → Avx512f).</summary>
    public static string PascalCase(string name)
    {
        var result = new StringBuilder(name.Length);
        foreach (string part in name.Split('_', StringSplitOptions.RemoveEmptyEntries))
        {
            result.Append(char.ToUpperInvariant(part[0])).Append(part[1..].ToLowerInvariant());
        }
        return result.ToString();
    }

    /// <summary>
    /// The C# member names of an enum's constants: the longest `_`-separated prefix shared by all
    /// of them is dropped (NG_STATUS_), the rest PascalCased. The prefix is shortened while that
    /// would leave a name empty or starting with a digit, which C# does not allow.
    /// </summary>
    public static IReadOnlyList<string> EnumMemberNames(IReadOnlyList<string> constants)
    {
        List<string[]> parts = constants.Select(c => c.Split('_')).ToList();
        int common = parts.Min(p => p.Length);
        for (int i = 0; i < common; i++)
        {
            if (parts.Any(p => p[i] != parts[0][i]))
            {
                common = i;
                break;
            }
        }
        while (common > 0 && parts.Any(p => !IsUsableRest(p, common)))
        {
            common--;
        }
        return parts.Select(p => PascalCase(string.Join('_', p[common..]))).ToList();
    }

    private static bool IsUsableRest(string[] parts, int dropped)
    {
        string rest = PascalCase(string.Join('_', parts[dropped..]));
        return rest.Length > 0 && !char.IsAsciiDigit(rest[0]);
    }

    /// <summary>A C parameter name as a C# identifier: keywords get the verbatim prefix (out → @out).</summary>
    public static string Identifier(string name) => CSharpKeywords.Contains(name) ? "@" + name : name;

    private static readonly HashSet<string> CSharpKeywords =
    [
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class",
        "const", "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event",
        "explicit", "extern", "false", "finally", "fixed", "float", "for", "foreach", "goto", "if",
        "implicit", "in", "int", "interface", "internal", "is", "lock", "long", "namespace", "new",
        "null", "object", "operator", "out", "override", "params", "private", "protected", "public",
        "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static",
        "string", "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong",
        "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    ];
}
