namespace EncDec.Evaluation;

/// <summary>
/// Corpus BLEU (Papineni et al., 2002) with SacreBLEU 2.x's defaults, giving its numbers: 13a tokenisation,
/// case-sensitive, n-grams up to 4, 'exp' smoothing, and the brevity penalty against the closest reference length.
/// </summary>
/// <remarks>
/// A transcription of <c>sacrebleu/metrics/bleu.py</c> (<c>BLEU.corpus_score</c> with its defaults, and
/// <c>compute_bleu</c>): statistics are summed over the corpus, never averaged over sentences.
/// </remarks>
public static class Bleu
{
    /// <summary>The largest n-gram order (SacreBLEU's <c>MAX_NGRAM_ORDER</c>).</summary>
    public const int MaxNgramOrder = 4;

    // SacreBLEU's my_log(0): a floor that drives the geometric mean to 0 instead of -infinity.
    private const double LogOfZero = -9999999999;

    /// <summary>Scores a system's segments against one or more reference streams.</summary>
    /// <param name="hypotheses">One detokenized segment per line of the test set.</param>
    /// <param name="references">
    /// One or more streams, each as long as <paramref name="hypotheses"/>. An empty string means "no reference
    /// here" in that stream; every segment needs at least one non-empty reference.
    /// </param>
    /// <returns>The score; an empty corpus scores 0 with a brevity penalty of 1.</returns>
    /// <exception cref="ArgumentException">The streams' lengths differ, or a segment has no non-empty reference.</exception>
    public static BleuScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references)
    {
        var referencesBySegment = CorpusInput.ReferencesBySegment(hypotheses, references);
        var correct = new long[MaxNgramOrder];
        var total = new long[MaxNgramOrder];
        long systemLength = 0, referenceLength = 0;
        for (int i = 0; i < hypotheses.Count; i++)
        {
            var hypothesis = Tokens(hypotheses[i]);
            var (referenceNgrams, referenceLengths) = ReferenceInfo(referencesBySegment[i]);
            systemLength += hypothesis.Length;
            referenceLength += ClosestReferenceLength(hypothesis.Length, referenceLengths);
            foreach (var (ngram, count) in Ngrams(hypothesis))
            {
                int n = ngram.Count(c => c == ' ');   // tokens hold no space, so spaces + 1 is the order
                total[n] += count;
                if (referenceNgrams.TryGetValue(ngram, out int referenceCount)) correct[n] += Math.Min(count, referenceCount);
            }
        }
        return FromStatistics(correct, total, systemLength, referenceLength);
    }

    /// <summary>
    /// BLEU from corpus statistics (SacreBLEU's <c>compute_bleu</c> with <c>smooth_method='exp'</c>): an order with
    /// no match gets precision 100 / (2^k * total) for the k-th such order; an order with no n-gram at all stops
    /// the loop and leaves its precision 0, which makes the score 0.
    /// </summary>
    internal static BleuScore FromStatistics(long[] correct, long[] total, long systemLength, long referenceLength)
    {
        double brevityPenalty = systemLength < referenceLength
            ? (systemLength > 0 ? Math.Exp(1 - (double)referenceLength / systemLength) : 0.0)
            : 1.0;
        var precisions = new double[MaxNgramOrder];
        if (correct.All(c => c == 0))   // SacreBLEU's early stop (its issue #141)
            return new BleuScore(0.0, correct, total, precisions, brevityPenalty, systemLength, referenceLength);

        double smooth = 1.0;
        for (int n = 0; n < MaxNgramOrder; n++)
        {
            if (total[n] == 0) break;
            if (correct[n] == 0)
            {
                smooth *= 2;
                precisions[n] = 100.0 / (smooth * total[n]);
            }
            else
            {
                precisions[n] = 100.0 * correct[n] / total[n];
            }
        }

        double logSum = 0;   // summed in order, like Python's sum(), so the last bits agree too
        foreach (double p in precisions) logSum += p == 0.0 ? LogOfZero : Math.Log(p);
        double score = brevityPenalty * Math.Exp(logSum / MaxNgramOrder);
        return new BleuScore(score, correct, total, precisions, brevityPenalty, systemLength, referenceLength);
    }

    /// <summary>SacreBLEU's BLEU preprocessing: <c>rstrip()</c>, then 13a, then <c>split()</c>.</summary>
    private static string[] Tokens(string segment) =>
        PythonWhitespace.Split(Tokenizer13a.Tokenize(PythonWhitespace.TrimEnd(segment))).ToArray();

    /// <summary>All n-grams of orders 1..4, each as its tokens joined by one space, with their counts.</summary>
    private static Dictionary<string, int> Ngrams(string[] tokens)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int n = 1; n <= MaxNgramOrder; n++)
        {
            for (int i = 0; i + n <= tokens.Length; i++)
            {
                string ngram = string.Join(' ', tokens, i, n);
                counts[ngram] = counts.GetValueOrDefault(ngram) + 1;
            }
        }
        return counts;
    }

    /// <summary>Each n-gram's largest count over the references (the clipping limit), and each reference's length.</summary>
    private static (Dictionary<string, int> Ngrams, int[] Lengths) ReferenceInfo(string[] references)
    {
        var maxCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        var lengths = new int[references.Length];
        for (int k = 0; k < references.Length; k++)
        {
            var tokens = Tokens(references[k]);
            lengths[k] = tokens.Length;
            foreach (var (ngram, count) in Ngrams(tokens))
                maxCounts[ngram] = Math.Max(maxCounts.GetValueOrDefault(ngram), count);
        }
        return (maxCounts, lengths);
    }

    /// <summary>The reference length nearest the hypothesis length; on a tie, the shorter one.</summary>
    private static int ClosestReferenceLength(int hypothesisLength, int[] referenceLengths)
    {
        int closestDiff = -1, closestLength = -1;
        foreach (int length in referenceLengths)
        {
            int diff = Math.Abs(hypothesisLength - length);
            if (closestDiff == -1 || diff < closestDiff)
            {
                closestDiff = diff;
                closestLength = length;
            }
            else if (diff == closestDiff && length < closestLength)
            {
                closestLength = length;
            }
        }
        return closestLength;
    }
}
