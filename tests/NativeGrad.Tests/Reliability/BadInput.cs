namespace NativeGrad.Tests.Reliability;

/// <summary>
/// One bad call of the catalogue: the .NET exception it must raise, and the call. The message is
/// PyTorch's (from tests/data/reliability/bad_inputs.json, under the same id) unless
/// <see cref="OwnMessage"/> gives ours, with <see cref="Why"/> we word it differently.
/// </summary>
public sealed record BadInput(string Id, Type Expected, Action Run, string? OwnMessage = null, string? Why = null)
{
    public override string ToString() => Id;
}
