using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using NativeGrad.BindingGen.Clang;

namespace NativeGrad.BindingGen;

/// <summary>Reads nativegrad.h with libclang into a <see cref="HeaderModel"/>.</summary>
internal static partial class HeaderParser
{
    public static HeaderModel Parse(string headerPath)
    {
        headerPath = Path.GetFullPath(headerPath);
        if (!File.Exists(headerPath))
        {
            throw new BindingGenException($"header not found: {headerPath}");
        }
        var source = new HeaderSource(File.ReadAllBytes(headerPath));
        using TranslationUnit unit = TranslationUnit.Parse(headerPath, ClangArguments());
        List<CXCursor> declarations = unit.Cursor.Children().Where(c => c.IsFromMainFile()).ToList();

        var types = new TypeMapper();
        Dictionary<string, TagInfo> tags = NameEnumsAndStructs(declarations, types);
        // Where each macro use starts and ends, to cut NG_API off the front of function declarations.
        Dictionary<int, int> macroExpansions = declarations
            .Where(c => c.Kind() == CXCursorKind.MacroExpansion)
            .Select(c => c.ExtentOffsets())
            .GroupBy(e => e.Start)
            .ToDictionary(g => g.Key, g => g.Max(e => e.End));

        var constants = new List<ConstantModel>();
        var enums = new List<EnumModel>();
        var structs = new List<StructModel>();
        var functions = new List<FunctionModel>();
        var functionNames = new HashSet<string>();
        foreach (CXCursor cursor in declarations)
        {
            switch (cursor.Kind())
            {
                case CXCursorKind.MacroDefinition:
                    if (ReadConstant(unit, source, cursor) is { } constant)
                    {
                        constants.Add(constant);
                    }
                    break;
                case CXCursorKind.EnumDecl when cursor.IsDefinition():
                    enums.Add(ReadEnum(cursor, types, tags[cursor.Usr()]));
                    break;
                case CXCursorKind.StructDecl when cursor.IsDefinition():
                    structs.Add(ReadStruct(cursor, types, tags[cursor.Usr()]));
                    break;
                case CXCursorKind.FunctionDecl:
                    // A redeclaration of a function already seen adds nothing.
                    if (functionNames.Add(cursor.Spelling()))
                    {
                        functions.Add(ReadFunction(cursor, types, source, macroExpansions));
                    }
                    break;
                case CXCursorKind.EnumDecl or CXCursorKind.StructDecl: // forward declarations
                case CXCursorKind.TypedefDecl: // resolved where used
                case CXCursorKind.MacroExpansion or CXCursorKind.InclusionDirective:
                case CXCursorKind.StaticAssert:
                    break;
                case CXCursorKind.UnionDecl:
                    throw new BindingGenException($"union {cursor.Spelling()}: unions are not supported");
                case CXCursorKind.VarDecl:
                    throw new BindingGenException($"variable {cursor.Spelling()}: global variables cannot be bound; export a function");
                default:
                    throw new BindingGenException(
                        $"{cursor.Spelling()}: unsupported declaration (libclang cursor kind {(int)cursor.Kind()})");
            }
        }
        return new HeaderModel(Path.GetFileName(headerPath), constants, enums, structs, functions);
    }

    /// <summary>
    /// C11, warnings on, every comment attachable (so plain /* */ comments above declarations and
    /// after enum constants and fields count, not only Doxygen ones), and the system compiler's
    /// own headers: the libclang package ships without Clang's resource headers, so stddef.h would
    /// not be found.
    /// </summary>
    private static string[] ClangArguments() =>
        ["-x", "c", "-std=c11", "-Wall", "-Wextra", "-Wpedantic", "-fparse-all-comments", "-isystem", CompilerIncludeDirectory()];

    private static string CompilerIncludeDirectory()
    {
        var start = new ProcessStartInfo("cc", "-print-file-name=include")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string output;
        try
        {
            using Process process = Process.Start(start)!;
            output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new BindingGenException(
                $"could not run `cc -print-file-name=include` ({e.Message}); a C compiler is needed for stddef.h");
        }
        if (!Directory.Exists(output) || !File.Exists(Path.Combine(output, "stddef.h")))
        {
            throw new BindingGenException(
                $"`cc -print-file-name=include` gave '{output}', which holds no stddef.h; libclang needs a C compiler's include folder");
        }
        return output;
    }

    /// <summary>The name an enum or struct goes by in C (its typedef name when it has one, else
    /// its tag), the C# name made from it, and the comment libclang attached to the typedef.</summary>
    private sealed record TagInfo(string CName, string Name, string? TypedefComment);

    /// <summary>
    /// Names each enum and struct defined in the header before any is used, from its typedef name
    /// when it has one (typedef enum ng_status {...} ng_status;) else from its tag.
    /// </summary>
    private static Dictionary<string, TagInfo> NameEnumsAndStructs(List<CXCursor> declarations, TypeMapper types)
    {
        var tags = new Dictionary<string, TagInfo>();
        var typedefNamed = new HashSet<string>();
        foreach (CXCursor cursor in declarations)
        {
            CXCursorKind kind = cursor.Kind();
            if (kind is CXCursorKind.EnumDecl or CXCursorKind.StructDecl && cursor.IsDefinition())
            {
                tags.TryAdd(cursor.Usr(), new TagInfo(cursor.Spelling(), "", null));
            }
            else if (kind == CXCursorKind.TypedefDecl)
            {
                CXType underlying = LibClang.clang_getTypedefDeclUnderlyingType(cursor).WithoutElaboration();
                if (underlying.Kind is CXTypeKind.Enum or CXTypeKind.Record)
                {
                    string usr = LibClang.clang_getTypeDeclaration(underlying).Usr();
                    // The first typedef names the type; later aliases of it do not rename it.
                    if (tags.ContainsKey(usr) && typedefNamed.Add(usr))
                    {
                        tags[usr] = new TagInfo(cursor.Spelling(), "", cursor.RawComment());
                    }
                }
            }
        }
        foreach (string usr in tags.Keys.ToList())
        {
            tags[usr] = tags[usr] with { Name = Naming.PascalCase(tags[usr].CName) };
            types.AddTypeName(usr, tags[usr].Name);
        }
        return tags;
    }

    // libclang attaches the comment above `typedef enum x {` to the enum, the typedef, or both.
    private static IReadOnlyList<string> DeclarationDoc(CXCursor cursor, TagInfo tag) =>
        DocComment.Lines(cursor.RawComment() ?? tag.TypedefComment);

    private static EnumModel ReadEnum(CXCursor cursor, TypeMapper types, TagInfo tag)
    {
        List<CXCursor> constants = cursor.Children().Where(c => c.Kind() == CXCursorKind.EnumConstantDecl).ToList();
        if (constants.Count == 0)
        {
            throw new BindingGenException($"enum {tag.CName} has no constants");
        }
        // C# enums here are `: int`; a C enum that is not 4 bytes (C23 fixed or wide enums) would not match.
        long size = LibClang.clang_Type_getSizeOf(LibClang.clang_getEnumDeclIntegerType(cursor));
        if (size != 4)
        {
            throw new BindingGenException($"enum {tag.CName} is {size} bytes in C; only 4-byte enums map to `enum : int`");
        }
        IReadOnlyList<string> memberNames = Naming.EnumMemberNames(constants.Select(c => c.Spelling()).ToList());
        var members = new List<EnumMemberModel>();
        for (int i = 0; i < constants.Count; i++)
        {
            long value = LibClang.clang_getEnumConstantDeclValue(constants[i]);
            if (value is < int.MinValue or > int.MaxValue)
            {
                throw new BindingGenException($"enum constant {constants[i].Spelling()} = {value} does not fit in int");
            }
            members.Add(new EnumMemberModel(constants[i].Spelling(), memberNames[i], value, DocComment.Lines(constants[i].RawComment())));
        }
        ThrowOnDuplicates(members.Select(m => m.Name), $"enum {tag.CName}");
        types.AddLayout(tag.Name, 4, 4);
        return new EnumModel(tag.CName, tag.Name, members, DeclarationDoc(cursor, tag));
    }

    private static StructModel ReadStruct(CXCursor cursor, TypeMapper types, TagInfo tag)
    {
        string what = $"struct {tag.CName}";
        var fields = new List<FieldModel>();
        int offset = 0;
        int alignment = 1;
        foreach (CXCursor child in cursor.Children())
        {
            CXCursorKind kind = child.Kind();
            if ((int)kind is >= 400 and < 500) // attributes; a layout change they cause is caught below
            {
                continue;
            }
            string fieldName = child.Spelling();
            if (kind != CXCursorKind.FieldDecl)
            {
                throw new BindingGenException($"{what}: nested declaration '{fieldName}' is not supported");
            }
            if (LibClang.clang_Cursor_isBitField(child) != 0)
            {
                throw new BindingGenException($"{what}, field {fieldName}: bit-fields are not supported");
            }
            string where = $"{what}, field {fieldName}";
            string type = types.Map(LibClang.clang_getCursorType(child), where);
            // Sequential layout in .NET places each field at the next multiple of its alignment,
            // as C does; check that Clang agrees, field by field.
            (int fieldSize, int fieldAlignment) = types.Layout(type, where);
            offset = AlignUp(offset, fieldAlignment);
            alignment = Math.Max(alignment, fieldAlignment);
            long clangOffset = LibClang.clang_Cursor_getOffsetOfField(child) / 8;
            long clangSize = LibClang.clang_Type_getSizeOf(LibClang.clang_getCursorType(child));
            if (clangOffset != offset || clangSize != fieldSize)
            {
                throw new BindingGenException(
                    $"{where}: Clang puts it at offset {clangOffset} with size {clangSize}, a sequential C# struct at {offset} with size {fieldSize} ({type})");
            }
            offset += fieldSize;
            fields.Add(new FieldModel(fieldName, Naming.PascalCase(fieldName), type, DocComment.Lines(child.RawComment())));
        }
        if (fields.Count == 0)
        {
            throw new BindingGenException($"{what} has no fields");
        }
        int size = AlignUp(offset, alignment);
        long clangStructSize = LibClang.clang_Type_getSizeOf(LibClang.clang_getCursorType(cursor));
        if (clangStructSize != size)
        {
            throw new BindingGenException($"{what}: Clang says {clangStructSize} bytes, a sequential C# struct would be {size}");
        }
        types.AddLayout(tag.Name, size, alignment);
        ThrowOnDuplicates(fields.Select(f => f.Name), what);
        return new StructModel(tag.CName, tag.Name, fields, DeclarationDoc(cursor, tag));
    }

    private static FunctionModel ReadFunction(
        CXCursor cursor, TypeMapper types, HeaderSource source, Dictionary<int, int> macroExpansions)
    {
        string name = cursor.Spelling();
        if (LibClang.clang_getCursorType(cursor).Kind == CXTypeKind.FunctionNoProto)
        {
            throw new BindingGenException($"function {name}: declared without a prototype; write {name}(void)");
        }
        if (LibClang.clang_Cursor_isVariadic(cursor) != 0)
        {
            throw new BindingGenException($"function {name}: variadic functions cannot be bound");
        }
        if (cursor.IsDefinition())
        {
            throw new BindingGenException($"function {name}: has a body in the header; only declarations are exported");
        }
        string returnType = types.Map(LibClang.clang_getCursorResultType(cursor), $"function {name}, return type");
        var parameters = new List<ParameterModel>();
        int count = LibClang.clang_Cursor_getNumArguments(cursor);
        for (uint i = 0; i < count; i++)
        {
            CXCursor argument = LibClang.clang_Cursor_getArgument(cursor, i);
            string parameterName = argument.Spelling();
            if (parameterName.Length == 0)
            {
                parameterName = $"arg{i}";
            }
            string type = types.Map(LibClang.clang_getCursorType(argument), $"function {name}, parameter '{parameterName}'");
            parameters.Add(new ParameterModel(Naming.Identifier(parameterName), type));
        }

        // The declaration as written, minus the export macro(s) in front (NG_API).
        (int start, int end) = cursor.ExtentOffsets();
        while (macroExpansions.TryGetValue(start, out int expansionEnd) && expansionEnd < end)
        {
            start = source.SkipWhitespace(expansionEnd);
        }
        return new FunctionModel(name, returnType, parameters, source.OneLine(start, end), DocComment.Lines(cursor.RawComment()));
    }

    /// <summary>An integer-literal macro as a C# constant; null for any other macro (NG_API,
    /// include guards, function-like macros, expressions such as NG_VERSION_NUMBER).</summary>
    private static ConstantModel? ReadConstant(TranslationUnit unit, HeaderSource source, CXCursor cursor)
    {
        if (LibClang.clang_Cursor_isMacroFunctionLike(cursor) != 0)
        {
            return null;
        }
        List<(CXTokenKind Kind, string Text)> tokens = unit.Tokens(cursor);
        if (tokens.Count != 2 || tokens[1].Kind != CXTokenKind.Literal || !TryParseInteger(tokens[1].Text, out string type, out string value))
        {
            return null;
        }
        (int start, int end) = cursor.ExtentOffsets();
        return new ConstantModel(cursor.Spelling(), type, value, DocComment.Lines(source.CommentAroundLine(start, end)));
    }

    /// <summary>
    /// Parses a C integer literal (decimal, 0x hex or 0 octal, with u/l suffixes) and picks the
    /// C# type as C would on LP64: int, else long (decimal) or uint then long (hex/octal); a u
    /// suffix gives uint/ulong; an l suffix at least long. The value is written in decimal, or in
    /// hex when the header wrote hex (C's 010 is eight, C#'s is ten, so octal is never kept).
    /// </summary>
    private static bool TryParseInteger(string literal, out string type, out string value)
    {
        type = value = "";
        Match match = IntegerLiteral().Match(literal);
        if (!match.Success)
        {
            return false;
        }
        string digits = match.Groups["digits"].Value;
        string suffix = match.Groups["suffix"].Value.ToLowerInvariant();
        bool hex = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        bool octal = !hex && digits.Length > 1 && digits[0] == '0';
        ulong number;
        try
        {
            number = hex ? Convert.ToUInt64(digits[2..], 16) : octal ? Convert.ToUInt64(digits, 8) : ulong.Parse(digits, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is OverflowException or FormatException) // too big, or 08 / 09
        {
            return false;
        }
        bool unsigned = suffix.Contains('u');
        bool atLeastLong = suffix.Contains('l');
        type = (unsigned, atLeastLong) switch
        {
            (false, false) when number <= int.MaxValue => "int",
            (false, false) when (hex || octal) && number <= uint.MaxValue => "uint",
            (false, _) when number <= long.MaxValue => "long",
            (true, false) when number <= uint.MaxValue => "uint",
            _ => "ulong",
        };
        value = hex ? "0x" + digits[2..].ToUpperInvariant() : number.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    [GeneratedRegex(@"^(?<digits>0[xX][0-9a-fA-F]+|[0-9]+)(?<suffix>[uU]?(?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU])$")]
    private static partial Regex IntegerLiteral();

    private static int AlignUp(int offset, int alignment) => (offset + alignment - 1) / alignment * alignment;

    private static void ThrowOnDuplicates(IEnumerable<string> names, string where)
    {
        string? duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null)
        {
            throw new BindingGenException($"{where}: two members become the C# name {duplicate}");
        }
    }
}
