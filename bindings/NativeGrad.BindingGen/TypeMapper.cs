using NativeGrad.BindingGen.Clang;

namespace NativeGrad.BindingGen;

/// <summary>
/// C types to blittable C# types. Only what the ABI rules allow maps (fixed-width integers,
/// size_t, float, double, the header's enums and structs, pointers to those, void* and char*);
/// anything else is an error naming the declaration, never a silent guess.
/// </summary>
internal sealed class TypeMapper
{
    // Matched by typedef name before looking through the typedef, because int64_t is `long` on
    // Linux but `long long` on Windows: the name is what carries the width.
    private static readonly Dictionary<string, string> FixedWidthTypedefs = new()
    {
        ["int8_t"] = "sbyte",
        ["uint8_t"] = "byte",
        ["int16_t"] = "short",
        ["uint16_t"] = "ushort",
        ["int32_t"] = "int",
        ["uint32_t"] = "uint",
        ["int64_t"] = "long",
        ["uint64_t"] = "ulong",
        ["intptr_t"] = "nint",
        ["uintptr_t"] = "nuint",
        ["ptrdiff_t"] = "nint",
        ["size_t"] = "nuint",
    };

    /// <summary>Sizes and alignments of the C# types, for checking struct layouts against Clang's.</summary>
    private static readonly Dictionary<string, int> PrimitiveSizes = new()
    {
        ["sbyte"] = 1, ["byte"] = 1, ["short"] = 2, ["ushort"] = 2, ["int"] = 4, ["uint"] = 4,
        ["long"] = 8, ["ulong"] = 8, ["float"] = 4, ["double"] = 8, ["nint"] = 8, ["nuint"] = 8,
    };

    private readonly Dictionary<string, string> _namesByUsr = new();
    private readonly Dictionary<string, (int Size, int Alignment)> _layouts = new();

    /// <summary>Registers the C# name of an enum or struct declaration, keyed by its USR.</summary>
    public void AddTypeName(string usr, string csharpName) => _namesByUsr[usr] = csharpName;

    public bool TryGetTypeName(string usr, out string name) => _namesByUsr.TryGetValue(usr, out name!);

    public void AddLayout(string csharpName, int size, int alignment) => _layouts[csharpName] = (size, alignment);

    /// <summary>Size and alignment of a mapped C# type on a 64-bit target.</summary>
    public (int Size, int Alignment) Layout(string csharpType, string where)
    {
        if (csharpType.EndsWith('*'))
        {
            return (8, 8);
        }
        if (PrimitiveSizes.TryGetValue(csharpType, out int size))
        {
            return (size, size);
        }
        if (_layouts.TryGetValue(csharpType, out var layout))
        {
            return layout;
        }
        throw new BindingGenException($"{where}: no known layout for C# type {csharpType}");
    }

    /// <summary>The C# type for <paramref name="type"/>; <paramref name="where"/> names the
    /// declaration in error messages ("ng_gemm, parameter 'alpha'").</summary>
    public string Map(CXType type, string where)
    {
        type = type.WithoutElaboration();
        switch (type.Kind)
        {
            case CXTypeKind.Void:
                return "void";
            case CXTypeKind.Float:
                return "float";
            case CXTypeKind.Double:
                return "double";
            case CXTypeKind.Pointer:
                return MapPointer(type, where);
            case CXTypeKind.Typedef:
                return MapTypedef(type, where);
            case CXTypeKind.Enum:
            case CXTypeKind.Record:
                return MapTag(type, where);
            case CXTypeKind.FunctionProto:
            case CXTypeKind.FunctionNoProto:
                throw Unmappable(type, where, "function pointers are not part of the ABI");
            case CXTypeKind.ConstantArray:
            case CXTypeKind.IncompleteArray:
                throw Unmappable(type, where, "arrays do not cross the ABI; pass a pointer and a count");
            case CXTypeKind.Bool:
                throw Unmappable(type, where, "bool is not part of the ABI; use int32_t");
            default:
                throw Unmappable(type, where, "only fixed-width integer types cross the ABI (int32_t, int64_t, size_t, ...)");
        }
    }

    private string MapPointer(CXType pointer, string where)
    {
        CXType pointee = LibClang.clang_getPointeeType(pointer).WithoutElaboration();
        // char data (always const char* strings here) is handed over as bytes: the managed side
        // decodes UTF-8 itself, so no marshalling stub is generated.
        if (pointee.Kind is CXTypeKind.Char_S or CXTypeKind.Char_U or CXTypeKind.SChar or CXTypeKind.UChar)
        {
            return "byte*";
        }
        if (pointee.Kind is CXTypeKind.FunctionProto or CXTypeKind.FunctionNoProto)
        {
            throw Unmappable(pointer, where, "function pointers (callbacks) are not part of the ABI");
        }
        return Map(pointee, where) + "*";
    }

    private string MapTypedef(CXType type, string where)
    {
        string name = LibClang.clang_getTypedefName(type).ToManaged();
        if (FixedWidthTypedefs.TryGetValue(name, out string? fixedWidth))
        {
            return fixedWidth;
        }
        // Any other typedef (ng_status, or a typedef of a typedef) maps to what it names.
        CXCursor declaration = LibClang.clang_getTypeDeclaration(type);
        return Map(LibClang.clang_getTypedefDeclUnderlyingType(declaration), where);
    }

    private string MapTag(CXType type, string where)
    {
        CXCursor declaration = LibClang.clang_getTypeDeclaration(type);
        if (TryGetTypeName(declaration.Usr(), out string name))
        {
            return name;
        }
        string reason = declaration.Kind() == CXCursorKind.UnionDecl
            ? "unions are not supported"
            : "it is not an enum or a struct defined in the header (an opaque or foreign type?)";
        throw Unmappable(type, where, reason);
    }

    private static BindingGenException Unmappable(CXType type, string where, string reason) =>
        new($"{where}: cannot map C type '{type.Spelling()}' to C#: {reason}");
}
