namespace EncDec.Data.Synthetic;

/// <summary>A noun of the English–French grammar with its four forms, French gender and semantic classes.</summary>
/// <param name="English">Singular English form (the entry's key), e.g. <c>horse</c>.</param>
/// <param name="EnglishPlural">Plural English form, e.g. <c>horses</c>.</param>
/// <param name="French">Singular French form, e.g. <c>cheval</c>.</param>
/// <param name="FrenchPlural">Plural French form, e.g. <c>chevaux</c>.</param>
/// <param name="Gender">French gender.</param>
/// <param name="Classes">What the noun is, for the verbs, adjectives and prepositions it combines with.</param>
/// <param name="Countable">False for mass nouns (water, music): always singular, never with a/an or a number.</param>
public sealed record NounEntry(string English, string EnglishPlural, string French, string FrenchPlural,
    GrammaticalGender Gender, NounClass Classes, bool Countable = true)
{
    /// <summary>The French form for <paramref name="plural"/>.</summary>
    public string FrenchForm(bool plural) => plural ? FrenchPlural : French;

    /// <summary>The English form for <paramref name="plural"/>.</summary>
    public string EnglishForm(bool plural) => plural ? EnglishPlural : English;
}
