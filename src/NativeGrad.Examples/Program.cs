using NativeGrad;
using NativeGrad.Backends;
using NativeGrad.Distributed;
using NativeGrad.Examples;

// dotnet run --project src/NativeGrad.Examples [-- notebook | newton | OPTIONS]; --help lists them.
TrainingOptions options;
try
{
    options = TrainingOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"{e.Message}\n\n{TrainingOptions.Usage}");
    return 2;
}
if (options.Help)
{
    Console.WriteLine(TrainingOptions.Usage);
    return 0;
}
if (options.Report)
{
    Report.Run(Console.Out);
    return 0;
}
if (options.Newton)
{
    using (Backend.Use(options.Backend ?? Backend.Default))
        Newton.Run(Console.Out);
    return 0;
}
if (options.Notebook)
{
    Notebook.Run(Console.Out);
    return 0;
}

if (options.Threads is { } threads && Backend.IsNativeAvailable) NativeRuntime.SetNumThreads(threads);
using var backend = Backend.Use(options.Backend ?? Backend.Default);
if (options.Distributed)
{
    // mpirun -np N dotnet run --project src/NativeGrad.Examples -- --distributed: rank 0 reports.
    using var group = ProcessGroup.FromEnvironment(TimeSpan.FromMinutes(5));
    TrainingRun.Run(options, group.Rank == 0 ? Console.Out : TextWriter.Null, group);
    return 0;
}
Walkthrough.Run(Console.Out);
TrainingRun.Run(options, Console.Out);
return 0;
