using EncDec.Text;

namespace EncDec.Generation;

/// <summary>
/// Replaces unknown output tokens by the source token they attend to most (Luong et al. 2015; Marian and OpenNMT's
/// <c>replace_unk</c>), at the text level: the output ids are cut at each unknown id, the pieces between are
/// detokenized, and the source token's surface form goes in between, joined with single spaces (no space for a
/// character-level target vocabulary). A unknown inside a word therefore gains spaces around it: a known limit.
/// </summary>
internal static class UnknownReplacement
{
    /// <summary>The surface text of each source token, aligned with the ids <paramref name="tokenizer"/> gives
    /// <paramref name="line"/>: raw words or characters for a <see cref="Vocabulary"/> (so an unknown word keeps its
    /// spelling), SentencePiece pieces without the word-boundary mark, else each id decoded alone.</summary>
    public static string[] SourceSurfaces(ITokenizer tokenizer, string line, int[] ids)
    {
        string[] surfaces = tokenizer switch
        {
            Vocabulary { Kind: VocabularyKind.Word } => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries),
            Vocabulary { Kind: VocabularyKind.Character } => line.EnumerateRunes().Select(r => r.ToString()).ToArray(),
            SentencePieceProcessor spm => spm.EncodeToPieces(line).Select(p => p.TrimStart('\u2581')).ToArray(),
            _ => ids.Select(id => tokenizer.Decode([id])).ToArray(),
        };
        // A truncated line has more surfaces than ids; the first ones are the kept tokens.
        return surfaces.Length >= ids.Length ? surfaces[..ids.Length] : ids.Select(id => tokenizer.Decode([id])).ToArray();
    }

    /// <summary>The text of <paramref name="hypothesis"/> with each unknown id replaced by the most attended source surface.</summary>
    /// <param name="target">The target tokenizer.</param>
    /// <param name="hypothesis">Needs <see cref="Hypothesis.Attention"/>; without it the plain decoding is returned.</param>
    /// <param name="unknownId">The target unknown id.</param>
    /// <param name="surfaces">Surface text per source position; positions beyond (an appended end id) are never chosen.</param>
    public static string Apply(ITokenizer target, Hypothesis hypothesis, int unknownId, string[] surfaces)
    {
        var tokens = hypothesis.Tokens;
        if (unknownId < 0 || hypothesis.Attention is null || surfaces.Length == 0 || Array.IndexOf(tokens, unknownId) < 0)
            return target.Decode(tokens);
        var parts = new List<string>();
        int start = 0;
        for (int t = 0; t <= tokens.Length; t++)
        {
            if (t < tokens.Length && tokens[t] != unknownId) continue;
            if (t > start) parts.Add(target.Decode(tokens.AsSpan(start, t - start)));
            if (t < tokens.Length) parts.Add(surfaces[MostAttended(hypothesis.Attention[t], surfaces.Length)]);
            start = t + 1;
        }
        string separator = target is Vocabulary { Kind: VocabularyKind.Character } ? "" : " ";
        return string.Join(separator, parts.Where(p => p.Length > 0));
    }

    private static int MostAttended(float[] attention, int positions)
    {
        int best = 0;
        for (int j = 1; j < Math.Min(positions, attention.Length); j++) if (attention[j] > attention[best]) best = j;
        return best;
    }
}
