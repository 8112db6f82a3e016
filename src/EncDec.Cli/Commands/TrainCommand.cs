using System.CommandLine;
using EncDec.Cli.Training;
using EncDec.Training;
using EncDec.Training.Configuration;

namespace EncDec.Cli.Commands;

/// <summary><c>encdec train</c>: trains a model from a YAML run file, any key overridable as <c>section.key=value</c>.</summary>
public static class TrainCommand
{
    /// <summary>The <c>train</c> command.</summary>
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "The run file (YAML); see README 'Training'", HelpName = "run.yaml" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in the output folder from its last checkpoint" };
        var threads = new Option<int?>("--threads") { Description = "Threads for the tensor engine (same as training.threads=N)", HelpName = "N" };
        var seed = new Option<ulong?>("--seed") { Description = "Seed of data order and dropout (same as training.seed=S)", HelpName = "S" };
        var quiet = new Option<bool>("--quiet") { Description = "Print only errors and the final line" };
        var overrides = new Argument<string[]>("overrides")
        {
            Description = "Settings that replace the run file's, e.g. optimizer.learning_rate=0.001 training.max_steps=500",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var train = new Command("train",
            "Train an encoder-decoder model: tokenizer, token-based batches, label-smoothed cross-entropy, validation with " +
            "BLEU/chrF, best and last checkpoints, exact resume, metrics.jsonl and curve.svg in the output folder.\n" +
            "Examples:\n  encdec train --config run.yaml\n  encdec train --config run.yaml training.max_steps=2000 batching.max_tokens=2048\n" +
            "  encdec train --config run.yaml --resume")
        {
            config, resume, threads, seed, quiet, overrides,
        };
        train.SetAction((parse, cancellation) =>
        {
            var settings = new List<string>(parse.GetValue(overrides) ?? []);
            if (parse.GetValue(threads) is { } n) settings.Add($"training.threads={n}");
            if (parse.GetValue(seed) is { } s) settings.Add($"training.seed={s}");
            var run = LoadConfig(parse.GetValue(config), settings);
            var output = parse.InvocationConfiguration.Output;
            ITrainingObserver observer = parse.GetValue(quiet) ? new QuietTrainingObserver()
                : ConsoleTrainingObserver.IsInteractive(output) ? new ConsoleTrainingObserver() : new TextTrainingObserver(output);
            var outcome = new Trainer(run, observer).Run(parse.GetValue(resume), cancellation);
            output.WriteLine($"done: step {outcome.Step}, {outcome.StopReason}" +
                (outcome.Best is { } best ? $"; best {run.Validation.Metric} {best.Score:F2} at step {best.Step}" : "") +
                $"; model: {outcome.ModelFolder}");
            return Task.FromResult(ExitCodes.Success);
        });
        return train;
    }

    private static TrainingConfig LoadConfig(string? path, IEnumerable<string> overrides)
    {
        try
        {
            return TrainingConfig.Load(path, overrides);
        }
        catch (InvalidDataException e)
        {
            throw new CliUsageException(e.Message);
        }
    }
}
