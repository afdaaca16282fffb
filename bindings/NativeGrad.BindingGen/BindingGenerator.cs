using System.Text;

namespace NativeGrad.BindingGen;

/// <summary>Generates the P/Invoke layer (bindings/NativeGrad.Native/Generated) from nativegrad.h.</summary>
public static class BindingGenerator
{
    /// <summary>The header, relative to the repository root.</summary>
    public const string DefaultHeaderPath = "native/include/nativegrad.h";

    /// <summary>Where the generated files go, relative to the repository root.</summary>
    public const string DefaultOutputDirectory = "bindings/NativeGrad.Native/Generated";

    /// <summary>
    /// Parses <paramref name="headerPath"/> with libclang and writes the C# files into
    /// <paramref name="outputDirectory"/> (created if needed). Other *.g.cs files there are
    /// deleted: the folder holds generated files only, and a file the generator no longer makes
    /// must not linger. Files whose content is unchanged are not rewritten.
    /// </summary>
    /// <returns>The full paths of the generated files, in a fixed order.</returns>
    /// <exception cref="BindingGenException">The header has a warning or error, or a declaration
    /// that cannot be bound; the message says which and why.</exception>
    public static IReadOnlyList<string> Generate(string headerPath, string outputDirectory)
    {
        HeaderModel model = HeaderParser.Parse(headerPath);
        IReadOnlyList<(string FileName, string Content)> files = CSharpEmitter.Emit(model);

        Directory.CreateDirectory(outputDirectory);
        var written = new List<string>();
        foreach ((string fileName, string content) in files)
        {
            string path = Path.GetFullPath(Path.Combine(outputDirectory, fileName));
            byte[] bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content);
            if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            {
                File.WriteAllBytes(path, bytes);
            }
            written.Add(path);
        }
        foreach (string stale in Directory.GetFiles(outputDirectory, "*.g.cs"))
        {
            if (!written.Contains(Path.GetFullPath(stale)))
            {
                File.Delete(stale);
            }
        }
        return written;
    }

    /// <summary>
    /// The repository root: the nearest folder at or above <paramref name="startDirectory"/> that
    /// holds NativeGrad.sln or native/include/nativegrad.h; null when there is none.
    /// </summary>
    public static string? FindRepositoryRoot(string startDirectory)
    {
        for (DirectoryInfo? dir = new(Path.GetFullPath(startDirectory)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NativeGrad.sln")) ||
                File.Exists(Path.Combine(dir.FullName, DefaultHeaderPath)))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
