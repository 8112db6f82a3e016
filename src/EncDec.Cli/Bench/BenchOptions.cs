using System.CommandLine;

namespace EncDec.Cli.Bench;

/// <summary>The options the Transformer benchmarks share, each validated at parse time (a bad value is a usage error).</summary>
internal static class BenchOptions
{
    /// <summary><c>--json</c>: one JSON object instead of a table.</summary>
    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object instead of a table" };

    /// <summary><c>--threads N</c> (at least 1; default all cores).</summary>
    public static Option<int> Threads() =>
        PositiveInt("--threads", "Threads for every parallel kernel (default: all cores)", Environment.ProcessorCount);

    /// <summary><c>--compute-type float32|int8</c>: the arithmetic of the inference path (default float32).</summary>
    public static Option<Models.InferencePrecision> ComputeType() => new("--compute-type")
    {
        Description = "Arithmetic of inference: float32, or int8 (weights and inputs of every linear layer quantized, " +
            "as CTranslate2's int8; slightly different scores)",
        HelpName = "float32|int8",
        DefaultValueFactory = _ => Models.InferencePrecision.Float32,
        CustomParser = result =>
        {
            // The enum's own parser names the .NET type and accepts numbers; users type the two names.
            string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (text.Equals("float32", StringComparison.OrdinalIgnoreCase)) return Models.InferencePrecision.Float32;
            if (text.Equals("int8", StringComparison.OrdinalIgnoreCase)) return Models.InferencePrecision.Int8;
            result.AddError($"--compute-type '{text}' is not float32 or int8");
            return default;
        },
    };

    /// <summary>An integer option that must be at least 1.</summary>
    public static Option<int> PositiveInt(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError($"{name} must be at least 1"); });
        return option;
    }

    /// <summary>Runs <paramref name="work"/> with <see cref="Kernels.Parallelism.ThreadCount"/> set to
    /// <paramref name="threads"/>, restoring the previous value afterwards.</summary>
    public static T WithThreads<T>(int threads, Func<T> work)
    {
        int previous = Kernels.Parallelism.ThreadCount;
        Kernels.Parallelism.ThreadCount = threads;
        try { return work(); }
        finally { Kernels.Parallelism.ThreadCount = previous; }
    }
}
