using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Training;

namespace EncDec.Cli.Bench;

/// <summary>
/// <c>encdec bench train</c>: full training steps of the <see cref="TransformerWorkload"/> (forward, cross-entropy,
/// backward, Adam step, zeroing the gradients), each inside a <see cref="TensorScope"/>, on one fixed random batch.
/// Reports the best and the median step time, <c>train_target_tokens_per_s</c> = batch × tgtLen / median step
/// seconds, and the bytes allocated per measured step. The same batch every step makes the loss fall (the model
/// memorises it), which shows the steps really update the weights.
/// </summary>
public static class TransformerTrainBenchmark
{
    /// <summary>What one run measured.</summary>
    /// <param name="Workload">The model and batch shape.</param>
    /// <param name="Threads">Threads the kernels used.</param>
    /// <param name="Warmup">Unmeasured steps before the measured ones.</param>
    /// <param name="Step">Seconds per measured step.</param>
    /// <param name="CpuSecondsPerStep">Processor time of the whole process per measured step (all threads, spinning
    /// included): on a busy machine it moves less than the wall-clock times.</param>
    /// <param name="BytesPerStep">Managed bytes allocated per measured step, whole process (worker threads included).</param>
    /// <param name="Parameters">Trainable parameters (the shared table counted once).</param>
    /// <param name="FirstLoss">Loss of the first step.</param>
    /// <param name="LastLoss">Loss of the last measured step.</param>
    public sealed record Result(TransformerWorkload Workload, int Threads, int Warmup, TimingSummary Step,
        double CpuSecondsPerStep, double BytesPerStep, long Parameters, float FirstLoss, float LastLoss)
    {
        /// <summary>Target tokens trained on per second at the median step time.</summary>
        public double TargetTokensPerSecond => Workload.TargetTokens / Step.Median;

        /// <summary>Operations of the matrix products of one step (<see cref="WorkloadArithmetic.TrainStep"/>).</summary>
        public double FlopsPerStep => WorkloadArithmetic.TrainStep(Workload);

        /// <summary>GFLOP/s of those products at the median step time.</summary>
        public double Gflops => FlopsPerStep / Step.Median / 1e9;
    }

    /// <summary>The <c>bench train</c> command over <paramref name="workload"/> (the fixed workload when null;
    /// tests pass a small one).</summary>
    public static Command CreateCommand(TransformerWorkload? workload = null)
    {
        workload ??= new TransformerWorkload();
        workload.Validate();
        var json = BenchOptions.Json();
        var threads = BenchOptions.Threads();
        var steps = BenchOptions.PositiveInt("--steps", "Measured training steps after warm-up", 20);
        var warmup = BenchOptions.PositiveInt("--warmup", "Unmeasured steps first (the pools and Adam's moments fill during these)", 3);
        var command = new Command("train",
            "Time Transformer training steps (forward, backward, Adam) on the fixed workload: shared vocabulary 8,000, " +
            "dModel 256, 4 heads, ffn 1,024, 3+3 post-LN layers, dropout 0, tied embeddings, batch 64 x 30 source x 30 target tokens\n" +
            "Example: encdec bench train --threads 2 --json")
        {
            json, threads, steps, warmup,
        };
        command.SetAction(parse =>
        {
            var result = Measure(workload, parse.GetValue(warmup), parse.GetValue(steps), parse.GetValue(threads));
            Report(result, parse.GetValue(json), parse.InvocationConfiguration.Output);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Builds the model and batch, runs <paramref name="warmup"/> steps, then times <paramref name="steps"/> steps.</summary>
    public static Result Measure(TransformerWorkload workload, int warmup, int steps, int threads)
    {
        ArgumentNullException.ThrowIfNull(workload);
        workload.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        return BenchOptions.WithThreads(threads, () => MeasureSteps(workload, warmup, steps, threads));
    }

    private static Result MeasureSteps(TransformerWorkload workload, int warmup, int steps, int threads)
    {
        var trainer = new Trainer(workload);
        float firstLoss = trainer.Step();
        for (int i = 1; i < warmup; i++) trainer.Step();

        var seconds = new double[steps];
        float loss = firstLoss;
        long bytes = GC.GetTotalAllocatedBytes(precise: true);
        var cpu = Environment.CpuUsage.TotalTime;
        for (int i = 0; i < steps; i++)
        {
            long start = Stopwatch.GetTimestamp();
            loss = trainer.Step();
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        double cpuSeconds = (Environment.CpuUsage.TotalTime - cpu).TotalSeconds;
        bytes = GC.GetTotalAllocatedBytes(precise: true) - bytes;
        return new Result(workload, threads, warmup, TimingSummary.From(seconds), cpuSeconds / steps, (double)bytes / steps,
            trainer.ParameterCount, firstLoss, loss);
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
                ["benchmark"] = "train", ["vocabulary"] = w.Vocabulary, ["d_model"] = w.DModel, ["heads"] = w.Heads,
                ["ffn_dim"] = w.FfnDim, ["layers"] = w.Layers, ["batch"] = w.Batch, ["source_length"] = w.SourceLength,
                ["target_length"] = w.TargetLength, ["threads"] = result.Threads, ["warmup"] = result.Warmup,
                ["steps"] = result.Step.Count, ["best_step_s"] = result.Step.Best, ["median_step_s"] = result.Step.Median,
                ["train_target_tokens_per_s"] = result.TargetTokensPerSecond, ["cpu_s_per_step"] = result.CpuSecondsPerStep,
                ["bytes_per_step"] = result.BytesPerStep,
                ["gflop_per_step"] = result.FlopsPerStep / 1e9, ["train_gflops"] = result.Gflops,
                ["parameters"] = result.Parameters, ["first_loss"] = result.FirstLoss, ["last_loss"] = result.LastLoss,
            }));
            return;
        }
        var invariant = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(invariant,
            $"Transformer training step: vocab {w.Vocabulary} (shared, tied), dModel {w.DModel}, {w.Heads} heads, ffn {w.FfnDim}, " +
            $"{w.Layers}+{w.Layers} post-LN layers, batch {w.Batch} x {w.SourceLength} -> {w.TargetLength}, Adam"));
        output.WriteLine(string.Create(invariant, $"  threads                     {result.Threads}"));
        output.WriteLine(string.Create(invariant, $"  parameters                  {result.Parameters:N0}"));
        output.WriteLine(string.Create(invariant, $"  steps measured              {result.Step.Count} (after {result.Warmup} warm-up)"));
        output.WriteLine(string.Create(invariant, $"  step time best / median     {result.Step.Best * 1e3:F1} / {result.Step.Median * 1e3:F1} ms"));
        output.WriteLine(string.Create(invariant, $"  train target tokens/s       {result.TargetTokensPerSecond:F0} (median)"));
        output.WriteLine(string.Create(invariant,
            $"  matrix-product arithmetic   {result.FlopsPerStep / 1e9:F1} GFLOP per step, {result.Gflops:F0} GFLOP/s (median)"));
        output.WriteLine(string.Create(invariant, $"  processor time per step     {result.CpuSecondsPerStep * 1e3:F1} ms (all threads)"));
        output.WriteLine(string.Create(invariant, $"  bytes allocated per step    {result.BytesPerStep:F0}"));
        output.WriteLine(string.Create(invariant, $"  loss first / last           {result.FirstLoss:F4} / {result.LastLoss:F4}"));
    }

    /// <summary>The model, optimiser and one fixed batch; <see cref="Step"/> is one full training step.</summary>
    private sealed class Trainer
    {
        private readonly EncoderDecoderModel _model;
        private readonly Adam _adam;
        private readonly IntTensor _source, _targetInput, _targetOutput;    // (batch, srcLen), (batch, tgtLen) twice
        private readonly Tensor _mask;                                      // (batch, srcLen)

        public Trainer(TransformerWorkload workload)
        {
            _model = workload.BuildModel();
            _model.Train();
            var parameters = _model.Parameters().Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>().ToArray();
            ParameterCount = parameters.Sum(p => (long)p.Count);
            _adam = new Adam(parameters, learningRate: 1e-3f);
            var random = new RandomGenerator(workload.Seed + 1);
            _source = workload.RandomIds(random, workload.Batch, workload.SourceLength);
            var target = workload.RandomIds(random, workload.Batch, workload.TargetLength + 1);   // [start, y1 .. yn]
            for (int r = 0; r < workload.Batch; r++) target.AsSpan()[r * (workload.TargetLength + 1)] = TransformerWorkload.StartId;
            (_targetInput, _targetOutput) = (Columns(target, 0, workload.TargetLength), Columns(target, 1, workload.TargetLength));
            _mask = workload.NoPadding();
        }

        public long ParameterCount { get; }

        public float Step()
        {
            using var scope = TensorScope.Begin();
            var logits = _model.Forward(_source, _mask, _targetInput);     // (batch, tgtLen, vocab)
            var loss = logits.CrossEntropy(_targetOutput);
            loss.Backward();
            float value = loss.Item();
            _adam.Step();
            _adam.ZeroGrad();
            return value;
        }

        /// <summary>Columns [start, start + count) of (rows, columns) ids.</summary>
        private static IntTensor Columns(IntTensor ids, int start, int count)
        {
            int rows = ids.Shape[0], columns = ids.Shape[1];
            var result = IntTensor.Zeros(rows, count);
            for (int r = 0; r < rows; r++)
                ids.AsSpan().Slice(r * columns + start, count).CopyTo(result.AsSpan().Slice(r * count, count));
            return result;
        }
    }
}
