using EncDec.Data;
using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Training.Configuration;

namespace EncDec.Training;

/// <summary>What one optimiser update measured.</summary>
/// <param name="Loss">Label-smoothed cross-entropy per target token over the whole group of mini-batches.</param>
/// <param name="GradientNorm">Global gradient norm before clipping.</param>
/// <param name="TargetTokens">Target tokens (end tokens included, padding not) in the group.</param>
/// <param name="SourceTokens">Source tokens in the group.</param>
/// <param name="Skipped">True when the gradient was not finite and the update was skipped.</param>
public readonly record struct UpdateResult(double Loss, double GradientNorm, long TargetTokens, long SourceTokens, bool Skipped);

/// <summary>
/// One optimiser update over a group of mini-batches (gradient accumulation): teacher-forced, label-smoothed
/// cross-entropy with padding ignored, each mini-batch's mean loss weighted by its share of the group's target
/// tokens so the accumulated gradient equals that of one big batch; then global-norm clipping, the optimiser
/// step and the moving average. A non-finite gradient norm skips the update (and is reported) rather than
/// destroying the weights.
/// </summary>
public sealed class UpdateStep(EncoderDecoderModel model, IOptimizer optimizer, IReadOnlyList<Tensor> parameters,
    ExponentialMovingAverage? average, TrainingLoopConfig loop, SpecialIds ids, RandomGenerator rng)
{
    /// <summary>Runs forward and backward over <paramref name="group"/> and updates the weights.</summary>
    /// <param name="group">The mini-batches of this update.</param>
    /// <param name="step">The number of this update (from 1); sets the scheduled-sampling probability.</param>
    public UpdateResult Run(IReadOnlyList<Batch> group, long step)
    {
        long targetTokens = 0, sourceTokens = 0;
        foreach (var batch in group) { targetTokens += batch.TargetTokens; sourceTokens += batch.SourceTokens; }
        double probability = ScheduledSampling.Probability(loop, step);
        double loss = 0;
        optimizer.ZeroGrad();
        foreach (var batch in group)
        {
            var input = probability > 0
                ? ScheduledSampling.Mix(model, batch.SourceIds, batch.SourcePaddingMask, batch.TargetInput, ids.Pad, probability, rng)
                : batch.TargetInput;
            using var scope = TensorScope.Begin();
            var logits = model.Forward(batch.SourceIds, batch.SourcePaddingMask, input);              // (batch, tgtLen, vocab)
            var batchLoss = logits.CrossEntropy(batch.TargetOutput, loop.LabelSmoothing, ids.Pad);    // mean over real tokens
            float weight = (float)batch.TargetTokens / targetTokens;
            (batchLoss * weight).Backward();
            loss += batchLoss.Item() * weight;
        }
        double norm = GradientClipping.ClipByGlobalNorm(parameters, loop.ClipNorm);
        if (!double.IsFinite(norm))
        {
            optimizer.ZeroGrad();
            return new UpdateResult(loss, norm, targetTokens, sourceTokens, Skipped: true);
        }
        optimizer.Step();
        average?.Update();
        return new UpdateResult(loss, norm, targetTokens, sourceTokens, Skipped: false);
    }
}
