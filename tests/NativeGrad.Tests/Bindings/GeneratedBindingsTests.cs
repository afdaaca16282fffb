using NativeGrad.BindingGen;

namespace NativeGrad.Tests.Bindings;

/// <summary>
/// The committed bindings/NativeGrad.Native/Generated must be exactly what the generator makes from
/// the committed nativegrad.h: an edited header without a regeneration (or a hand edit of a
/// generated file) fails here, naming the file and the first line that differs.
/// </summary>
public sealed class GeneratedBindingsTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("nativegrad-bindinggen-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public void CommittedBindingsAreWhatTheGeneratorMakesFromTheHeader()
    {
        string root = RepositoryRoot();
        string regenerated = Path.Combine(_scratch, "Generated");

        BindingGenerator.Generate(Path.Combine(root, BindingGenerator.DefaultHeaderPath), regenerated);

        string? difference = FirstDifference(Path.Combine(root, BindingGenerator.DefaultOutputDirectory), regenerated);
        Assert.True(difference is null,
            $"{difference}\nRegenerate with `dotnet run --project bindings/NativeGrad.BindingGen` and commit the result.");
    }

    [Fact]
    public void AFunctionAddedToTheHeaderShowsUpAsADifference()
    {
        string original = Path.Combine(RepositoryRoot(), BindingGenerator.DefaultHeaderPath);
        // A copy of the header with one more function, appended at the very end, which C accepts
        // (NG_API stays defined after the include guard closes).
        string modified = Path.Combine(_scratch, "nativegrad.h");
        File.WriteAllText(modified,
            File.ReadAllText(original) + "\n/* Added by GeneratedBindingsTests. */\nNG_API int32_t ng_added_by_test(void);\n");
        // The baseline is regenerated too (not read from the repository), so this test checks the
        // comparison whether or not the committed files are current.
        string baseline = Path.Combine(_scratch, "Baseline");
        string regenerated = Path.Combine(_scratch, "Regenerated");

        BindingGenerator.Generate(original, baseline);
        BindingGenerator.Generate(modified, regenerated);
        string? difference = FirstDifference(baseline, regenerated);

        // Functions come last in NativeMethods.g.cs, so the first difference is where the baseline
        // closes the class and the regenerated file goes on with the new method.
        string[] baselineLines = File.ReadAllText(Path.Combine(baseline, "NativeMethods.g.cs")).Split('\n');
        int closingBraceLine = Array.LastIndexOf(baselineLines, "}") + 1;
        Assert.NotNull(difference);
        Assert.Contains($"NativeMethods.g.cs differs at line {closingBraceLine}:", difference);
        Assert.Contains("committed:   \"}\"", difference);
        Assert.Contains("regenerated: \"\"", difference);
        Assert.Contains("public static partial int ng_added_by_test();",
            File.ReadAllText(Path.Combine(regenerated, "NativeMethods.g.cs")));
    }

    /// <summary>
    /// Null when both folders hold the same *.cs files with the same content; else what differs
    /// first: the file names, or a file's first differing line with both versions of it.
    /// </summary>
    private static string? FirstDifference(string committedDirectory, string regeneratedDirectory)
    {
        List<string> committedFiles = CSharpFiles(committedDirectory);
        List<string> regeneratedFiles = CSharpFiles(regeneratedDirectory);
        if (!committedFiles.SequenceEqual(regeneratedFiles))
        {
            return $"Generated files differ: committed [{string.Join(", ", committedFiles)}], " +
                   $"regenerated [{string.Join(", ", regeneratedFiles)}].";
        }
        foreach (string file in committedFiles)
        {
            string[] expected = File.ReadAllText(Path.Combine(committedDirectory, file)).Split('\n');
            string[] actual = File.ReadAllText(Path.Combine(regeneratedDirectory, file)).Split('\n');
            for (int i = 0; i < Math.Max(expected.Length, actual.Length); i++)
            {
                string? expectedLine = i < expected.Length ? expected[i] : null;
                string? actualLine = i < actual.Length ? actual[i] : null;
                if (expectedLine != actualLine)
                {
                    return $"{file} differs at line {i + 1}:\n" +
                           $"  committed:   {Show(expectedLine)}\n" +
                           $"  regenerated: {Show(actualLine)}";
                }
            }
        }
        return null;
    }

    private static List<string> CSharpFiles(string directory) =>
        Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.cs").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];

    // Quoted, with a carriage return made visible: a checkout that turned "\n" into "\r\n" would
    // otherwise fail with two lines that look the same.
    private static string Show(string? line) =>
        line is null ? "<end of file>" : "\"" + line.Replace("\r", "\\r") + "\"";

    private static string RepositoryRoot() =>
        BindingGenerator.FindRepositoryRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"no repository root above {AppContext.BaseDirectory}");
}
