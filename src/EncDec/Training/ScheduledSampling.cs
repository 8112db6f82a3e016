using EncDec.Autograd;
using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Training.Configuration;

namespace EncDec.Training;

/// <summary>
/// Scheduled sampling (Bengio et al. 2015) in the two-pass form that suits parallel decoders (Duckworth et al.
/// 2019, as GNMT-era toolkits offer it): a first teacher-forced pass without gradients predicts every position;
/// then each decoder input after the start token is replaced, with probability p(step), by the model's own
/// argmax prediction for that position, and the second pass trains on the mixed inputs. Targets never change.
/// </summary>
public static class ScheduledSampling
{
    /// <summary>The replacement probability after <paramref name="step"/> updates under <paramref name="config"/>.</summary>
    public static double Probability(TrainingLoopConfig config, long step)
    {
        double k = config.ScheduledSamplingK, max = config.ScheduledSamplingMaxRate;
        return config.ScheduledSampling switch
        {
            ScheduledSamplingKind.None => 0,
            ScheduledSamplingKind.InverseSigmoid => max * (1 - k / (k + Math.Exp(Math.Min(step / k, 700)))),
            ScheduledSamplingKind.Linear => max * Math.Min(1.0, step / k),
            ScheduledSamplingKind.Exponential => max * (1 - Math.Pow(0.5, step / k)),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.ScheduledSampling, "unknown scheduled sampling kind"),
        };
    }

    /// <summary>The decoder input with positions replaced by the model's predictions with probability <paramref name="probability"/>.</summary>
    /// <param name="model">The model being trained (its dropout state is left as is).</param>
    /// <param name="sourceIds">(batch, srcLen)</param>
    /// <param name="sourceMask">(batch, srcLen), 1 at padding.</param>
    /// <param name="targetInput">(batch, tgtLen) [Start, y1 … yn] then pad.</param>
    /// <param name="pad">The padding id, never replaced.</param>
    /// <param name="probability">Replacement probability per position.</param>
    /// <param name="rng">Draws the replacement choices.</param>
    /// <returns>A new (batch, tgtLen) input; position 0 and padding are unchanged.</returns>
    public static IntTensor Mix(EncoderDecoderModel model, IntTensor sourceIds, Tensor sourceMask, IntTensor targetInput,
        int pad, double probability, RandomGenerator rng)
    {
        int batch = targetInput.Shape[0], length = targetInput.Shape[1];
        var mixed = new IntTensor(targetInput.AsSpan(), batch, length);
        if (probability <= 0 || length < 2) return mixed;
        using (GradMode.Disable())
        using (TensorScope.Begin())
        {
            var predictions = model.Forward(sourceIds, sourceMask, targetInput).ArgMax(-1).AsSpan();   // (batch, tgtLen)
            var ids = mixed.AsSpan();
            for (int b = 0; b < batch; b++)
                for (int t = 1; t < length; t++)
                {
                    int index = b * length + t;
                    if (ids[index] == pad) continue;
                    if (rng.NextDouble() < probability) ids[index] = predictions[index - 1];   // prediction for position t came from t − 1
                }
        }
        return mixed;
    }
}
