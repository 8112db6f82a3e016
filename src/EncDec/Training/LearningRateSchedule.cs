namespace EncDec.Training;

/// <summary>
/// The learning rate as a function of the update step (counted from 1), with a linear warm-up from
/// peak/warmup at step 1 to the peak at step <see cref="WarmupSteps"/>. Schedules that react to
/// validation (plateau) keep state that <see cref="ExportState"/> saves for an exact resume.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>A schedule peaking at <paramref name="peakLearningRate"/> after <paramref name="warmupSteps"/> steps.</summary>
    /// <param name="peakLearningRate">The rate reached at the end of the warm-up.</param>
    /// <param name="warmupSteps">Steps of linear warm-up; 0 for none.</param>
    protected LearningRateSchedule(float peakLearningRate, long warmupSteps)
    {
        if (!(peakLearningRate > 0) || !float.IsFinite(peakLearningRate))
            throw new ArgumentOutOfRangeException(nameof(peakLearningRate), peakLearningRate, "peak learning rate must be positive and finite");
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        PeakLearningRate = peakLearningRate;
        WarmupSteps = warmupSteps;
    }

    /// <summary>The rate at the end of the warm-up.</summary>
    public float PeakLearningRate { get; }

    /// <summary>Steps of linear warm-up.</summary>
    public long WarmupSteps { get; }

    /// <summary>The learning rate for update <paramref name="step"/> (1 for the first update).</summary>
    public float LearningRate(long step)
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), step, "steps count from 1");
        return (float)Compute(step);
    }

    /// <summary>Tells the schedule a validation result; only <see cref="PlateauSchedule"/> reacts.</summary>
    /// <param name="metric">The validation metric (loss, or BLEU when higher is better).</param>
    public virtual void ReportValidation(double metric) { }

    /// <summary>The state a resumed run needs (empty for schedules that are pure functions of the step).</summary>
    public virtual IReadOnlyDictionary<string, double> ExportState() => new Dictionary<string, double>();

    /// <summary>Restores what <see cref="ExportState"/> saved.</summary>
    /// <exception cref="InvalidDataException">A key is missing, unknown or out of range.</exception>
    public virtual void ImportState(IReadOnlyDictionary<string, double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Count > 0)
            throw new InvalidDataException($"{GetType().Name} keeps no state but was given: {string.Join(", ", state.Keys.Order())}");
    }

    /// <summary>The rate at <paramref name="step"/> ≥ 1, in double.</summary>
    protected abstract double Compute(long step);

    /// <summary>step / warmup during the warm-up, then 1.</summary>
    protected double WarmupFraction(long step) => step < WarmupSteps ? (double)step / WarmupSteps : 1.0;
}
