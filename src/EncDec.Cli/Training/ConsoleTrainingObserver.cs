using EncDec.Training;
using Spectre.Console;

namespace EncDec.Cli.Training;

/// <summary>
/// The interactive training display: messages and validations as coloured lines, and one status line
/// (step, loss, learning rate, tokens/s, ETA) redrawn in place after every report. Used only when standard
/// output is a terminal; otherwise <see cref="TextTrainingObserver"/> prints plain lines for logs.
/// </summary>
public sealed class ConsoleTrainingObserver : ITrainingObserver
{
    private bool _statusShown;

    /// <summary>True when <paramref name="output"/> is the process's standard output and it is a terminal.</summary>
    public static bool IsInteractive(TextWriter output) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Ansi;

    /// <inheritdoc/>
    public void Message(string text)
    {
        ClearStatus();
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(text)}[/]");
    }

    /// <inheritdoc/>
    public void Progress(TrainingProgress p)
    {
        string steps = p.MaxSteps > 0 ? $"{p.Step}/{p.MaxSteps} ({100.0 * p.Step / p.MaxSteps:F0}%)" : $"{p.Step}";
        string eta = p.Remaining is { } r ? $"  eta {TextTrainingObserver.Format(r)}" : "";
        string line = $"step {steps}  epoch {p.Epoch}  loss {p.Loss:F3}  lr {p.LearningRate:E2}  {p.TargetTokensPerSecond:F0} tok/s  " +
                      $"elapsed {TextTrainingObserver.Format(p.Elapsed)}{eta}";
        int width = Math.Max(20, AnsiConsole.Profile.Width - 1);
        Console.Out.Write("\r" + (line.Length > width ? line[..width] : line.PadRight(width)));
        Console.Out.Flush();
        _statusShown = true;
    }

    /// <inheritdoc/>
    public void Validation(long step, DevResult r, bool improved)
    {
        ClearStatus();
        string scores = double.IsNaN(r.Bleu) ? "" : $"  BLEU [bold]{r.Bleu:F2}[/]  chrF {r.Chrf:F2}  exact {r.ExactMatch:F1}%";
        AnsiConsole.MarkupLine($"[blue]valid[/] step {step}  loss {r.Loss:F3}  ppl {r.Perplexity:F2}{scores}  ({r.Seconds:F1} s)" +
                               (improved ? "  [green]best[/]" : ""));
        foreach (var (source, reference, hypothesis) in r.Examples.Take(1))
        {
            AnsiConsole.MarkupLine($"  [grey]src[/] {Markup.Escape(source)}");
            AnsiConsole.MarkupLine($"  [grey]ref[/] {Markup.Escape(reference)}");
            AnsiConsole.MarkupLine($"  [grey]hyp[/] {Markup.Escape(hypothesis)}");
        }
    }

    private void ClearStatus()
    {
        if (!_statusShown) return;
        Console.Out.WriteLine();
        _statusShown = false;
    }
}

/// <summary>Prints nothing during training (<c>--quiet</c>); the command still prints its final line.</summary>
public sealed class QuietTrainingObserver : ITrainingObserver
{
    /// <inheritdoc/>
    public void Message(string text) { }

    /// <inheritdoc/>
    public void Progress(TrainingProgress progress) { }

    /// <inheritdoc/>
    public void Validation(long step, DevResult result, bool improved) { }
}
