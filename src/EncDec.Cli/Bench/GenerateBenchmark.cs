using System.CommandLine;
using System.Diagnostics;
using EncDec.Generation;
using EncDec.Models;
using EncDec.Tensors;

namespace EncDec.Cli.Bench;

/// <summary>
/// <c>encdec bench generate</c>: search speed on a randomly initialised preset: a batch of random sources, every
/// hypothesis forced to exactly the target length (<see cref="SearchOptions.IgnoreEnd"/>), so that the work does not
/// depend on what an untrained model emits. Reports generated tokens per second (batch × target length, beams not
/// counted) for each beam size, the best of several repetitions after one warm-up.
/// </summary>
public static class GenerateBenchmark
{
    /// <summary>The <c>generate</c> subcommand.</summary>
    public static Command CreateCommand()
    {
        var preset = new Option<string>("--preset") { Description = "Model preset", DefaultValueFactory = _ => "transformer" };
        var vocabulary = Positive("--vocab", "Source and target vocabulary size", 8000);
        var batch = Positive("--batch", "Sentences per batch", 64);
        var sourceLength = Positive("--src-len", "Source tokens per sentence", 30);
        var targetLength = Positive("--tgt-len", "Target tokens generated per sentence", 30);
        var beams = new Option<int[]>("--beam") { Description = "Beam sizes to measure", DefaultValueFactory = _ => [1, 4], AllowMultipleArgumentsPerToken = true };
        var repeat = Positive("--repeat", "Timed repetitions; the best is reported", 3);
        var threads = new Option<int>("--threads") { Description = "Kernel threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("generate", "Measure greedy and beam search speed (tokens/s) on a random preset")
        {
            preset, vocabulary, batch, sourceLength, targetLength, beams, repeat, threads,
        };
        command.SetAction(parse =>
        {
            Kernels.Parallelism.ThreadCount = Math.Max(1, parse.GetValue(threads));
            Run(parse.GetValue(preset)!, parse.GetValue(vocabulary), parse.GetValue(batch), parse.GetValue(sourceLength),
                parse.GetValue(targetLength), parse.GetValue(beams)!, parse.GetValue(repeat), parse.InvocationConfiguration.Output);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Measures and prints one line per beam size.</summary>
    public static void Run(string preset, int vocabulary, int batch, int sourceLength, int targetLength, int[] beams, int repeat, TextWriter output)
    {
        var config = ModelPresets.Get(preset, vocabulary, vocabulary);
        var model = ModelBuilder.Build(config);
        model.Eval();
        var random = new RandomGenerator(1);
        var ids = new int[batch * sourceLength];
        for (int i = 0; i < ids.Length; i++) ids[i] = 3 + random.NextInt(vocabulary - 3);
        var source = new IntTensor(ids, batch, sourceLength);
        var mask = Tensor.Zeros(batch, sourceLength);
        var special = new SpecialIds(0, 1, 2, 3);
        output.WriteLine($"{preset}: vocab {vocabulary}, batch {batch}, source {sourceLength}, target {targetLength} tokens, {Kernels.Parallelism.ThreadCount} threads");
        foreach (int beam in beams)
        {
            var options = new SearchOptions(BeamSize: beam, MaxLength: targetLength, IgnoreEnd: true);
            SequenceGenerator.Generate(model, source, mask, special, options);   // warm-up
            double best = double.MaxValue;
            for (int r = 0; r < repeat; r++)
            {
                var watch = Stopwatch.StartNew();
                var results = SequenceGenerator.Generate(model, source, mask, special, options);
                best = Math.Min(best, watch.Elapsed.TotalSeconds);
                if (results.Any(x => x.Best.Tokens.Length != targetLength)) throw new InvalidOperationException("a hypothesis has the wrong length");
            }
            output.WriteLine($"beam {beam}: {best:F3} s, {batch * targetLength / best:F0} tokens/s");
        }
    }

    private static Option<int> Positive(string name, string description, int fallback)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError($"{name} must be at least 1"); });
        return option;
    }
}
