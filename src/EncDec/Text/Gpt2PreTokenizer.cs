using System.Text;

namespace EncDec.Text;

/// <summary>
/// GPT-2's pre-tokenisation, the regular expression
/// <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>
/// (openai/gpt-2 <c>encoder.py</c>; Hugging Face tokenizers <c>pre_tokenizers/byte_level.rs</c>, run by Oniguruma on
/// code points), written out as a scanner over code points.
/// </summary>
/// <remarks>
/// Written by hand rather than with <see cref="System.Text.RegularExpressions.Regex"/> because .NET's <c>\p{L}</c>
/// sees UTF-16 units: a letter outside the Basic Multilingual Plane (𝐀, 𐌰) is two surrogates to it, not a letter,
/// while Oniguruma sees one letter. On text without such characters both agree (a test checks this). The
/// alternatives are tried in order at each position, as the regex does; <c>\s+(?!\S)</c> backs off one character
/// so that the last space of a run goes with the word after it (" " + "word").
/// </remarks>
public static class Gpt2PreTokenizer
{
    private enum CharClass { Letter, Number, Space, Other }

    /// <summary>The pieces of <paramref name="text"/>, in order; together they are the whole text.</summary>
    public static List<string> Split(string text)
    {
        var pieces = new List<string>();
        for (int start = 0; start < text.Length;)
        {
            int length = MatchAt(text, start);
            pieces.Add(text.Substring(start, length));
            start += length;
        }
        return pieces;
    }

    /// <summary>The length, in UTF-16 units, of the piece that starts at <paramref name="start"/>.</summary>
    internal static int MatchAt(ReadOnlySpan<char> text, int start)
    {
        int contraction = ContractionLength(text, start);
        if (contraction > 0) return contraction;

        var first = Classify(text, start, out int firstWidth);
        if (text[start] == ' ' && start + 1 < text.Length)
        {
            // " ?\p{L}+", " ?\p{N}+" and " ?[^\s\p{L}\p{N}]+" take one leading ASCII space.
            var second = Classify(text, start + 1, out _);
            if (second != CharClass.Space) return 1 + RunLength(text, start + 1, second);
        }
        if (first != CharClass.Space) return RunLength(text, start, first);

        // "\s+(?!\S)": the whole run at the end of the text, else the run less its last character, which stays to
        // prefix the next word; "\s+" when that leaves nothing (a single space before a word).
        int end = start, lastStart = start;
        while (end < text.Length && Classify(text, end, out int width) == CharClass.Space)
        {
            lastStart = end;
            end += width;
        }
        return end == text.Length || lastStart == start ? end - start : lastStart - start;
    }

    // "'s|'t|'re|'ve|'m|'ll|'d": case-sensitive, ASCII apostrophe only.
    private static int ContractionLength(ReadOnlySpan<char> text, int start)
    {
        if (text[start] != '\'' || start + 1 >= text.Length) return 0;
        char next = text[start + 1];
        if (next is 's' or 't' or 'm' or 'd') return 2;
        if (start + 2 >= text.Length) return 0;
        char third = text[start + 2];
        return (next, third) is ('r', 'e') or ('v', 'e') or ('l', 'l') ? 3 : 0;
    }

    private static int RunLength(ReadOnlySpan<char> text, int start, CharClass charClass)
    {
        int end = start;
        while (end < text.Length && Classify(text, end, out int width) == charClass) end += width;
        return end - start;
    }

    // A lone surrogate reads as U+FFFD (a symbol, so "other"), as its UTF-8 encoding will be.
    private static CharClass Classify(ReadOnlySpan<char> text, int index, out int width)
    {
        Rune.DecodeFromUtf16(text[index..], out Rune rune, out width);
        if (Rune.IsLetter(rune)) return CharClass.Letter;
        if (Rune.IsNumber(rune)) return CharClass.Number;
        return Rune.IsWhiteSpace(rune) ? CharClass.Space : CharClass.Other;
    }
}
