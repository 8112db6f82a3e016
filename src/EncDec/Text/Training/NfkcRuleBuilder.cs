namespace EncDec.Text.Training;

/// <summary>
/// Rebuilds SentencePiece's default normalisation rule <c>nmt_nfkc</c> from Unicode data, as its
/// <c>Builder::BuildNmtNFKCMap</c> builds it with ICU (builder.cc): every character whose NFKC form differs maps to
/// that form; every sequence that NFKD-decomposes like a composable character (a letter and its accents, in any of
/// their compatibility variants) maps to the composed form; sequences the single-character rules already handle are
/// dropped; and the NMT rules delete control characters and turn the Unicode spaces into a plain space.
/// </summary>
/// <remarks>
/// The rule is applied by longest match, not by a full Unicode normaliser, so it is NFKC for text in which
/// combining marks come in canonical order, as in SentencePiece. The NFKD/NFKC data are Unicode 14.0's
/// (<see cref="UnicodeDecompositions"/>); SentencePiece 0.1.97 compiled its rule from an older ICU, so the two
/// differ only on characters assigned since.
/// </remarks>
internal static class NfkcRuleBuilder
{
    private const int MaxCodePoint = 0x10FFFF;

    // Hangul syllables decompose algorithmically (Unicode 14.0, section 3.12).
    private const int SyllableBase = 0xAC00, LeadBase = 0x1100, VowelBase = 0x1161, TrailBase = 0x11A7;
    private const int VowelCount = 21, TrailCount = 28, SyllableCount = 11172;

    /// <summary>The <c>nmt_nfkc</c> rule, from a character sequence to its replacement (empty: deleted).</summary>
    public static Dictionary<string, string> NmtNfkc()
    {
        var map = RemoveRedundant(NfkcMap());
        // Not in NFKC, but read as spaces (tabs, line breaks, zero-width spaces, direction marks, byte order mark,
        // the "▁" that spaces become, and U+FFFD, which malformed UTF-8 decodes to) or as nothing (control codes).
        int[] spaces = [0x09, 0x0A, 0x0C, 0x0D, 0x1680, 0x200B, 0x200C, 0x200E, 0x200F, 0x2028, 0x2029, 0x2581, 0xFEFF, 0xFFFD];
        int[] deleted = [.. Enumerable.Range(0x01, 8), 0x0B, .. Enumerable.Range(0x0E, 0x12), 0x7F, 0x8F, 0x9F];
        foreach (int c in spaces) map[[c]] = [' '];
        foreach (int c in deleted) map[[c]] = [];
        // Fullwidth and halfwidth tildes are used differently in Japanese, so the fullwidth one is kept.
        map.Remove([0xFF5E]);
        return RemoveRedundant(map).ToDictionary(p => CodePoints.ToText(p.Key), p => CodePoints.ToText(p.Value), StringComparer.Ordinal);
    }

    // Builder::BuildNFKCMap: single characters to their NFKC form, and every unnormalised spelling of a decomposed
    // character (each of its NFKD characters replaced by any character that NFKD-decomposes to it) to its NFKC form.
    private static Dictionary<int[], int[]> NfkcMap()
    {
        var forms = Forms();
        var map = new Dictionary<int[], int[]>(CodePoints.Comparer);
        var variants = new Dictionary<int, List<int>>();                     // NFKD character -> characters decomposing to it alone
        var decomposed = new Dictionary<int[], int[]>(CodePoints.Comparer);  // multi-character NFKD -> its NFKC
        for (int cp = 1; cp <= MaxCodePoint; cp++)
        {
            if (!IsUnicodeCharacter(cp)) continue;
            var (nfkd, nfkc) = forms.TryGetValue(cp, out var form) ? form : ([cp], [cp]);
            if (nfkc.Length != 1 || nfkc[0] != cp) map[[cp]] = nfkc;
            if (nfkd.Length == 1)
            {
                if (!variants.TryGetValue(nfkd[0], out var list)) variants[nfkd[0]] = list = [];
                list.Add(cp);
            }
            else decomposed.TryAdd(nfkd, nfkc);
        }
        foreach (var (nfkd, nfc) in decomposed)
        {
            if (CodePoints.Comparer.Equals(nfkd, nfc)) continue;
            foreach (var spelling in Spellings(nfkd, variants))
                if (!CodePoints.Comparer.Equals(spelling, nfc)) map[spelling] = nfc;
        }
        return map;
    }

    // ExpandUnnormalized: all sequences whose characters decompose, one by one, to those of `nfkd`.
    private static List<int[]> Spellings(int[] nfkd, Dictionary<int, List<int>> variants)
    {
        var results = new List<int[]> { Array.Empty<int>() };
        foreach (int c in nfkd)
            results = [.. results.SelectMany(prefix => variants[c].Select(v => (int[])[.. prefix, v]))];
        return results;
    }

    // Builder::RemoveRedundantMap: a rule of n characters is kept only if the shorter rules do not already give its
    // replacement.
    private static Dictionary<int[], int[]> RemoveRedundant(Dictionary<int[], int[]> map)
    {
        var kept = new Dictionary<int[], int[]>(CodePoints.Comparer);
        int maxLength = 0;
        foreach (var (key, value) in map)
        {
            maxLength = Math.Max(maxLength, key.Length);
            if (key.Length == 1) kept[key] = value;
        }
        for (int length = 2; length <= maxLength; length++)
        {
            foreach (var (key, value) in map)
                if (key.Length == length && !CodePoints.Comparer.Equals(value, Apply(kept, key, length - 1))) kept[key] = value;
        }
        return kept;
    }

    // Builder's Normalize: longest rule (of at most maxLength characters) at each position, else the character.
    private static int[] Apply(Dictionary<int[], int[]> rules, int[] text, int maxLength)
    {
        var lookup = rules.GetAlternateLookup<ReadOnlySpan<int>>();
        var result = new List<int>();
        for (int i = 0; i < text.Length;)
        {
            int length = Math.Min(maxLength, text.Length - i);
            int[]? replacement = null;
            while (length > 0 && !lookup.TryGetValue(text.AsSpan(i, length), out replacement)) length--;
            if (replacement is null)
            {
                result.Add(text[i++]);
                continue;
            }
            result.AddRange(replacement);
            i += length;
        }
        return [.. result];
    }

    // (NFKD, NFKC) of every character NFKD changes: the table, and the Hangul syllables.
    private static Dictionary<int, (int[] Nfkd, int[] Nfkc)> Forms()
    {
        var forms = new Dictionary<int, (int[], int[])>();
        foreach (string entry in UnicodeDecompositions.Table.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] fields = entry.Split(':');
            int cp = Convert.ToInt32(fields[0], 16);
            int[] nfkd = Parse(fields[1]);
            forms[cp] = (nfkd, fields.Length > 2 ? Parse(fields[2]) : nfkd);
        }
        for (int s = 0; s < SyllableCount; s++)
        {
            int lead = LeadBase + s / (VowelCount * TrailCount);
            int vowel = VowelBase + s % (VowelCount * TrailCount) / TrailCount;
            int trail = TrailBase + s % TrailCount;
            forms[SyllableBase + s] = (trail == TrailBase ? [lead, vowel] : [lead, vowel, trail], [SyllableBase + s]);
        }
        return forms;
    }

    private static int[] Parse(string codePoints) => [.. codePoints.Split(' ').Select(h => Convert.ToInt32(h, 16))];

    // U_IS_UNICODE_CHAR: not a surrogate, not a noncharacter.
    private static bool IsUnicodeCharacter(int cp) =>
        cp is < 0xD800 or (> 0xDFFF and <= MaxCodePoint) && !(cp is >= 0xFDD0 and <= 0xFDEF) && (cp & 0xFFFE) != 0xFFFE;
}
