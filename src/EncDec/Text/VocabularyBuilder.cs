namespace EncDec.Text;

/// <summary>
/// Builds a <see cref="Vocabulary"/> from token counts, laid out as <see cref="VocabularyOptions"/> describes:
/// specials, reserved tokens, corpus tokens by frequency (ties in ordinal order), sentinels last.
/// </summary>
public static class VocabularyBuilder
{
    /// <summary>A word vocabulary of <paramref name="lines"/> (split at whitespace).</summary>
    public static Vocabulary Words(IEnumerable<string> lines, VocabularyOptions? options = null) =>
        FromText(lines, VocabularyKind.Word, options);

    /// <summary>A character vocabulary of <paramref name="lines"/> (spaces are tokens too).</summary>
    public static Vocabulary Characters(IEnumerable<string> lines, VocabularyOptions? options = null) =>
        FromText(lines, VocabularyKind.Character, options);

    /// <summary>A vocabulary of the tokens in <paramref name="counts"/>.</summary>
    /// <exception cref="ArgumentException">The options are inconsistent, or a special or reserved token repeats.</exception>
    public static Vocabulary FromCounts(TokenCounts counts, VocabularyKind kind, VocabularyOptions? options = null)
    {
        options ??= new VocabularyOptions();
        options.Validate();
        var specials = options.Specials ?? SpecialTokens.Default;
        var fixedStart = specials.InOrder().Concat(options.ReservedTokens ?? []).ToList();
        var sentinels = Enumerable.Range(0, options.SentinelCount).Reverse().Select(SpecialTokens.Sentinel).ToList();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (string token in fixedStart.Concat(sentinels))
        {
            if (!taken.Add(token)) throw new ArgumentException($"token \"{token}\" is given twice among the special, reserved and sentinel tokens");
        }

        int room = (options.MaxSize ?? int.MaxValue) - fixedStart.Count - sentinels.Count;
        var corpus = counts.Ranked(options.MinFrequency)
            .Select(c => c.Token)
            .Where(t => !taken.Contains(t))
            .Take(room);
        return new Vocabulary([.. fixedStart, .. corpus, .. sentinels], kind, specials);
    }

    private static Vocabulary FromText(IEnumerable<string> lines, VocabularyKind kind, VocabularyOptions? options)
    {
        var counts = new TokenCounts();
        foreach (string line in lines) counts.AddText(line, kind);
        return FromCounts(counts, kind, options);
    }
}
