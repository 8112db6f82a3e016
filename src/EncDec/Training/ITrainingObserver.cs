namespace EncDec.Training;

/// <summary>A training-loss report, made every <c>training.log_every</c> updates.</summary>
/// <param name="Step">Updates done.</param>
/// <param name="MaxSteps">The update limit (0: none).</param>
/// <param name="Epoch">Epoch in progress, from 0.</param>
/// <param name="Loss">Mean label-smoothed loss per target token since the previous report.</param>
/// <param name="LearningRate">The learning rate of the last update.</param>
/// <param name="GradientNorm">The last update's gradient norm before clipping.</param>
/// <param name="TargetTokensPerSecond">Target tokens trained per second since the previous report.</param>
/// <param name="Elapsed">Training wall time so far.</param>
/// <param name="Remaining">Estimated time to the step or time limit, when one is set.</param>
public sealed record TrainingProgress(long Step, long MaxSteps, int Epoch, double Loss, double LearningRate, double GradientNorm,
    double TargetTokensPerSecond, TimeSpan Elapsed, TimeSpan? Remaining);

/// <summary>Receives what a <see cref="Trainer"/> reports, e.g. to draw a progress display; calls come from the training thread.</summary>
public interface ITrainingObserver
{
    /// <summary>A one-line message: what was loaded, learned or saved, warnings.</summary>
    void Message(string text);

    /// <summary>A training-loss report.</summary>
    void Progress(TrainingProgress progress);

    /// <summary>A validation result; <paramref name="improved"/> when it is the best so far.</summary>
    void Validation(long step, DevResult result, bool improved);
}

/// <summary>An observer that writes plain lines to a <see cref="TextWriter"/> (logs, redirected output, tests).</summary>
public sealed class TextTrainingObserver(TextWriter writer) : ITrainingObserver
{
    /// <inheritdoc/>
    public void Message(string text) => writer.WriteLine(text);

    /// <inheritdoc/>
    public void Progress(TrainingProgress p) => writer.WriteLine(
        $"step {p.Step}{(p.MaxSteps > 0 ? $"/{p.MaxSteps}" : "")} epoch {p.Epoch} loss {p.Loss:F4} lr {p.LearningRate:E3} " +
        $"gnorm {p.GradientNorm:F3} {p.TargetTokensPerSecond:F0} tok/s elapsed {Format(p.Elapsed)}" +
        (p.Remaining is { } r ? $" eta {Format(r)}" : ""));

    /// <inheritdoc/>
    public void Validation(long step, DevResult r, bool improved) => writer.WriteLine(
        $"valid step {step} loss {r.Loss:F4} ppl {r.Perplexity:F2}" +
        (double.IsNaN(r.Bleu) ? "" : $" bleu {r.Bleu:F2} chrf {r.Chrf:F2} exact {r.ExactMatch:F1}%") +
        $" ({r.Seconds:F1} s){(improved ? " *best*" : "")}");

    /// <summary>h:mm:ss.</summary>
    public static string Format(TimeSpan span) => $"{(int)span.TotalHours}:{span.Minutes:D2}:{span.Seconds:D2}";
}
