using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace NativeGrad.Benchmarks;

/// <summary>The bytes one call reads plus writes, for the GB/s column of memory-bound benchmarks.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BytesPerCallAttribute(long bytes) : Attribute
{
    public long Bytes { get; } = bytes;
}

/// <summary>
/// A column computed from a benchmark's mean time: a rate, or a rate as a share of the measured
/// FMA peak. Rows it does not apply to show "-", and the column is left out of tables with none.
/// </summary>
public abstract class RateColumn(string name, string legend) : IColumn
{
    public string Id => GetType().Name + name;
    public string ColumnName => name;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => legend;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => summary.BenchmarksCases.Any(c => Rate(c, 1) is not null);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? nanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return nanoseconds is { } mean && Rate(benchmarkCase, mean) is { } rate ? Format(rate) : "-";
    }

    /// <summary>The value for a case that took <paramref name="nanoseconds"/> per call, or null when it does not apply.</summary>
    protected abstract double? Rate(BenchmarkCase benchmarkCase, double nanoseconds);

    protected virtual string Format(double rate) => rate.ToString("F1");

    // Square GEMM benchmarks have an N parameter: 2 n^3 flops per call.
    protected static double? GemmFlops(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "N")?.Value is int n ? 2.0 * n * n * n : null;

    protected static int Threads(BenchmarkCase benchmarkCase) =>
        benchmarkCase.Job.Environment.EnvironmentVariables?
            .FirstOrDefault(v => v.Key == "NATIVEGRAD_NUM_THREADS")?.Value is { } value && int.TryParse(value, out int threads)
            ? threads : 1;
}

/// <summary>GFLOP/s of a square GEMM: 2 n^3 / time.</summary>
public sealed class GflopsColumn() : RateColumn("GFLOP/s", "2 n^3 floating-point operations per call / mean time")
{
    protected override double? Rate(BenchmarkCase benchmarkCase, double nanoseconds) => GemmFlops(benchmarkCase) / nanoseconds;
}

/// <summary>A GEMM's GFLOP/s as a share of the FMA peak of one vector width, times the job's threads.</summary>
public sealed class PeakShareColumn(int bits, Func<double?> peak)
    : RateColumn($"of {bits}-bit peak", $"GFLOP/s / (measured {bits}-bit FMA peak of one core x threads)")
{
    protected override double? Rate(BenchmarkCase benchmarkCase, double nanoseconds) =>
        peak() is { } gflops ? GemmFlops(benchmarkCase) / nanoseconds / (gflops * Threads(benchmarkCase)) : null;

    protected override string Format(double rate) => rate.ToString("P0");
}

/// <summary>GB/s of a memory-bound benchmark: its <see cref="BytesPerCallAttribute"/> / time.</summary>
public sealed class GigabytesPerSecondColumn() : RateColumn("GB/s", "bytes read and written per call / mean time")
{
    protected override double? Rate(BenchmarkCase benchmarkCase, double nanoseconds) =>
        benchmarkCase.Descriptor.WorkloadMethod.GetCustomAttributes(typeof(BytesPerCallAttribute), false)
            .OfType<BytesPerCallAttribute>().FirstOrDefault() is { } bytes ? bytes.Bytes / nanoseconds : null;
}
