namespace NativeGrad.BindingGen;

// What the generator keeps of nativegrad.h, already in C# terms (names and blittable types), in
// the order of the header. `Doc` holds the cleaned lines of the declaration's comment; empty
// when it has none.

internal sealed record HeaderModel(
    string HeaderFileName,
    IReadOnlyList<ConstantModel> Constants,
    IReadOnlyList<EnumModel> Enums,
    IReadOnlyList<StructModel> Structs,
    IReadOnlyList<FunctionModel> Functions);

/// <summary>An object-like macro whose value is one integer literal.</summary>
internal sealed record ConstantModel(string Name, string Type, string Value, IReadOnlyList<string> Doc);

internal sealed record EnumModel(string CName, string Name, IReadOnlyList<EnumMemberModel> Members, IReadOnlyList<string> Doc);

internal sealed record EnumMemberModel(string CName, string Name, long Value, IReadOnlyList<string> Doc);

internal sealed record StructModel(string CName, string Name, IReadOnlyList<FieldModel> Fields, IReadOnlyList<string> Doc);

internal sealed record FieldModel(string CName, string Name, string Type, IReadOnlyList<string> Doc);

/// <summary>A C function; <see cref="CSignature"/> is its declaration as written, on one line.</summary>
internal sealed record FunctionModel(
    string Name, string ReturnType, IReadOnlyList<ParameterModel> Parameters, string CSignature, IReadOnlyList<string> Doc);

internal sealed record ParameterModel(string Name, string Type);
