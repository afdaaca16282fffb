using System.Runtime.InteropServices;

namespace NativeGrad.BindingGen.Clang;

// Managed conveniences over the raw libclang calls: strings copied out and disposed, children as a
// list, source positions as byte offsets into the header file.
internal static unsafe class ClangExtensions
{
    public static string ToManaged(this CXString text)
    {
        try
        {
            return Marshal.PtrToStringUTF8((nint)LibClang.clang_getCString(text)) ?? "";
        }
        finally
        {
            LibClang.clang_disposeString(text);
        }
    }

    public static CXCursorKind Kind(this CXCursor cursor) => LibClang.clang_getCursorKind(cursor);

    public static string Spelling(this CXCursor cursor) => LibClang.clang_getCursorSpelling(cursor).ToManaged();

    public static string Usr(this CXCursor cursor) => LibClang.clang_getCursorUSR(cursor).ToManaged();

    public static bool IsDefinition(this CXCursor cursor) => LibClang.clang_isCursorDefinition(cursor) != 0;

    public static bool IsFromMainFile(this CXCursor cursor) =>
        LibClang.clang_Location_isFromMainFile(LibClang.clang_getCursorLocation(cursor)) != 0;

    /// <summary>The comment libclang attached to the declaration (needs -fparse-all-comments for
    /// plain /* */ comments), or null.</summary>
    public static string? RawComment(this CXCursor cursor)
    {
        string text = LibClang.clang_Cursor_getRawCommentText(cursor).ToManaged();
        return text.Length == 0 ? null : text;
    }

    /// <summary>Byte offsets in the file of the first character of the cursor's extent and of the
    /// character just past it.</summary>
    public static (int Start, int End) ExtentOffsets(this CXCursor cursor)
    {
        CXSourceRange extent = LibClang.clang_getCursorExtent(cursor);
        return (FileOffset(LibClang.clang_getRangeStart(extent)), FileOffset(LibClang.clang_getRangeEnd(extent)));
    }

    public static int LocationOffset(this CXCursor cursor) => FileOffset(LibClang.clang_getCursorLocation(cursor));

    private static int FileOffset(CXSourceLocation location)
    {
        uint offset;
        LibClang.clang_getFileLocation(location, null, null, null, &offset);
        return checked((int)offset);
    }

    public static List<CXCursor> Children(this CXCursor parent)
    {
        var children = new List<CXCursor>();
        GCHandle handle = GCHandle.Alloc(children);
        try
        {
            // Non-zero only when the visitor stops early, which CollectChild never does.
            _ = LibClang.clang_visitChildren(parent, &CollectChild, GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
        }
        return children;
    }

    [UnmanagedCallersOnly]
    private static CXChildVisitResult CollectChild(CXCursor cursor, CXCursor parent, nint clientData)
    {
        var children = (List<CXCursor>)GCHandle.FromIntPtr(clientData).Target!;
        children.Add(cursor);
        return CXChildVisitResult.Continue;
    }

    public static string Spelling(this CXType type) => LibClang.clang_getTypeSpelling(type).ToManaged();

    public static CXType Canonical(this CXType type) => LibClang.clang_getCanonicalType(type);

    /// <summary>Strips the "written as" sugar older libclang versions wrap every named type in.</summary>
    public static CXType WithoutElaboration(this CXType type) =>
        type.Kind == CXTypeKind.Elaborated ? LibClang.clang_Type_getNamedType(type) : type;
}
