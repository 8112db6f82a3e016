using System.Buffers;
using System.Globalization;
using System.Text;

namespace EncDec.Text;

/// <summary>
/// Finds added tokens in text and cuts it around them, as Hugging Face tokenizers' <c>AddedVocabulary</c>
/// (<c>added_vocabulary.rs</c>: <c>extract_and_normalize</c>, <c>find_matches</c>): first the tokens with
/// <c>normalized: false</c> over the whole text, then the others over what is left; in each pass the leftmost match
/// wins, the longest among those starting there (Aho-Corasick, leftmost-longest), and the search goes on after it.
/// </summary>
internal sealed class AddedVocabulary
{
    private readonly Matcher rawTokens;
    private readonly Matcher normalizedTokens;

    public AddedVocabulary(IEnumerable<AddedToken> tokens)
    {
        var usable = tokens.Where(t => t.Content.Length > 0).ToList();
        rawTokens = new Matcher(usable.Where(t => !t.Normalized));
        normalizedTokens = new Matcher(usable.Where(t => t.Normalized));
    }

    /// <summary>A stretch of the text: an added token (with any whitespace it strips), or plain text when
    /// <see cref="Token"/> is null.</summary>
    public readonly record struct Segment(int Start, int Length, AddedToken? Token);

    /// <summary>The segments of <paramref name="text"/>, in order; empty plain segments are left out.</summary>
    public List<Segment> Split(string text)
    {
        var segments = new List<Segment> { new(0, text.Length, null) };
        foreach (var matcher in new[] { rawTokens, normalizedTokens })
        {
            if (matcher.IsEmpty) continue;
            var next = new List<Segment>(segments.Count);
            foreach (var segment in segments)
            {
                if (segment.Token is null) FindMatches(text, segment.Start, segment.Start + segment.Length, matcher, next);
                else next.Add(segment);
            }
            segments = next;
        }
        segments.RemoveAll(s => s.Token is null && s.Length == 0);
        return segments;
    }

    // find_matches on text[from..to): that slice is the "sentence", so stripping and word checks stop at its ends.
    private static void FindMatches(string text, int from, int to, Matcher matcher, List<Segment> output)
    {
        int startOffset = from;
        for (int position = from; position < to;)
        {
            var token = matcher.LongestAt(text, position, to);
            if (token is null)
            {
                position++;
                continue;
            }
            int start = position, stop = position + token.Content.Length;
            position = stop;
            if (token.SingleWord && !StandsAlone(text, from, to, start, stop)) continue;
            if (token.LeftStrip)
            {
                // Whitespace an earlier match already took stays with it.
                while (start > startOffset && char.IsWhiteSpace(text[start - 1])) start--;
            }
            if (token.RightStrip)
            {
                while (stop < to && char.IsWhiteSpace(text[stop])) stop++;
                position = stop;
            }
            if (startOffset < start) output.Add(new Segment(startOffset, start - startOffset, null));
            output.Add(new Segment(start, stop - start, token));
            startOffset = stop;
        }
        if (startOffset < to) output.Add(new Segment(startOffset, to - startOffset, null));
    }

    private static bool StandsAlone(string text, int from, int to, int start, int stop)
    {
        bool wordBefore = start > from && Rune.DecodeLastFromUtf16(text.AsSpan(from, start - from), out Rune before, out _) == OperationStatus.Done
            && IsWordCharacter(before);
        bool wordAfter = stop < to && Rune.DecodeFromUtf16(text.AsSpan(stop, to - stop), out Rune after, out _) == OperationStatus.Done
            && IsWordCharacter(after);
        return !wordBefore && !wordAfter;
    }

    // The Rust regex crate's Unicode \w: alphabetic, marks, decimal digits, connector punctuation, joiners.
    // Letters and letter numbers stand for "alphabetic" (which also has a few symbols, such as circled letters).
    private static bool IsWordCharacter(Rune rune) =>
        Rune.IsLetter(rune) || rune.Value is 0x200C or 0x200D || Rune.GetUnicodeCategory(rune) is
            UnicodeCategory.LetterNumber or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark or UnicodeCategory.ConnectorPunctuation;

    /// <summary>Leftmost-longest matching of a set of strings: candidates grouped by first character, longest first.</summary>
    private sealed class Matcher
    {
        private readonly Dictionary<char, AddedToken[]> byFirstChar;

        public Matcher(IEnumerable<AddedToken> tokens) =>
            byFirstChar = tokens
                .GroupBy(t => t.Content[0])
                .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());

        public bool IsEmpty => byFirstChar.Count == 0;

        public AddedToken? LongestAt(string text, int position, int end)
        {
            if (!byFirstChar.TryGetValue(text[position], out var candidates)) return null;
            var rest = text.AsSpan(position, end - position);
            foreach (var token in candidates)
                if (rest.StartsWith(token.Content, StringComparison.Ordinal)) return token;
            return null;
        }
    }
}
