using System.CommandLine;
using System.CommandLine.Parsing;
using EncDec.Cli.Bench;

namespace EncDec.Cli.Commands;

/// <summary><c>encdec bench</c>: speed measurements of the engine's kernels and of Transformer training and decoding.</summary>
public static class BenchCommand
{
    /// <summary>The <c>bench</c> command and its subcommands.</summary>
    public static Command Create()
    {
        var bench = new Command("bench", "Measure the speed of the engine's kernels, Transformer training and decoding");
        bench.Add(CreateGemm());
        bench.Add(CreateTrainStep());
        bench.Add(TokenizeBenchmark.CreateCommand());
        bench.Add(TransformerTrainBenchmark.CreateCommand());
        bench.Add(GenerationBenchmark.CreateCommand());
        bench.Add(PeakBenchmark.CreateCommand());
        return bench;
    }

    private static Command CreateGemm()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object per size instead of a table" };
        var threads = new Option<int>("--threads")
        {
            Description = "Threads for EncDec and OpenBLAS (default: all cores)",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        threads.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--threads must be at least 1"); });
        var repeat = new Option<int>("--repeat")
        {
            Description = "Timed repetitions per size and library; the best is reported",
            DefaultValueFactory = _ => 5,
        };
        repeat.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--repeat must be at least 1"); });
        var minTime = new Option<double>("--min-time")
        {
            Description = "Seconds each timed repetition runs for, at least",
            DefaultValueFactory = _ => 0.3,
        };
        minTime.Validators.Add(r => { if (!(r.GetValueOrDefault<double>() > 0)) r.AddError("--min-time must be positive"); });
        var sizes = new Option<GemmShape[]>("--sizes")
        {
            Description = "Comma-separated sizes: N (an N x N x N square) or MxNxK (default: squares 256..2048 and Transformer shapes)",
            CustomParser = ParseShapes,
        };
        var width = new Option<int>("--vector-width")
        {
            Description = "Vector width of EncDec's AVX-512 path: 512 or 256 bits (default: Gemm.PreferredVectorWidth)",
        };
        width.AcceptOnlyFromAmong("256", "512");

        var gemm = new Command("gemm", "Measure matrix multiply (C = A * B, row-major) against OpenBLAS when it is installed\n" +
            "Example: encdec bench gemm --threads 2 --sizes 512,1920x1024x256 --json")
        {
            json, threads, repeat, minTime, sizes, width,
        };
        gemm.SetAction(parse =>
        {
            var settings = new GemmBenchSettings(
                parse.GetValue(sizes) is { Length: > 0 } chosen ? chosen : GemmShape.Defaults,
                parse.GetValue(threads), parse.GetValue(repeat), parse.GetValue(minTime), parse.GetValue(json),
                parse.GetValue(width) is var w and > 0 ? w : null);
            GemmBenchmark.Run(settings, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            return ExitCodes.Success;
        });
        return gemm;
    }

    private static Command CreateTrainStep()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a report" };
        var threads = new Option<int>("--threads")
        {
            Description = "Threads for every parallel kernel (default: all cores)",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        threads.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--threads must be at least 1"); });
        var steps = new Option<int>("--steps")
        {
            Description = "Measured steps after warm-up",
            DefaultValueFactory = _ => 200,
        };
        steps.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--steps must be at least 1"); });
        var warmup = new Option<int>("--warmup")
        {
            Description = "Unmeasured steps first (the pools fill during these)",
            DefaultValueFactory = _ => 20,
        };
        warmup.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--warmup must be at least 1"); });

        var trainStep = new Command("train-step",
            "Time a small MLP training step (forward, backward, SGD) and count the bytes it allocates after warm-up\n" +
            "Example: encdec bench train-step --threads 2 --json")
        {
            json, threads, steps, warmup,
        };
        trainStep.SetAction(parse =>
        {
            TrainStepBenchmark.Run(parse.GetValue(warmup), parse.GetValue(steps), parse.GetValue(threads),
                parse.GetValue(json), parse.InvocationConfiguration.Output);
            return ExitCodes.Success;
        });
        return trainStep;
    }

    private static GemmShape[] ParseShapes(ArgumentResult result)
    {
        var shapes = new List<GemmShape>();
        foreach (var token in result.Tokens)
        {
            foreach (var text in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (GemmShape.TryParse(text, out var shape)) shapes.Add(shape);
                else result.AddError($"--sizes: '{text}' is not N or MxNxK with positive integers");
            }
        }
        return shapes.ToArray();
    }
}
