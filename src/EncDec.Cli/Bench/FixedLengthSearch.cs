using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using EncDec.Autograd;
using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Cli.Bench;

/// <summary>
/// Greedy and beam search that emit exactly <c>length</c> tokens per sentence and never stop at an end token, so a
/// benchmark does the same work whatever the (random) weights predict. Both encode once and then feed one token per
/// step through the decoder's cached state (<see cref="EncoderDecoderModel.StartDecoding"/>,
/// <see cref="EncoderDecoderModel.Step"/>), each step inside its own <see cref="TensorScope"/>.
/// <para>These are the benchmark's own loops until the Generation module (SequenceGenerator, GreedySearch, BeamSearch)
/// is merged; <see cref="GenerationBenchmark"/> will then time that module's searches through the same
/// <see cref="GenerationBenchmark.SearchFunction"/> delegate instead.</para>
/// </summary>
public static class FixedLengthSearch
{
    /// <summary>The best hypothesis per sentence of a beam search.</summary>
    /// <param name="Tokens">(batch, length) emitted ids, without the start token.</param>
    /// <param name="Scores">(batch) the sum of the tokens' log-probabilities.</param>
    public sealed record BeamResult(IntTensor Tokens, float[] Scores);

    /// <summary>Greedy decoding: the argmax of the logits at every step.</summary>
    /// <param name="model">The model, in evaluation mode.</param>
    /// <param name="source">(batch, srcLen) source ids.</param>
    /// <param name="sourcePaddingMask">(batch, srcLen): 1 at padding, 0 at real tokens.</param>
    /// <param name="length">Tokens to emit per sentence.</param>
    /// <param name="startId">The decoder's first input.</param>
    /// <returns>(batch, length) the emitted ids.</returns>
    public static IntTensor Greedy(EncoderDecoderModel model, IntTensor source, Tensor sourcePaddingMask, int length, int startId)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        int batch = source.Shape[0], vocabulary = model.TargetVocabularySize;
        var output = IntTensor.Zeros(batch, length);
        var tokens = Filled(batch, startId);                                   // (batch) the previous tokens
        using var noGrad = GradMode.Disable();
        using var scope = TensorScope.Begin();
        var state = model.StartDecoding(model.Encode(source, sourcePaddingMask));
        for (int t = 0; t < length; t++)
        {
            using var stepScope = TensorScope.Begin();
            var logits = model.Step(tokens, state).Contiguous().AsSpan();     // (batch, vocab)
            for (int b = 0; b < batch; b++)
            {
                int best = TensorPrimitives.IndexOfMax(logits.Slice(b * vocabulary, vocabulary));
                tokens.AsSpan()[b] = best;
                output.AsSpan()[b * length + t] = best;
            }
        }
        return output;
    }

    /// <summary>
    /// Beam search with the beams folded into the batch (row b·beam + k is beam k of sentence b): the decoder state
    /// is expanded to batch·beam rows once, and at each step the best <paramref name="beamSize"/> of the
    /// beam × vocab extensions of each sentence (by summed log-probability) survive, the state following them
    /// through <see cref="IDecoderState.Reorder"/>. No length penalty: every hypothesis has the same length.
    /// </summary>
    /// <param name="model">The model, in evaluation mode.</param>
    /// <param name="source">(batch, srcLen) source ids.</param>
    /// <param name="sourcePaddingMask">(batch, srcLen): 1 at padding, 0 at real tokens.</param>
    /// <param name="length">Tokens to emit per sentence.</param>
    /// <param name="beamSize">Hypotheses kept per sentence.</param>
    /// <param name="startId">The decoder's first input.</param>
    /// <returns>The best hypothesis of each sentence and its score.</returns>
    public static BeamResult Beam(EncoderDecoderModel model, IntTensor source, Tensor sourcePaddingMask, int length,
        int beamSize, int startId)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(beamSize, 1);
        int batch = source.Shape[0], rows = batch * beamSize;
        var tokens = Filled(rows, startId);                                    // (batch·beam) the previous tokens
        var scores = new float[rows];
        for (int row = 0; row < rows; row++)
            scores[row] = row % beamSize == 0 ? 0f : float.NegativeInfinity;   // one live beam at first: no duplicates
        var emitted = new int[length][];                                       // [step][row] token
        var parents = new int[length][];                                       // [step][row] row it extended
        using (GradMode.Disable())
        using (TensorScope.Begin())
        {
            var state = model.StartDecoding(model.Encode(source, sourcePaddingMask));
            state.Reorder(Expansion(batch, beamSize));
            var top = new TopK(beamSize);
            for (int t = 0; t < length; t++)
            {
                using var stepScope = TensorScope.Begin();
                var logProbabilities = model.Step(tokens, state).LogSoftmax(-1).Contiguous().AsSpan();  // (batch·beam, vocab)
                (emitted[t], parents[t]) = (new int[rows], new int[rows]);
                var nextScores = new float[rows];
                for (int b = 0; b < batch; b++)
                    top.Select(logProbabilities, scores, b, model.TargetVocabularySize, emitted[t], parents[t], nextScores);
                scores = nextScores;
                emitted[t].CopyTo(tokens.AsSpan());
                if (t + 1 < length) state.Reorder(parents[t]);
            }
        }
        return Backtrack(emitted, parents, scores, batch, beamSize);
    }

    /// <summary>Follows the parent pointers back from each sentence's best final row (its first: rows are sorted).</summary>
    private static BeamResult Backtrack(int[][] emitted, int[][] parents, float[] scores, int batch, int beamSize)
    {
        int length = emitted.Length;
        var output = IntTensor.Zeros(batch, length);
        var best = new float[batch];
        for (int b = 0; b < batch; b++)
        {
            int row = b * beamSize;
            best[b] = scores[row];
            for (int t = length - 1; t >= 0; t--)
            {
                output.AsSpan()[b * length + t] = emitted[t][row];
                row = parents[t][row];
            }
        }
        return new BeamResult(output, best);
    }

    /// <summary>Row i of the expanded batch reads sentence i / beam: [0, 0, .., 1, 1, ..].</summary>
    private static int[] Expansion(int batch, int beamSize)
    {
        var rows = new int[batch * beamSize];
        for (int i = 0; i < rows.Length; i++) rows[i] = i / beamSize;
        return rows;
    }

    private static IntTensor Filled(int count, int id)
    {
        var ids = IntTensor.Zeros(count);
        ids.AsSpan().Fill(id);
        return ids;
    }

    /// <summary>The best k extensions of one sentence's beams, kept sorted (best first) by insertion.</summary>
    private sealed class TopK(int k)
    {
        private readonly float[] _scores = new float[k];
        private readonly int[] _rows = new int[k], _tokens = new int[k];

        /// <summary>Writes rows b·k .. b·k + k − 1 of the next step: token, parent row and score, best first.</summary>
        public void Select(ReadOnlySpan<float> logProbabilities, float[] scores, int sentence, int vocabulary,
            int[] tokens, int[] parents, float[] nextScores)
        {
            int first = sentence * k;
            _scores.AsSpan().Fill(float.NegativeInfinity);
            _rows.AsSpan().Fill(first);                 // slots no finite candidate fills stay dead (−∞) on a valid row
            _tokens.AsSpan().Clear();
            for (int row = first; row < first + k; row++)
            {
                var logits = logProbabilities.Slice(row * vocabulary, vocabulary);
                float score = scores[row];
                if (!(score + TensorPrimitives.Max(logits) > _scores[k - 1])) continue;   // no extension of this beam can enter
                for (int v = 0; v < vocabulary; v++)
                {
                    float candidate = score + logits[v];
                    if (candidate > _scores[k - 1]) Insert(candidate, row, v);
                }
            }
            for (int j = 0; j < k; j++) (tokens[first + j], parents[first + j], nextScores[first + j]) = (_tokens[j], _rows[j], _scores[j]);
        }

        private void Insert(float score, int row, int token)
        {
            int j = k - 1;
            for (; j > 0 && _scores[j - 1] < score; j--)
                (_scores[j], _rows[j], _tokens[j]) = (_scores[j - 1], _rows[j - 1], _tokens[j - 1]);
            (_scores[j], _rows[j], _tokens[j]) = (score, row, token);
        }
    }
}
