using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/NativeGrad.Benchmarks -- --filter '*' [--quick]
// --quick runs every benchmark with a short job (a few iterations each: the whole suite in a few
// minutes, for a first look); without it BenchmarkDotNet decides how long to measure.
bool quick = args.Contains("--quick");
args = [.. args.Where(a => a != "--quick")];

var config = DefaultConfig.Instance
    .AddExporter(MarkdownExporter.GitHub)
    .AddExporter(JsonExporter.Full);
if (quick)
    config = config.AddJob(Job.ShortRun.WithWarmupCount(1).WithIterationCount(3).WithLaunchCount(1).AsDefault());
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
