using System.Text;

namespace EncDec.Text;

/// <summary>How often each token occurs in a corpus: the input from which <see cref="VocabularyBuilder"/> picks tokens.</summary>
public sealed class TokenCounts
{
    private readonly Dictionary<string, long> counts = new(StringComparer.Ordinal);

    /// <summary>The number of distinct tokens.</summary>
    public int Count => counts.Count;

    /// <summary>How often <paramref name="token"/> was seen (0 if never).</summary>
    public long this[string token] => counts.GetValueOrDefault(token);

    /// <summary>Counts <paramref name="token"/> <paramref name="times"/> more times.</summary>
    public void Add(string token, long times = 1)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentOutOfRangeException.ThrowIfNegative(times);
        counts[token] = counts.GetValueOrDefault(token) + times;
    }

    /// <summary>Counts the tokens of <paramref name="text"/>, cut as a vocabulary of <paramref name="kind"/> cuts it.</summary>
    public void AddText(string text, VocabularyKind kind)
    {
        foreach (string token in Tokenize(text, kind)) Add(token);
    }

    /// <summary>The tokens seen at least <paramref name="minFrequency"/> times, most frequent first, ties in
    /// ordinal string order, so that the same counts always give the same order.</summary>
    public List<(string Token, long Count)> Ranked(int minFrequency = 1) =>
        [.. counts
            .Where(c => c.Value >= minFrequency)
            .OrderByDescending(c => c.Value)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => (c.Key, c.Value))];

    /// <summary>The tokens of <paramref name="text"/>: whitespace-separated words, or Unicode scalar values
    /// (a lone surrogate is one token, U+FFFD).</summary>
    public static IEnumerable<string> Tokenize(string text, VocabularyKind kind)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (kind == VocabularyKind.Word)
        {
            foreach (string word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)) yield return word;
            yield break;
        }
        foreach (Rune rune in text.EnumerateRunes()) yield return rune.ToString();
    }
}
