namespace NativeGrad.Benchmarks;

/// <summary>What the table header says about the machine.</summary>
public static class MachineDescription
{
    /// <summary>The CPU's model name from /proc/cpuinfo, or the processor count where there is none.</summary>
    public static string CpuModel
    {
        get
        {
            const string Key = "model name";
            if (File.Exists("/proc/cpuinfo"))
            {
                var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith(Key, StringComparison.Ordinal));
                if (line is not null) return $"{line[(line.IndexOf(':') + 1)..].Trim()}, {Environment.ProcessorCount} logical cores";
            }
            return $"{Environment.ProcessorCount} logical cores";
        }
    }
}
