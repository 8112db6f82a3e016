using EncDec.Autograd;
using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Tests.Interop.CTranslate2;

/// <summary>A minimal batched greedy search for the CTranslate2 tests (the search module lives elsewhere).</summary>
internal static class CTranslate2Greedy
{
    /// <summary>One decoded sentence: ids without start or end, and the summed log-probabilities of every chosen
    /// token including the end token.</summary>
    public sealed record Result(int[] Ids, double LogProbability, int ScoredTokens)
    {
        /// <summary>The log-probability divided by the number of scored tokens (end token included).</summary>
        public double Normalised => LogProbability / ScoredTokens;
    }

    /// <summary>Greedy decoding of a batch of sentences, padded on the right with the pad id.</summary>
    public static Result[] Decode(TranslationModel translator, IReadOnlyList<string> sentences, int maxSteps = 50)
    {
        using var noGrad = GradMode.Disable();
        var sources = sentences.Select(s => AppendEnd(translator, translator.SourceTokenizer.Encode(s))).ToArray();
        int batch = sources.Length, length = sources.Max(s => s.Length);
        var ids = new int[batch * length];
        var mask = new float[batch * length];
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < length; t++)
            {
                bool pad = t >= sources[b].Length;
                ids[b * length + t] = pad ? translator.Ids.Pad : sources[b][t];
                mask[b * length + t] = pad ? 1f : 0f;
            }
        var model = translator.Model;
        var state = model.StartDecoding(model.Encode(new IntTensor(ids, batch, length), Tensor.FromArray(mask, batch, length)));
        var outputs = Enumerable.Range(0, batch).Select(_ => new List<int>()).ToArray();
        var scores = new double[batch];
        var done = new bool[batch];
        var previous = Enumerable.Repeat(translator.Ids.Start, batch).ToArray();
        for (int step = 0; step < maxSteps && !done.All(d => d); step++)
        {
            var logProbabilities = model.Step(new IntTensor(previous, batch), state).LogSoftmax();   // (batch, vocab)
            for (int b = 0; b < batch; b++)
            {
                if (done[b]) { previous[b] = translator.Ids.End; continue; }
                var row = logProbabilities.AsSpan().Slice(b * model.TargetVocabularySize, model.TargetVocabularySize);
                int best = System.Numerics.Tensors.TensorPrimitives.IndexOfMax(row);
                scores[b] += row[best];
                previous[b] = best;
                if (best == translator.Ids.End) done[b] = true;
                else outputs[b].Add(best);
            }
        }
        return [.. Enumerable.Range(0, batch).Select(b => new Result([.. outputs[b]], scores[b], outputs[b].Count + (done[b] ? 1 : 0)))];
    }

    private static int[] AppendEnd(TranslationModel translator, int[] ids) =>
        translator.AppendSourceEnd ? [.. ids, translator.Ids.End] : ids;
}
