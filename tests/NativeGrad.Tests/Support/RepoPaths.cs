namespace NativeGrad.Tests.Support;

/// <summary>Finds files of the repository the tests were built from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string NativeBuild => Path.Combine(Root, "artifacts", "native");

    public static string TestData(params string[] parts) => Path.Combine([Root, "tests", "data", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "NativeGrad.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException($"No NativeGrad.sln above {AppContext.BaseDirectory}.");
    }
}
