namespace EncDec.Training;

/// <summary>Linear decay after the warm-up: f(progress) = 1 − progress.</summary>
/// <param name="peakLearningRate">The rate at the end of the warm-up.</param>
/// <param name="warmupSteps">Steps of linear warm-up; 0 for none.</param>
/// <param name="totalSteps">The step at which the minimum is reached (&gt; warmup).</param>
/// <param name="minLearningRate">The final rate.</param>
public sealed class LinearSchedule(float peakLearningRate, long warmupSteps, long totalSteps, float minLearningRate = 0f)
    : AnnealingSchedule(peakLearningRate, warmupSteps, totalSteps, minLearningRate)
{
    /// <inheritdoc />
    protected override double Fraction(double progress) => 1 - progress;
}
