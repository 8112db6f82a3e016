namespace EncDec.Text.Training;

/// <summary>
/// Splits normalised sentences into words, as SentencePiece's <c>SplitIntoWords</c> (each "▁" starts a word), and
/// counts them as <c>TrainerInterface::SplitSentencesByWhitespace</c> does: the trainers learn from distinct words
/// weighted by their counts, never from whole sentences.
/// </summary>
internal static class WordCounter
{
    /// <summary>The (start, length) of each word of <paramref name="sentence"/>.</summary>
    public static IEnumerable<(int Start, int Length)> Split(int[] sentence)
    {
        int start = 0;
        for (int i = 1; i < sentence.Length; i++)
        {
            if (sentence[i] != PieceValidator.SpaceSymbol) continue;
            yield return (start, i - start);
            start = i;
        }
        if (sentence.Length > 0) yield return (start, sentence.Length - start);
    }

    /// <summary>
    /// The distinct words of <paramref name="sentences"/> with their counts, most frequent first, ties in code-point
    /// order (SentencePiece's <c>Sorted</c>), which fixes the order BPE scans them in.
    /// </summary>
    public static List<(int[] Word, long Count)> Count(IEnumerable<int[]> sentences)
    {
        var counts = new Dictionary<int[], long>(CodePoints.Comparer);
        foreach (var sentence in sentences)
        {
            foreach (var (start, length) in Split(sentence))
            {
                var word = sentence.AsSpan(start, length).ToArray();
                counts[word] = counts.GetValueOrDefault(word) + 1;
            }
        }
        var words = counts.Select(p => (p.Key, p.Value)).ToList();
        words.Sort((a, b) => a.Value != b.Value ? b.Value.CompareTo(a.Value) : CodePoints.Comparer.Compare(a.Key, b.Key));
        return words;
    }
}
