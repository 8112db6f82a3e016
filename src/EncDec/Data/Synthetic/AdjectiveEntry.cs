namespace EncDec.Data.Synthetic;

/// <summary>An adjective of the English–French grammar with its French forms and position.</summary>
/// <param name="English">English form (the entry's key), e.g. <c>old</c>.</param>
/// <param name="Masculine">Masculine singular, e.g. <c>vieux</c>.</param>
/// <param name="Feminine">Feminine singular, e.g. <c>vieille</c>.</param>
/// <param name="MasculinePlural">Masculine plural, e.g. <c>vieux</c>.</param>
/// <param name="FemininePlural">Feminine plural, e.g. <c>vieilles</c>.</param>
/// <param name="BeforeNoun">True for the few French adjectives placed before the noun (grand, petit, beau, vieux, ...);
/// the others follow it (la voiture rouge).</param>
/// <param name="Describes">Noun classes the adjective is used with.</param>
/// <param name="MasculineBeforeVowel">The masculine singular form used directly before a vowel (bel, vieil, nouvel), or null.</param>
/// <param name="IsColour">Colour adjectives may follow a pre-nominal one on the same noun (a big red car).</param>
public sealed record AdjectiveEntry(string English, string Masculine, string Feminine, string MasculinePlural, string FemininePlural,
    bool BeforeNoun, NounClass Describes, string? MasculineBeforeVowel = null, bool IsColour = false)
{
    /// <summary>The agreeing French form; <paramref name="beforeVowel"/> says the next word starts with a vowel sound.</summary>
    public string FrenchForm(GrammaticalGender gender, bool plural, bool beforeVowel = false) => (gender, plural) switch
    {
        (GrammaticalGender.Masculine, false) => beforeVowel && MasculineBeforeVowel is not null ? MasculineBeforeVowel : Masculine,
        (GrammaticalGender.Feminine, false) => Feminine,
        (GrammaticalGender.Masculine, true) => MasculinePlural,
        _ => FemininePlural,
    };

    /// <summary>Every French form (for lexicon checks).</summary>
    public IEnumerable<string> FrenchForms() =>
        MasculineBeforeVowel is null ? [Masculine, Feminine, MasculinePlural, FemininePlural]
            : [Masculine, Feminine, MasculinePlural, FemininePlural, MasculineBeforeVowel];
}
