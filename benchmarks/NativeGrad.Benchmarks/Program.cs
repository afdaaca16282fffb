using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;
using NativeGrad.Backends;
using NativeGrad.Benchmarks;

// dotnet run -c Release --project benchmarks/NativeGrad.Benchmarks -- --filter '*' [--quick]
// --quick runs every benchmark with a short job (a few short iterations each: the whole suite in a
// few minutes, for a first look); without it BenchmarkDotNet decides how long to measure. Tables go
// to the console and BenchmarkDotNet.Artifacts/results as GitHub markdown (DefaultConfig has that
// exporter) and JSON.
BenchmarkJobs.Quick = args.Contains("--quick");
args = [.. args.Where(a => a != "--quick")];

Console.WriteLine($"CPU: {MachineDescription.CpuModel}");
Console.WriteLine(Backend.IsNativeAvailable
    ? $"native tier: {NativeRuntime.Cpu.ActiveTier} (best {NativeRuntime.Cpu.BestTier}), libnativegrad {NativeRuntime.Version}; the jobs pin NATIVEGRAD_NUM_THREADS (this host process: {NativeRuntime.NumThreads})"
    : "native: libnativegrad did not load; the native rows will fail");
FmaPeak.Measure();
Console.WriteLine(FmaPeak.Describe());
if (!OpenBlas.IsAvailable)
    Console.WriteLine("OpenBLAS: libopenblas.so.0 did not load (apt-get install libopenblas-dev); skipping the OpenBLAS rows");

var config = BenchmarkJobs.All().Aggregate((IConfig)DefaultConfig.Instance, (jobs, job) => jobs.AddJob(job))
    .AddFilter(new SimpleFilter(BenchmarkJobs.IsJobOfItsClass))
    .AddColumn(new GflopsColumn(), new PeakShareColumn(256, () => FmaPeak.Gflops256), new PeakShareColumn(512, () => FmaPeak.Gflops512),
               new GigabytesPerSecondColumn())
    .AddFilter(new SimpleFilter(c => OpenBlas.IsAvailable || c.Descriptor.WorkloadMethod.Name != nameof(OpenBlas)))
    .AddExporter(JsonExporter.Full);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
Console.WriteLine(FmaPeak.Describe());
