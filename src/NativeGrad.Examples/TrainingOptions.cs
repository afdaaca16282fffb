using NativeGrad.Backends;

namespace NativeGrad.Examples;

/// <summary>The example's command line: <c>[notebook|newton|report] [--backend native|managed] [--threads N] [--epochs N] [--seed N] [--model cnn|mlp] [--out DIR] [--quiet] [--distributed] [--help]</c>.</summary>
public sealed record TrainingOptions
{
    /// <summary>The usage text --help prints.</summary>
    public const string Usage = """
        dotnet run --project src/NativeGrad.Examples [-- OPTIONS]

        Trains a digits classifier after a short autograd walkthrough, then writes loss.png,
        graph.dot and model.safetensors and reloads the model from the checkpoint.

          notebook              run the whole autograd notebook instead
          newton                Newton's method on the Rosenbrock function with Autograd.Functional.Hessian
          report                print the versions, CPU tier and backends, and stop
          --backend native|managed   the kernels to run on (default: native when it loads)
          --threads N           threads for the native kernels (default: NATIVEGRAD_NUM_THREADS, else every core)
          --epochs N            training epochs (default 30)
          --seed N              seed for the split, the initialisation and the shuffle (default 0)
          --model cnn|mlp       the model (default cnn)
          --out DIR             where to write the files (default: the current folder)
          --quiet               no live progress bar, one line per epoch (for logs)
          --distributed         data-parallel over the MPI job this process is in (mpirun -np N ...);
                                the global batch stays 64, split over the ranks; rank 0 reports
          --help                this text
        """;

    /// <summary>Run the notebook instead of training.</summary>
    public bool Notebook { get; init; }

    /// <summary>Run Newton's method on Rosenbrock (<see cref="Examples.Newton"/>) instead of training.</summary>
    public bool Newton { get; init; }

    /// <summary>Print the runtime report instead of training.</summary>
    public bool Report { get; init; }

    /// <summary>Print <see cref="Usage"/> and stop.</summary>
    public bool Help { get; init; }

    /// <summary>The backend, or null for the default.</summary>
    public BackendKind? Backend { get; init; }

    /// <summary>The thread count asked for, or null.</summary>
    public int? Threads { get; init; }

    /// <summary>Training epochs.</summary>
    public int Epochs { get; init; } = 30;

    /// <summary>The seed of the split, the initialisation and the shuffle.</summary>
    public ulong Seed { get; init; }

    /// <summary>"cnn" or "mlp".</summary>
    public string Model { get; init; } = "cnn";

    /// <summary>The output folder.</summary>
    public string OutputDirectory { get; init; } = ".";

    /// <summary>Plain lines instead of a live progress bar.</summary>
    public bool Quiet { get; init; }

    /// <summary>Data-parallel training over the MPI job (NativeGrad.Distributed).</summary>
    public bool Distributed { get; init; }

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> naming what was wrong.</summary>
    public static TrainingOptions Parse(string[] args)
    {
        var options = new TrainingOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Positive(string name)
            {
                var text = Value();
                return int.TryParse(text, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive integer, got '{text}'");
            }
            options = args[i] switch
            {
                "notebook" => options with { Notebook = true },
                "newton" => options with { Newton = true },
                "report" => options with { Report = true },
                "--help" or "-h" => options with { Help = true },
                "--quiet" => options with { Quiet = true },
                "--distributed" => options with { Distributed = true },
                "--backend" => options with
                {
                    Backend = Value() switch
                    {
                        "native" => BackendKind.Native,
                        "managed" => BackendKind.Managed,
                        var other => throw new ArgumentException($"--backend must be 'native' or 'managed', got '{other}'"),
                    },
                },
                "--threads" => options with { Threads = Positive("--threads") },
                "--epochs" => options with { Epochs = Positive("--epochs") },
                "--seed" => options with
                {
                    Seed = ulong.TryParse(Value(), out var seed) ? seed : throw new ArgumentException($"--seed must be a non-negative integer, got '{args[i]}'"),
                },
                "--model" => options with
                {
                    Model = Value() is "cnn" or "mlp" ? args[i] : throw new ArgumentException($"--model must be 'cnn' or 'mlp', got '{args[i]}'"),
                },
                "--out" => options with { OutputDirectory = Value() },
                var unknown => throw new ArgumentException($"unknown option '{unknown}'"),
            };
        }
        return options;
    }
}
