namespace NativeGrad.BindingGen;

/// <summary>The header cannot be turned into bindings (parse problem, unmappable declaration);
/// the message says which declaration and why.</summary>
public sealed class BindingGenException(string message) : Exception(message);
