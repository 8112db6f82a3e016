namespace EncDec.Training;

/// <summary>The peak rate throughout, after an optional linear warm-up.</summary>
/// <param name="peakLearningRate">The constant rate.</param>
/// <param name="warmupSteps">Steps of linear warm-up; 0 for none.</param>
public sealed class ConstantSchedule(float peakLearningRate, long warmupSteps = 0)
    : LearningRateSchedule(peakLearningRate, warmupSteps)
{
    /// <inheritdoc />
    protected override double Compute(long step) => PeakLearningRate * WarmupFraction(step);
}
