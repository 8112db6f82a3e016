namespace EncDec.Data.Synthetic;

/// <summary>What a verb, a predicate adjective and an être participle agree with: the subject's gender, number and person (0..5, je .. ils).</summary>
internal readonly record struct Agreement(GrammaticalGender Gender, bool Plural, int Person)
{
    /// <summary>The agreement of <paramref name="subject"/>; pronouns of unstated gender agree in the masculine (see <see cref="Pronoun"/>).</summary>
    public static Agreement Of(Subject subject)
    {
        if (subject.Phrase is { } phrase)
        {
            bool plural = phrase.IsPlural;
            return new Agreement(EnglishFrenchLexicon.Noun(phrase.Noun).Gender, plural, plural ? 5 : 2);
        }
        return subject.Pronoun switch
        {
            Pronoun.I => new Agreement(GrammaticalGender.Masculine, false, 0),
            Pronoun.You => new Agreement(GrammaticalGender.Masculine, true, 4),
            Pronoun.He => new Agreement(GrammaticalGender.Masculine, false, 2),
            Pronoun.She => new Agreement(GrammaticalGender.Feminine, false, 2),
            Pronoun.We => new Agreement(GrammaticalGender.Masculine, true, 3),
            _ => new Agreement(GrammaticalGender.Masculine, true, 5),
        };
    }
}
