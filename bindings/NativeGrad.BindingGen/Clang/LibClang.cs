using System.Runtime.InteropServices;

namespace NativeGrad.BindingGen.Clang;

// The few parts of libclang's C API (clang-c/Index.h) the generator uses. ClangSharp would provide
// these, but the registry here does not serve it, so they are declared by hand. Layouts follow
// Index.h / CXString.h of LLVM 22; only x64/arm64 (LP64 or LLP64) is supported, where `unsigned`
// is 32 bits and pointers 64.

[StructLayout(LayoutKind.Sequential)]
internal struct CXString
{
    public nint Data;
    public uint PrivateFlags;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXCursor
{
    public CXCursorKind Kind;
    public int XData;
    public fixed ulong Data[3];
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXType
{
    public CXTypeKind Kind;
    public fixed ulong Data[2];
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXSourceLocation
{
    public fixed ulong PtrData[2];
    public uint IntData;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXSourceRange
{
    public fixed ulong PtrData[2];
    public uint BeginIntData;
    public uint EndIntData;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CXToken
{
    public fixed uint IntData[4];
    public nint PtrData;
}

internal enum CXCursorKind
{
    StructDecl = 2,
    UnionDecl = 3,
    EnumDecl = 5,
    FieldDecl = 6,
    EnumConstantDecl = 7,
    FunctionDecl = 8,
    VarDecl = 9,
    ParmDecl = 10,
    TypedefDecl = 20,
    MacroDefinition = 501,
    MacroExpansion = 502,
    InclusionDirective = 503,
    StaticAssert = 602,
}

internal enum CXTypeKind
{
    Invalid = 0,
    Void = 2,
    Bool = 3,
    Char_U = 4,
    UChar = 5,
    UInt = 9,
    Char_S = 13,
    SChar = 14,
    Int = 17,
    Float = 21,
    Double = 22,
    Pointer = 101,
    Record = 105,
    Enum = 106,
    Typedef = 107,
    FunctionNoProto = 110,
    FunctionProto = 111,
    ConstantArray = 112,
    IncompleteArray = 114,
    Elaborated = 119,
}

internal enum CXTokenKind
{
    Punctuation = 0,
    Keyword = 1,
    Identifier = 2,
    Literal = 3,
    Comment = 4,
}

internal enum CXDiagnosticSeverity
{
    Ignored = 0,
    Note = 1,
    Warning = 2,
    Error = 3,
    Fatal = 4,
}

internal enum CXChildVisitResult
{
    Break = 0,
    Continue = 1,
    Recurse = 2,
}

[Flags]
internal enum CXTranslationUnitFlags : uint
{
    None = 0,
    // Keeps macro definitions in the AST so constants like NG_VERSION_MAJOR can be read.
    DetailedPreprocessingRecord = 0x01,
}

internal static unsafe partial class LibClang
{
    private const string Lib = "libclang";

    [LibraryImport(Lib)] public static partial nint clang_createIndex(int excludeDeclarationsFromPch, int displayDiagnostics);
    [LibraryImport(Lib)] public static partial void clang_disposeIndex(nint index);

    [LibraryImport(Lib)]
    public static partial int clang_parseTranslationUnit2(
        nint index, byte* sourceFilename, byte** commandLineArgs, int numCommandLineArgs,
        void* unsavedFiles, uint numUnsavedFiles, CXTranslationUnitFlags options, nint* outTranslationUnit);

    [LibraryImport(Lib)] public static partial void clang_disposeTranslationUnit(nint translationUnit);

    [LibraryImport(Lib)] public static partial uint clang_getNumDiagnostics(nint translationUnit);
    [LibraryImport(Lib)] public static partial nint clang_getDiagnostic(nint translationUnit, uint index);
    [LibraryImport(Lib)] public static partial CXDiagnosticSeverity clang_getDiagnosticSeverity(nint diagnostic);
    [LibraryImport(Lib)] public static partial uint clang_defaultDiagnosticDisplayOptions();
    [LibraryImport(Lib)] public static partial CXString clang_formatDiagnostic(nint diagnostic, uint options);
    [LibraryImport(Lib)] public static partial void clang_disposeDiagnostic(nint diagnostic);

    [LibraryImport(Lib)] public static partial byte* clang_getCString(CXString text);
    [LibraryImport(Lib)] public static partial void clang_disposeString(CXString text);

    [LibraryImport(Lib)] public static partial CXCursor clang_getTranslationUnitCursor(nint translationUnit);

    [LibraryImport(Lib)]
    public static partial uint clang_visitChildren(
        CXCursor parent, delegate* unmanaged<CXCursor, CXCursor, nint, CXChildVisitResult> visitor, nint clientData);

    [LibraryImport(Lib)] public static partial CXCursorKind clang_getCursorKind(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXString clang_getCursorSpelling(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXString clang_getCursorUSR(CXCursor cursor);
    [LibraryImport(Lib)] public static partial uint clang_isCursorDefinition(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXSourceLocation clang_getCursorLocation(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXSourceRange clang_getCursorExtent(CXCursor cursor);
    [LibraryImport(Lib)] public static partial int clang_Location_isFromMainFile(CXSourceLocation location);
    [LibraryImport(Lib)] public static partial CXString clang_Cursor_getRawCommentText(CXCursor cursor);
    [LibraryImport(Lib)] public static partial uint clang_Cursor_isMacroFunctionLike(CXCursor cursor);
    [LibraryImport(Lib)] public static partial uint clang_Cursor_isVariadic(CXCursor cursor);
    [LibraryImport(Lib)] public static partial uint clang_Cursor_isBitField(CXCursor cursor);
    [LibraryImport(Lib)] public static partial uint clang_Cursor_isAnonymousRecordDecl(CXCursor cursor);

    [LibraryImport(Lib)] public static partial CXType clang_getCursorType(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXType clang_getCursorResultType(CXCursor cursor);
    [LibraryImport(Lib)] public static partial int clang_Cursor_getNumArguments(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXCursor clang_Cursor_getArgument(CXCursor cursor, uint index);
    [LibraryImport(Lib)] public static partial long clang_getEnumConstantDeclValue(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXType clang_getEnumDeclIntegerType(CXCursor cursor);
    [LibraryImport(Lib)] public static partial CXType clang_getTypedefDeclUnderlyingType(CXCursor cursor);

    [LibraryImport(Lib)] public static partial CXString clang_getTypeSpelling(CXType type);
    [LibraryImport(Lib)] public static partial CXType clang_getCanonicalType(CXType type);
    [LibraryImport(Lib)] public static partial CXType clang_getPointeeType(CXType type);
    [LibraryImport(Lib)] public static partial CXType clang_Type_getNamedType(CXType type);
    [LibraryImport(Lib)] public static partial CXString clang_getTypedefName(CXType type);
    [LibraryImport(Lib)] public static partial CXCursor clang_getTypeDeclaration(CXType type);
    [LibraryImport(Lib)] public static partial long clang_Type_getSizeOf(CXType type);
    [LibraryImport(Lib)] public static partial long clang_Type_getAlignOf(CXType type);
    [LibraryImport(Lib)] public static partial long clang_Cursor_getOffsetOfField(CXCursor cursor);

    [LibraryImport(Lib)]
    public static partial void clang_getFileLocation(
        CXSourceLocation location, nint* file, uint* line, uint* column, uint* offset);

    [LibraryImport(Lib)] public static partial CXSourceLocation clang_getRangeStart(CXSourceRange range);
    [LibraryImport(Lib)] public static partial CXSourceLocation clang_getRangeEnd(CXSourceRange range);

    [LibraryImport(Lib)]
    public static partial void clang_tokenize(nint translationUnit, CXSourceRange range, CXToken** tokens, uint* numTokens);

    [LibraryImport(Lib)] public static partial CXTokenKind clang_getTokenKind(CXToken token);
    [LibraryImport(Lib)] public static partial CXString clang_getTokenSpelling(nint translationUnit, CXToken token);
    [LibraryImport(Lib)] public static partial void clang_disposeTokens(nint translationUnit, CXToken* tokens, uint numTokens);
}
