namespace EncDec.Evaluation;

/// <summary>
/// Corpus chrF (Popović, 2015) with SacreBLEU 2.x's defaults, giving its numbers: character n-grams of orders 1..6
/// over the text with all whitespace removed, no word n-grams, beta = 2, case-sensitive, and no epsilon smoothing.
/// </summary>
/// <remarks>
/// A transcription of <c>sacrebleu/metrics/chrf.py</c> (<c>CHRF</c> with its defaults). Per segment, the reference
/// with the best segment-level F-score is kept; the statistics of the kept pairs are summed over the corpus, and
/// the corpus score averages precision and recall over the orders that have n-grams on both sides (the
/// "effective order") before combining them into F-beta. Characters are Unicode code points, as in Python, not
/// UTF-16 code units.
/// </remarks>
public static class Chrf
{
    /// <summary>The largest character n-gram order (SacreBLEU's <c>CHAR_ORDER</c>).</summary>
    public const int CharOrder = 6;

    /// <summary>The word n-gram order (SacreBLEU's <c>WORD_ORDER</c>): 0, so this is chrF, not chrF++.</summary>
    public const int WordOrder = 0;

    /// <summary>Recall weighs beta times as much as precision (SacreBLEU's <c>BETA</c>).</summary>
    public const int Beta = 2;

    // Per order: hypothesis n-grams, reference n-grams, matched n-grams.
    private const int StatsPerOrder = 3;

    /// <summary>Scores a system's segments against one or more reference streams.</summary>
    /// <param name="hypotheses">One segment per line of the test set.</param>
    /// <param name="references">
    /// One or more streams, each as long as <paramref name="hypotheses"/>. An empty string means "no reference
    /// here" in that stream; every segment needs at least one non-empty reference.
    /// </param>
    /// <returns>The score; an empty corpus scores 0.</returns>
    /// <exception cref="ArgumentException">The streams' lengths differ, or a segment has no non-empty reference.</exception>
    public static ChrfScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references)
    {
        var referencesBySegment = CorpusInput.ReferencesBySegment(hypotheses, references);
        var corpus = new long[CharOrder * StatsPerOrder];
        var segment = new long[corpus.Length];
        var best = new long[corpus.Length];
        for (int i = 0; i < hypotheses.Count; i++)
        {
            var hypothesisNgrams = CharNgrams(hypotheses[i]);
            double bestScore = -1.0;
            foreach (string reference in referencesBySegment[i])
            {
                MatchStatistics(hypothesisNgrams, CharNgrams(reference), segment);
                double score = FScore(segment);
                if (score > bestScore)   // strictly better: the first of equal references wins
                {
                    bestScore = score;
                    segment.CopyTo(best, 0);
                }
            }
            for (int j = 0; j < corpus.Length; j++) corpus[j] += best[j];
        }
        return new ChrfScore(FScore(corpus), CharOrder, WordOrder, Beta);
    }

    /// <summary>
    /// SacreBLEU's <c>_compute_f_score</c> without epsilon smoothing: the mean precision and mean recall over
    /// the orders where both sides have n-grams, combined as F-beta, times 100.
    /// </summary>
    /// <param name="statistics">(hypothesis, reference, match) counts for orders 1..6, flattened.</param>
    internal static double FScore(ReadOnlySpan<long> statistics)
    {
        double averagePrecision = 0, averageRecall = 0;
        int effectiveOrder = 0;
        for (int n = 0; n < CharOrder; n++)
        {
            long hypothesisCount = statistics[StatsPerOrder * n];
            long referenceCount = statistics[StatsPerOrder * n + 1];
            long matchCount = statistics[StatsPerOrder * n + 2];
            if (hypothesisCount > 0 && referenceCount > 0)
            {
                averagePrecision += (double)matchCount / hypothesisCount;
                averageRecall += (double)matchCount / referenceCount;
                effectiveOrder++;
            }
        }
        if (effectiveOrder == 0) return 0.0;
        averagePrecision /= effectiveOrder;
        averageRecall /= effectiveOrder;
        if (averagePrecision + averageRecall == 0) return 0.0;

        const int factor = Beta * Beta;
        double score = (1 + factor) * averagePrecision * averageRecall;
        score /= factor * averagePrecision + averageRecall;
        return 100 * score;
    }

    /// <summary>
    /// SacreBLEU's <c>_get_match_statistics</c> for every order. A hypothesis n-gram is counted only when the
    /// reference has n-grams of that order, so an order too long for the reference drops out of the average.
    /// </summary>
    private static void MatchStatistics(Dictionary<string, int>[] hypothesis, Dictionary<string, int>[] reference, long[] statistics)
    {
        for (int n = 0; n < CharOrder; n++)
        {
            long hypothesisCount = 0, matchCount = 0, referenceCount = 0;
            foreach (var (ngram, count) in hypothesis[n])
            {
                hypothesisCount += count;
                if (reference[n].TryGetValue(ngram, out int referenceNgramCount)) matchCount += Math.Min(count, referenceNgramCount);
            }
            foreach (int count in reference[n].Values) referenceCount += count;
            statistics[StatsPerOrder * n] = reference[n].Count > 0 ? hypothesisCount : 0;
            statistics[StatsPerOrder * n + 1] = referenceCount;
            statistics[StatsPerOrder * n + 2] = matchCount;
        }
    }

    /// <summary>The character n-grams of orders 1..6 of the segment with its whitespace removed, counted.</summary>
    private static Dictionary<string, int>[] CharNgrams(string segment)
    {
        string text = PythonWhitespace.Remove(segment);
        // starts[j] is where the j-th code point begins; a surrogate pair is one character, as in Python.
        int[] starts = CodePointStarts(text);
        int length = starts.Length - 1;
        var ngrams = new Dictionary<string, int>[CharOrder];
        for (int n = 1; n <= CharOrder; n++)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i + n <= length; i++)
            {
                string ngram = text[starts[i]..starts[i + n]];
                counts[ngram] = counts.GetValueOrDefault(ngram) + 1;
            }
            ngrams[n - 1] = counts;
        }
        return ngrams;
    }

    /// <summary>The UTF-16 index at which each code point starts, then the text's length.</summary>
    private static int[] CodePointStarts(string text)
    {
        var starts = new List<int>(text.Length + 1);
        for (int i = 0; i < text.Length; i++)
        {
            starts.Add(i);
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
        }
        starts.Add(text.Length);
        return starts.ToArray();
    }
}
