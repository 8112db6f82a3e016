using System.Runtime.InteropServices;

namespace EncDec.Text.Training;

/// <summary>
/// The seed vocabulary of unigram training, as SentencePiece's <c>MakeSeedSentencePieces</c>: every character,
/// then the most frequent substrings (scored by frequency times length) that are valid pieces and occur with at
/// least two different continuations, each with its log share of the total score.
/// </summary>
/// <remarks>
/// SentencePiece finds the substrings as the internal nodes of a suffix tree over the whole corpus (esaxx): strings
/// followed by two or more different symbols, where a sentence end is one symbol. A valid piece never crosses a
/// word ("▁" may only start it), so counting within words gives the same strings and counts, provided each word
/// remembers what follows it: the next word's "▁", or the end of the sentence. This counts every substring of
/// every distinct word up to the maximum piece length, instead of building a suffix array.
/// </remarks>
internal static class UnigramSeeds
{
    private const int SentenceEnd = 0;

    private struct Substring
    {
        public long Frequency;
        public int FirstContinuation;
        public bool Branches;            // seen with two different continuations
    }

    /// <summary>The seed pieces with their initial scores (log probabilities).</summary>
    public static List<(int[] Piece, float Score)> Make(TrainingCorpus corpus, PieceValidator validator, int maxSeeds)
    {
        var words = CountWordsWithContinuation(corpus.Sentences);
        var characters = new Dictionary<int, long>();
        var substrings = new Dictionary<int[], Substring>(CodePoints.Comparer);
        var lookup = substrings.GetAlternateLookup<ReadOnlySpan<int>>();
        foreach (var (key, frequency) in words)
        {
            int length = key.Length - 1;                     // the last element is what follows the word
            for (int i = 0; i < length; i++)
            {
                if (key[i] != PieceValidator.UnknownSymbol) characters[key[i]] = characters.GetValueOrDefault(key[i]) + frequency;
                for (int end = i + 1; end <= Math.Min(length, i + validator.MaxLength); end++)
                {
                    var piece = key.AsSpan(i, end - i);
                    if (!validator.IsValid(piece)) break;    // an invalid string stays invalid when extended
                    if (piece.Length < 2) continue;
                    ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(lookup, piece, out bool exists);
                    int continuation = key[end];
                    if (!exists) entry.FirstContinuation = continuation;
                    else if (entry.FirstContinuation != continuation) entry.Branches = true;
                    entry.Frequency += frequency;
                }
            }
        }

        var seeds = characters
            .OrderByDescending(c => c.Value).ThenBy(c => c.Key)
            .Select(c => (Piece: new[] { c.Key }, Score: (float)c.Value))
            .ToList();
        seeds.AddRange(substrings
            .Where(s => s.Value.Branches)
            .Select(s => (Piece: s.Key, Score: s.Value.Frequency * s.Key.Length))
            .OrderByDescending(s => s.Score).ThenBy(s => s.Piece, SuffixTreeOrder.Instance)
            .Take(maxSeeds)
            .Select(s => (s.Piece, (float)s.Score)));
        return ToLogProbabilities(seeds);
    }

    // Distinct words, each followed by its continuation ("▁" or the sentence end), with their counts.
    private static Dictionary<int[], long> CountWordsWithContinuation(List<int[]> sentences)
    {
        var words = new Dictionary<int[], long>(CodePoints.Comparer);
        foreach (var sentence in sentences)
        {
            foreach (var (start, length) in WordCounter.Split(sentence))
            {
                var key = new int[length + 1];
                sentence.AsSpan(start, length).CopyTo(key);
                key[length] = start + length == sentence.Length ? SentenceEnd : PieceValidator.SpaceSymbol;
                words[key] = words.GetValueOrDefault(key) + 1;
            }
        }
        return words;
    }

    // ToLogProb: log(value) - log(sum), with SentencePiece's float sum.
    private static List<(int[] Piece, float Score)> ToLogProbabilities(List<(int[] Piece, float Score)> seeds)
    {
        float sum = 0;
        foreach (var (_, score) in seeds) sum += score;
        float logSum = (float)Math.Log(sum);
        return [.. seeds.Select(s => (s.Piece, (float)(Math.Log(s.Score) - logSum)))];
    }

    /// <summary>
    /// The order of esaxx's internal nodes, which breaks SentencePiece's ties between equal scores: a post-order
    /// walk of the suffix tree, that is code-point order, except that a string comes after the longer strings it
    /// is a prefix of.
    /// </summary>
    private sealed class SuffixTreeOrder : IComparer<int[]>
    {
        public static readonly SuffixTreeOrder Instance = new();

        public int Compare(int[]? x, int[]? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            int common = x.AsSpan().CommonPrefixLength(y);
            if (common < x.Length && common < y.Length) return x[common].CompareTo(y[common]);
            return y.Length.CompareTo(x.Length);
        }
    }
}
