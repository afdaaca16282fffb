using NativeGrad.Backends;
using NativeGrad.Conformance;

// dotnet run --project tests/NativeGrad.Conformance -- [DIR] [--backend native|managed]
string? directory = null;
BackendKind? backend = null;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--backend" && i + 1 < args.Length && Enum.TryParse<BackendKind>(args[++i], ignoreCase: true, out var kind))
        backend = kind;
    else if (args[i].StartsWith('-'))
    {
        Console.Error.WriteLine($"unknown option '{args[i]}'. Usage: NativeGrad.Conformance [DIR] [--backend native|managed]");
        return 2;
    }
    else directory = args[i];
}
directory ??= CaseFiles.DefaultDirectory;
using var scope = Backend.Use(backend ?? Backend.Default);
Console.WriteLine($"cases: {Path.GetFullPath(directory)}   backend: {Backend.Current}");

var results = CaseFiles.LoadOps(directory).Select(CaseRunner.Run)
    .Concat(CaseFiles.LoadRepr(directory).Select(CaseRunner.Run))
    .Concat(CaseFiles.LoadRng(directory).Select(CaseRunner.Run))
    .Concat(CaseFiles.LoadNn(directory) is { } nn ? NnRunner.RunAll(nn) : [])
    .Concat(CaseFiles.LoadFunctional(directory) is { } functional ? FunctionalRunner.RunAll(functional) : [])
    .Concat(CaseFiles.LoadForwardAd(directory).Select(ForwardAdRunner.Run))
    .ToList();

Console.WriteLine($"{"op",-18}{"cases",7}{"value",7}{"grad",7}{"repr",7}{"error",7}");
foreach (var group in results.GroupBy(r => r.Op))
    Console.WriteLine($"{group.Key,-18}{group.Count(),7}{group.Count(r => r.ValueFailure is not null),7}" +
                      $"{group.Count(r => r.GradFailure is not null),7}{group.Count(r => r.ReprFailure is not null),7}" +
                      $"{group.Count(r => r.Error is not null),7}");

foreach (var failed in results.Where(r => !r.Passed))
    Console.WriteLine($"\nFAILED {failed.Id}\n{failed.Describe()}");

int failures = results.Count(r => !r.Passed);
Console.WriteLine($"\n{results.Count - failures} passed, {failures} failed");
return failures == 0 ? 0 : 1;
