using System.Runtime.InteropServices;
using System.Text;

namespace NativeGrad.BindingGen.Clang;

/// <summary>One parsed header. Owns the libclang index and translation unit; cursors taken from it
/// are valid until it is disposed.</summary>
internal sealed unsafe class TranslationUnit : IDisposable
{
    private readonly nint _index;
    private nint _unit;

    private TranslationUnit(nint index, nint unit)
    {
        _index = index;
        _unit = unit;
    }

    public CXCursor Cursor => LibClang.clang_getTranslationUnitCursor(_unit);

    /// <summary>Parses <paramref name="path"/> and throws, with every diagnostic, if libclang
    /// reports any warning or error: bindings must never come from a header that did not parse
    /// cleanly.</summary>
    public static TranslationUnit Parse(string path, IReadOnlyList<string> arguments)
    {
        LibClangLoader.EnsureRegistered();
        nint index = LibClang.clang_createIndex(excludeDeclarationsFromPch: 0, displayDiagnostics: 0);
        nint unit = 0;
        int error;
        var allocated = new List<nint>();
        try
        {
            byte** argv = stackalloc byte*[arguments.Count];
            for (int i = 0; i < arguments.Count; i++)
            {
                argv[i] = (byte*)Marshal.StringToCoTaskMemUTF8(arguments[i]);
                allocated.Add((nint)argv[i]);
            }
            byte* file = (byte*)Marshal.StringToCoTaskMemUTF8(path);
            allocated.Add((nint)file);
            error = LibClang.clang_parseTranslationUnit2(
                index, file, argv, arguments.Count, null, 0,
                CXTranslationUnitFlags.DetailedPreprocessingRecord, &unit);
        }
        finally
        {
            foreach (nint p in allocated)
            {
                Marshal.FreeCoTaskMem(p);
            }
        }

        if (error != 0 || unit == 0)
        {
            LibClang.clang_disposeIndex(index);
            throw new BindingGenException(
                $"libclang could not parse {path} (CXErrorCode {error}); arguments: {string.Join(' ', arguments)}");
        }

        var result = new TranslationUnit(index, unit);
        string? problems = result.FormatProblems();
        if (problems is not null)
        {
            result.Dispose();
            throw new BindingGenException($"{path} does not parse cleanly:\n{problems}");
        }
        return result;
    }

    /// <summary>All diagnostics, formatted, when at least one is a warning or worse; else null.</summary>
    private string? FormatProblems()
    {
        uint count = LibClang.clang_getNumDiagnostics(_unit);
        var text = new StringBuilder();
        bool failed = false;
        for (uint i = 0; i < count; i++)
        {
            nint diagnostic = LibClang.clang_getDiagnostic(_unit, i);
            try
            {
                failed |= LibClang.clang_getDiagnosticSeverity(diagnostic) >= CXDiagnosticSeverity.Warning;
                text.Append("  ")
                    .Append(LibClang.clang_formatDiagnostic(diagnostic, LibClang.clang_defaultDiagnosticDisplayOptions()).ToManaged())
                    .Append('\n');
            }
            finally
            {
                LibClang.clang_disposeDiagnostic(diagnostic);
            }
        }
        return failed ? text.ToString() : null;
    }

    /// <summary>The spellings of the tokens in the cursor's extent (for a macro definition: its
    /// name, then its replacement list).</summary>
    public List<(CXTokenKind Kind, string Text)> Tokens(CXCursor cursor)
    {
        CXToken* tokens = null;
        uint count = 0;
        LibClang.clang_tokenize(_unit, LibClang.clang_getCursorExtent(cursor), &tokens, &count);
        try
        {
            var result = new List<(CXTokenKind, string)>((int)count);
            for (uint i = 0; i < count; i++)
            {
                result.Add((LibClang.clang_getTokenKind(tokens[i]), LibClang.clang_getTokenSpelling(_unit, tokens[i]).ToManaged()));
            }
            return result;
        }
        finally
        {
            if (tokens != null)
            {
                LibClang.clang_disposeTokens(_unit, tokens, count);
            }
        }
    }

    public void Dispose()
    {
        if (_unit != 0)
        {
            LibClang.clang_disposeTranslationUnit(_unit);
            LibClang.clang_disposeIndex(_index);
            _unit = 0;
        }
    }
}
