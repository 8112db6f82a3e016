namespace EncDec.Training;

/// <summary>
/// Warm-up to the peak, then a decay that reaches <see cref="MinLearningRate"/> at <see cref="TotalSteps"/>
/// and stays there: lr = min + (peak − min) · f(progress), progress = (step − warmup) / (total − warmup).
/// </summary>
public abstract class AnnealingSchedule : LearningRateSchedule
{
    /// <summary>A decay from the peak at <paramref name="warmupSteps"/> to the minimum at <paramref name="totalSteps"/>.</summary>
    /// <param name="peakLearningRate">The rate at the end of the warm-up.</param>
    /// <param name="warmupSteps">Steps of linear warm-up; 0 for none.</param>
    /// <param name="totalSteps">The step at which the minimum is reached (&gt; warmup).</param>
    /// <param name="minLearningRate">The final rate, in [0, peak].</param>
    protected AnnealingSchedule(float peakLearningRate, long warmupSteps, long totalSteps, float minLearningRate)
        : base(peakLearningRate, warmupSteps)
    {
        if (totalSteps <= warmupSteps)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, $"total steps must exceed the {warmupSteps} warm-up steps");
        if (!(minLearningRate >= 0 && minLearningRate <= peakLearningRate))
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, "minimum learning rate must be in [0, peak]");
        TotalSteps = totalSteps;
        MinLearningRate = minLearningRate;
    }

    /// <summary>The step at which the minimum is reached.</summary>
    public long TotalSteps { get; }

    /// <summary>The final rate.</summary>
    public float MinLearningRate { get; }

    /// <inheritdoc />
    protected override double Compute(long step)
    {
        if (step < WarmupSteps) return PeakLearningRate * WarmupFraction(step);
        if (step >= TotalSteps) return MinLearningRate;
        double progress = (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps);
        return MinLearningRate + (PeakLearningRate - (double)MinLearningRate) * Fraction(progress);
    }

    /// <summary>f: 1 at progress 0, 0 at progress 1.</summary>
    protected abstract double Fraction(double progress);
}
