using System.Diagnostics;
using EncDec.Autograd;
using EncDec.Data;
using EncDec.Evaluation;
using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Training.Configuration;

namespace EncDec.Training;

/// <summary>One validation on the development set.</summary>
/// <param name="Loss">Cross-entropy per target token, without label smoothing.</param>
/// <param name="Bleu">Corpus BLEU of the dev translations (SacreBLEU defaults), or NaN when not decoded.</param>
/// <param name="Chrf">Corpus chrF, or NaN.</param>
/// <param name="ExactMatch">Percentage of dev sentences translated exactly as the reference, or NaN.</param>
/// <param name="Sentences">Dev sentences translated.</param>
/// <param name="Seconds">Wall time of the validation.</param>
/// <param name="Examples">A few (source, reference, hypothesis) triples to show.</param>
public sealed record DevResult(double Loss, double Bleu, double Chrf, double ExactMatch, int Sentences, double Seconds,
    IReadOnlyList<(string Source, string Reference, string Hypothesis)> Examples)
{
    /// <summary>Perplexity, e^loss.</summary>
    public double Perplexity => Math.Exp(Loss);

    /// <summary>The value of <paramref name="metric"/>.</summary>
    public double Score(ValidationMetric metric) => metric switch
    {
        ValidationMetric.Bleu => Bleu,
        ValidationMetric.Chrf => Chrf,
        ValidationMetric.Loss => Loss,
        ValidationMetric.ExactMatch => ExactMatch,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown metric"),
    };
}

/// <summary>
/// Measures a model on the development set: the teacher-forced loss over every dev pair, and, by translating
/// up to <see cref="ValidationConfig.MaxSentences"/> dev sources with the configured search, BLEU, chrF and exact
/// match against the references. The model is put in evaluation mode for the duration and restored after.
/// </summary>
public sealed class DevEvaluator(TokenBatcher devBatches, IReadOnlyList<(string Source, string Target)> devPairs, SpecialIds ids)
{
    /// <summary>Evaluates <paramref name="model"/>; <paramref name="translate"/> turns source lines into hypotheses in order.</summary>
    public DevResult Evaluate(EncoderDecoderModel model, Func<IReadOnlyList<string>, IReadOnlyList<string>> translate, int maxSentences)
    {
        var clock = Stopwatch.StartNew();
        bool wasTraining = model.IsTraining;
        model.Eval();
        try
        {
            double loss = Loss(model);
            var pairs = maxSentences > 0 ? devPairs.Take(maxSentences).ToList() : devPairs;
            if (pairs.Count == 0) return new DevResult(loss, double.NaN, double.NaN, double.NaN, 0, clock.Elapsed.TotalSeconds, []);
            var hypotheses = translate([.. pairs.Select(p => p.Source)]);
            var references = pairs.Select(p => p.Target).ToList();
            double bleu = Bleu.CorpusScore(hypotheses, [references]).Score;
            double chrf = Chrf.CorpusScore(hypotheses, [references]).Score;
            double exact = 100.0 * hypotheses.Zip(references).Count(p => p.First.Trim() == p.Second.Trim()) / pairs.Count;
            var examples = Enumerable.Range(0, Math.Min(3, pairs.Count)).Select(i => (pairs[i].Source, references[i], hypotheses[i])).ToList();
            return new DevResult(loss, bleu, chrf, exact, pairs.Count, clock.Elapsed.TotalSeconds, examples);
        }
        finally
        {
            model.Train(wasTraining);
        }
    }

    private double Loss(EncoderDecoderModel model)
    {
        double total = 0;
        long tokens = 0;
        using var noGrad = GradMode.Disable();
        foreach (var batch in devBatches.Sequential())
        {
            using var scope = TensorScope.Begin();
            var logits = model.Forward(batch.SourceIds, batch.SourcePaddingMask, batch.TargetInput);   // (batch, tgtLen, vocab)
            total += logits.CrossEntropy(batch.TargetOutput, 0f, ids.Pad).Item() * batch.TargetTokens;
            tokens += batch.TargetTokens;
        }
        return tokens == 0 ? double.NaN : total / tokens;
    }
}
