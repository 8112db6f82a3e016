namespace EncDec.Data.Synthetic;

/// <summary>
/// The two spelling rules that join French words, applied to a token sequence after the grammar has chosen the words:
/// elision (le, la, je, ne, de before a vowel sound lose their vowel and attach with an apostrophe: l'arbre, j'ai,
/// n'aime, d'une) and then contraction of à and de with the articles le and les (au, aux, du, des). Elision comes first
/// because an elided article does not contract: à + le + école is à l'école, not au école.
/// </summary>
/// <remarks>
/// A word starts with a vowel sound when its first letter is a vowel or a mute h; every h-initial word in the grammar's
/// lexicon (homme, hôtel, hôpital, histoire, heureux) has a mute h. The numbers onze and huit block elision (le onze,
/// de huit), as French writes them.
/// </remarks>
public static class FrenchOrthography
{
    private static readonly HashSet<string> Elidable = new(StringComparer.Ordinal) { "le", "la", "je", "ne", "de", "me", "te", "se" };
    private static readonly HashSet<string> NoElisionBefore = new(StringComparer.Ordinal) { "onze", "huit", "huitième", "onzième" };
    private const string VowelSoundLetters = "aeiouàâäéèêëîïôöùûüœæh";

    /// <summary>True when a preceding le, la, je, ne or de elides before <paramref name="word"/> (and ce becomes cet, ma becomes mon).</summary>
    public static bool StartsWithVowelSound(string word) =>
        word.Length > 0 && VowelSoundLetters.Contains(word[0]) && !NoElisionBefore.Contains(word.Split('-')[0]);

    /// <summary>Applies elision, then contraction, to <paramref name="tokens"/>; returns the joined words.</summary>
    public static List<string> Apply(IReadOnlyList<string> tokens) => Contract(Elide(tokens));

    private static List<string> Elide(IReadOnlyList<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        for (int i = 0; i < tokens.Count; i++)
        {
            if (i + 1 < tokens.Count && Elidable.Contains(tokens[i]) && StartsWithVowelSound(tokens[i + 1]))
            {
                result.Add(tokens[i][..^1] + "'" + tokens[i + 1]);
                i++;
            }
            else
            {
                result.Add(tokens[i]);
            }
        }
        return result;
    }

    private static List<string> Contract(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        for (int i = 0; i < tokens.Count; i++)
        {
            string? contracted = i + 1 < tokens.Count ? Contraction(tokens[i], tokens[i + 1]) : null;
            if (contracted is null)
            {
                result.Add(tokens[i]);
                continue;
            }
            result.Add(contracted);
            i++;
        }
        return result;
    }

    private static string? Contraction(string preposition, string article) => (preposition, article) switch
    {
        ("à", "le") => "au",
        ("à", "les") => "aux",
        ("de", "le") => "du",
        ("de", "les") => "des",
        _ => null,
    };
}
