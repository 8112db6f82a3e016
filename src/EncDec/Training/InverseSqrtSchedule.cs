namespace EncDec.Training;

/// <summary>
/// fairseq's <c>inverse_sqrt</c> (the Transformer paper's schedule with the peak set directly):
/// lr = peak · min(step / warmup, √(warmup / step)), floored at <see cref="MinLearningRate"/> after the warm-up.
/// </summary>
public sealed class InverseSqrtSchedule : LearningRateSchedule
{
    /// <summary>An inverse-square-root decay after <paramref name="warmupSteps"/> (&gt; 0) steps of warm-up.</summary>
    /// <param name="peakLearningRate">The rate at step = warmup.</param>
    /// <param name="warmupSteps">Steps of linear warm-up (&gt; 0: the decay is anchored at the warm-up's end).</param>
    /// <param name="minLearningRate">Floor of the decay.</param>
    public InverseSqrtSchedule(float peakLearningRate, long warmupSteps, float minLearningRate = 0f)
        : base(peakLearningRate, warmupSteps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(warmupSteps);
        if (!(minLearningRate >= 0 && minLearningRate <= peakLearningRate))
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, "minimum learning rate must be in [0, peak]");
        MinLearningRate = minLearningRate;
    }

    /// <summary>Floor of the decay.</summary>
    public float MinLearningRate { get; }

    /// <inheritdoc />
    protected override double Compute(long step) => step < WarmupSteps
        ? PeakLearningRate * (double)step / WarmupSteps
        : Math.Max(MinLearningRate, PeakLearningRate * Math.Sqrt((double)WarmupSteps / step));
}
