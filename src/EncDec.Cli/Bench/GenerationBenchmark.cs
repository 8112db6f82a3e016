using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EncDec.Generation;
using EncDec.Models;
using EncDec.Tensors;

namespace EncDec.Cli.Bench;

/// <summary>
/// <c>encdec bench generate</c>: greedy and beam-4 decoding of one batch of random sources of the
/// <see cref="TransformerWorkload"/> (64 sentences of 30 tokens), each emitting exactly 30 tokens per sentence.
/// Each search runs once untimed, then <c>--repeat</c> timed times; throughput is quoted at the median:
/// <c>greedy_tokens_per_s</c> and <c>beam4_tokens_per_s</c> = batch × length / median seconds (for beam search, the
/// tokens of the best hypothesis per sentence). Encoding the sources is part of each timed search. The processor time
/// of the whole process per run (all threads) is reported too: it moves less than wall-clock time on a busy machine.
/// </summary>
public static class GenerationBenchmark
{
    /// <summary>A search to time: returns (batch, length) ids for the (batch, srcLen) sources.</summary>
    /// <param name="model">The model, in evaluation mode.</param>
    /// <param name="source">(batch, srcLen) source ids.</param>
    /// <param name="sourcePaddingMask">(batch, srcLen): 1 at padding, 0 at real tokens.</param>
    /// <param name="length">Tokens to emit per sentence, never fewer.</param>
    public delegate IntTensor SearchFunction(EncoderDecoderModel model, IntTensor source, Tensor sourcePaddingMask, int length);

    /// <summary>Beams of the beam-search row.</summary>
    public const int BeamSize = 4;

    /// <summary>What one run measured.</summary>
    /// <param name="Workload">The model and batch shape.</param>
    /// <param name="Threads">Threads the kernels used.</param>
    /// <param name="Precision">The arithmetic of the searches.</param>
    /// <param name="Greedy">Seconds per greedy decoding of the batch.</param>
    /// <param name="Beam">Seconds per beam-4 decoding of the batch.</param>
    /// <param name="GreedyCpuSeconds">Processor time of the whole process per greedy decoding (all threads).</param>
    /// <param name="BeamCpuSeconds">Processor time of the whole process per beam-4 decoding (all threads).</param>
    public sealed record Result(TransformerWorkload Workload, int Threads, InferencePrecision Precision, TimingSummary Greedy,
        TimingSummary Beam, double GreedyCpuSeconds, double BeamCpuSeconds)
    {
        /// <summary>Greedy tokens emitted per second at the median time.</summary>
        public double GreedyTokensPerSecond => Workload.TargetTokens / Greedy.Median;

        /// <summary>Beam-4 tokens (best hypothesis per sentence) emitted per second at the median time.</summary>
        public double BeamTokensPerSecond => Workload.TargetTokens / Beam.Median;

        /// <summary>Operations of the matrix products of one greedy decoding (<see cref="WorkloadArithmetic.Greedy"/>).</summary>
        public double GreedyFlops => WorkloadArithmetic.Greedy(Workload).Total;

        /// <summary>GFLOP/s of those products at the median greedy time (int8 products counted as float32 ones).</summary>
        public double GreedyGflops => GreedyFlops / Greedy.Median / 1e9;
    }

    /// <summary>Greedy search of the Generation module, emitting exactly <c>length</c> tokens (end tokens ignored).</summary>
    public static SearchFunction GreedySearch { get; } = (model, source, mask, length) => Search(model, source, mask, length, beam: 1);

    /// <summary>Beam-4 search of the Generation module, emitting exactly <c>length</c> tokens.</summary>
    public static SearchFunction BeamSearch { get; } = (model, source, mask, length) => Search(model, source, mask, length, BeamSize);

    private static readonly SpecialIds WorkloadIds = new(Pad: 0, Start: TransformerWorkload.StartId, End: 2, Unknown: 3);

    private static IntTensor Search(EncoderDecoderModel model, IntTensor source, Tensor mask, int length, int beam)
    {
        var options = new SearchOptions(BeamSize: beam, MaxLength: length, IgnoreEnd: true);
        var results = SequenceGenerator.Generate(model, source, mask, WorkloadIds, options);
        var tokens = IntTensor.Zeros(results.Length, length);
        for (int row = 0; row < results.Length; row++)
            results[row].Best.Tokens.AsSpan(0, Math.Min(length, results[row].Best.Tokens.Length)).CopyTo(tokens.AsSpan().Slice(row * length, length));
        return tokens;
    }

    /// <summary>The <c>bench generate</c> command over <paramref name="workload"/> (the fixed workload when null;
    /// tests pass a small one).</summary>
    public static Command CreateCommand(TransformerWorkload? workload = null)
    {
        workload ??= new TransformerWorkload();
        workload.Validate();
        var json = BenchOptions.Json();
        var threads = BenchOptions.Threads();
        var repeat = BenchOptions.PositiveInt("--repeat", "Timed runs of each search after one untimed run; the median is quoted", 5);
        var computeType = BenchOptions.ComputeType();
        var command = new Command("generate",
            "Time greedy and beam-4 decoding of 64 random sources of 30 tokens, 30 tokens emitted per sentence, with the " +
            "model of 'bench train' (cached decoder states, one step per token)\n" +
            "Example: encdec bench generate --threads 2 --json --compute-type int8")
        {
            json, threads, repeat, computeType,
        };
        command.SetAction(parse =>
        {
            var result = Measure(workload, parse.GetValue(repeat), parse.GetValue(threads), parse.GetValue(computeType));
            Report(result, parse.GetValue(json), parse.InvocationConfiguration.Output);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Builds the model and sources and times <paramref name="greedy"/> and <paramref name="beam"/>
    /// (by default <see cref="GreedySearch"/> and <see cref="BeamSearch"/>) at <paramref name="precision"/>.</summary>
    public static Result Measure(TransformerWorkload workload, int repeat, int threads,
        InferencePrecision precision = InferencePrecision.Float32, SearchFunction? greedy = null, SearchFunction? beam = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        workload.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(repeat, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        return BenchOptions.WithThreads(threads, () =>
        {
            var model = workload.BuildModel();
            model.Eval();
            model.InferencePrecision = precision;
            var source = workload.RandomIds(new RandomGenerator(workload.Seed + 2), workload.Batch, workload.SourceLength);
            var mask = workload.NoPadding();
            var (greedyTimes, greedyCpu) = Time(greedy ?? GreedySearch, model, source, mask, workload, repeat);
            var (beamTimes, beamCpu) = Time(beam ?? BeamSearch, model, source, mask, workload, repeat);
            return new Result(workload, threads, precision, greedyTimes, beamTimes, greedyCpu, beamCpu);
        });
    }

    /// <summary>Wall-clock seconds of each timed run, and the mean processor seconds per timed run.</summary>
    private static (TimingSummary Wall, double CpuSeconds) Time(SearchFunction search, EncoderDecoderModel model,
        IntTensor source, Tensor mask, TransformerWorkload workload, int repeat)
    {
        var seconds = new double[repeat];
        var cpu = TimeSpan.Zero;
        for (int i = -1; i < repeat; i++)
        {
            var cpuStart = Environment.CpuUsage.TotalTime;
            long start = Stopwatch.GetTimestamp();
            var tokens = search(model, source, mask, workload.TargetLength);
            double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (tokens.Rank != 2 || tokens.Shape[0] != workload.Batch || tokens.Shape[1] != workload.TargetLength)
                throw new InvalidOperationException(
                    $"bench generate: a search returned {tokens} for {workload.Batch} sentences of {workload.TargetLength} tokens");
            if (i < 0) continue;
            seconds[i] = elapsed;
            cpu += Environment.CpuUsage.TotalTime - cpuStart;
        }
        return (TimingSummary.From(seconds), cpu.TotalSeconds / repeat);
    }

    /// <summary>Prints a table, or one JSON object with <paramref name="json"/>.</summary>
    public static void Report(Result result, bool json, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        var w = result.Workload;
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["benchmark"] = "generate", ["vocabulary"] = w.Vocabulary, ["d_model"] = w.DModel, ["heads"] = w.Heads,
                ["ffn_dim"] = w.FfnDim, ["layers"] = w.Layers, ["batch"] = w.Batch, ["source_length"] = w.SourceLength,
                ["target_length"] = w.TargetLength, ["threads"] = result.Threads, ["repeat"] = result.Greedy.Count,
                ["compute_type"] = result.Precision.ToString().ToLowerInvariant(),
                ["greedy_best_s"] = result.Greedy.Best, ["greedy_median_s"] = result.Greedy.Median,
                ["greedy_tokens_per_s"] = result.GreedyTokensPerSecond, ["greedy_cpu_s"] = result.GreedyCpuSeconds,
                ["greedy_gflop"] = result.GreedyFlops / 1e9, ["greedy_gflops"] = result.GreedyGflops,
                ["beam4_best_s"] = result.Beam.Best, ["beam4_median_s"] = result.Beam.Median,
                ["beam4_tokens_per_s"] = result.BeamTokensPerSecond, ["beam4_cpu_s"] = result.BeamCpuSeconds,
            }));
            return;
        }
        var invariant = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(invariant,
            $"Transformer decoding: vocab {w.Vocabulary}, dModel {w.DModel}, {w.Layers}+{w.Layers} layers, " +
            $"{w.Batch} sources x {w.SourceLength} tokens -> {w.TargetLength} tokens each, {result.Threads} threads, " +
            $"{result.Precision.ToString().ToLowerInvariant()}, " +
            $"median of {result.Greedy.Count}"));
        output.WriteLine($"  {"search",-8} {"best s",9} {"median s",9} {"tokens/s",10} {"cpu s",9}");
        output.WriteLine(string.Create(invariant,
            $"  {"greedy",-8} {result.Greedy.Best,9:F3} {result.Greedy.Median,9:F3} {result.GreedyTokensPerSecond,10:F0} {result.GreedyCpuSeconds,9:F3}"));
        output.WriteLine(string.Create(invariant,
            $"  {"beam 4",-8} {result.Beam.Best,9:F3} {result.Beam.Median,9:F3} {result.BeamTokensPerSecond,10:F0} {result.BeamCpuSeconds,9:F3}"));
        output.WriteLine(string.Create(invariant,
            $"  greedy matrix-product arithmetic: {result.GreedyFlops / 1e9:F2} GFLOP per decoding, {result.GreedyGflops:F0} GFLOP/s (median)"));
    }
}
