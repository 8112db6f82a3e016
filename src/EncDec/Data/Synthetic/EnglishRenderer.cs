namespace EncDec.Data.Synthetic;

/// <summary>Writes a validated <see cref="Clause"/> as English tokens: lowercase, the full stop a token of its own.</summary>
internal static class EnglishRenderer
{
    public static List<string> Render(Clause clause)
    {
        var verb = EnglishFrenchLexicon.Verb(clause.Verb);
        var tokens = new List<string>();
        tokens.AddRange(Subject(clause.Subject));
        tokens.AddRange(VerbPhrase(verb, clause));
        if (clause.Object is { } direct) tokens.AddRange(Phrase(direct, negatedObject: clause.Negated));
        if (clause.Adjective is { } adjective) tokens.Add(adjective);
        if (clause.Complement is { } complement)
        {
            tokens.AddRange(complement.Preposition.Split(' '));
            tokens.AddRange(Phrase(complement.Phrase, negatedObject: false));
        }
        if (clause.Adverb is { } adverb) tokens.AddRange(adverb.Split(' '));
        tokens.Add(".");
        return tokens;
    }

    private static IEnumerable<string> Subject(Subject subject) => subject.Pronoun switch
    {
        Pronoun.I => ["i"],
        Pronoun.You => ["you"],
        Pronoun.He => ["he"],
        Pronoun.She => ["she"],
        Pronoun.We => ["we"],
        Pronoun.They => ["they"],
        _ => Phrase(subject.Phrase!, negatedObject: false),
    };

    private static List<string> VerbPhrase(VerbEntry verb, Clause clause)
    {
        bool first = clause.Subject.Pronoun == Pronoun.I;
        bool third = clause.Subject.Pronoun is Pronoun.He or Pronoun.She || clause.Subject.Phrase is { IsPlural: false };
        bool singular = first || third;
        var words = new List<string>();
        if (verb == EnglishFrenchLexicon.Be)
        {
            words.Add(clause.Tense switch
            {
                Tense.Present => first ? "am" : third ? "is" : "are",
                Tense.Past => singular ? "was" : "were",
                _ => "will",
            });
            if (clause.Negated) words.Add("not");
            if (clause.Tense == Tense.Future) words.Add("be");
            return words;
        }
        string? auxiliary = clause.Tense switch
        {
            Tense.PastProgressive => singular ? "was" : "were",
            Tense.Future => "will",
            Tense.Present when clause.Negated => third ? "does" : "do",
            Tense.Past when clause.Negated => "did",
            _ => null,
        };
        if (auxiliary is not null) words.Add(auxiliary);
        if (clause.Negated) words.Add("not");
        string main = clause.Tense switch
        {
            Tense.PastProgressive => verb.Progressive,
            Tense.Present when !clause.Negated && third => verb.ThirdPerson,
            Tense.Past when !clause.Negated => verb.Past,
            _ => verb.English,
        };
        words.AddRange(main.Split(' '));
        return words;
    }

    /// <summary>determiner, the adjectives French puts before the noun, the others, the noun: "a big red car".</summary>
    private static List<string> Phrase(NounPhrase phrase, bool negatedObject)
    {
        var noun = EnglishFrenchLexicon.Noun(phrase.Noun);
        var words = phrase.AdjectiveList.Select(EnglishFrenchLexicon.Adjective).OrderBy(a => a.BeforeNoun ? 0 : 1)
            .Select(a => a.English).ToList();
        words.Add(noun.EnglishForm(phrase.IsPlural));
        words.Insert(0, phrase.Determiner switch
        {
            DeterminerKind.Definite => "the",
            DeterminerKind.Indefinite when phrase.IsPlural => negatedObject ? "any" : "some",
            DeterminerKind.Indefinite => "aeiou".Contains(words[0][0]) ? "an" : "a",
            DeterminerKind.Demonstrative => phrase.IsPlural ? "these" : "this",
            DeterminerKind.Possessive => phrase.Possessor.ToString().ToLowerInvariant(),
            _ => NumberWords.English(phrase.Count),
        });
        return words;
    }
}
