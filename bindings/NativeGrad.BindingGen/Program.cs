using NativeGrad.BindingGen;

// dotnet run --project bindings/NativeGrad.BindingGen -- [--header PATH] [--out DIR]
// Defaults are relative to the repository root, found from the current directory.

const string Usage = "usage: NativeGrad.BindingGen [--header PATH] [--out DIR]";
string? header = null;
string? output = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--header" when i + 1 < args.Length:
            header = args[++i];
            break;
        case "--out" when i + 1 < args.Length:
            output = args[++i];
            break;
        case "-h" or "--help":
            Console.WriteLine(Usage);
            return 0;
        default:
            Console.Error.WriteLine($"unknown or incomplete argument '{args[i]}'\n{Usage}");
            return 2;
    }
}

if (header is null || output is null)
{
    string? root = BindingGenerator.FindRepositoryRoot(Environment.CurrentDirectory);
    if (root is null)
    {
        Console.Error.WriteLine(
            $"no repository root (a folder with NativeGrad.sln or {BindingGenerator.DefaultHeaderPath}) at or above " +
            $"{Environment.CurrentDirectory}; pass --header and --out");
        return 2;
    }
    header ??= Path.Combine(root, BindingGenerator.DefaultHeaderPath);
    output ??= Path.Combine(root, BindingGenerator.DefaultOutputDirectory);
}

try
{
    foreach (string file in BindingGenerator.Generate(header, output))
    {
        Console.WriteLine(file);
    }
    return 0;
}
catch (BindingGenException e)
{
    Console.Error.WriteLine($"NativeGrad.BindingGen: {e.Message}");
    return 1;
}
