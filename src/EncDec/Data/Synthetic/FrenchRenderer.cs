namespace EncDec.Data.Synthetic;

/// <summary>
/// Writes a validated <see cref="Clause"/> as French tokens: chooses every agreeing form, then lets
/// <see cref="FrenchOrthography"/> apply elision and contraction.
/// </summary>
internal static class FrenchRenderer
{
    public static List<string> Render(Clause clause)
    {
        var verb = EnglishFrenchLexicon.Verb(clause.Verb);
        var agreement = Agreement.Of(clause.Subject);
        var tokens = new List<string>();
        tokens.AddRange(Subject(clause.Subject));
        tokens.AddRange(VerbPhrase(verb, clause, agreement));
        if (clause.Object is { } direct)
        {
            if (verb.FrenchObjectPreposition is { } preposition) tokens.Add(preposition);
            // The de of negation replaces un, une and des only on a direct object (il n'a pas de voiture).
            tokens.AddRange(Phrase(direct, negatedDirectObject: clause.Negated && verb.FrenchObjectPreposition is null));
        }
        if (clause.Adjective is { } adjective)
            tokens.Add(EnglishFrenchLexicon.Adjective(adjective).FrenchForm(agreement.Gender, agreement.Plural));
        if (clause.Complement is { } complement)
        {
            tokens.AddRange(FrenchPreposition(verb, complement.Preposition).French.Split(' '));
            tokens.AddRange(Phrase(complement.Phrase, negatedDirectObject: false));
        }
        if (clause.Adverb is { } adverb) tokens.AddRange(EnglishFrenchLexicon.Adverb(adverb).French.Split(' '));
        tokens.Add(".");
        return FrenchOrthography.Apply(tokens);
    }

    /// <summary>The verb's frame for an English preposition.</summary>
    public static PrepositionEntry FrenchPreposition(VerbEntry verb, string english) =>
        verb.Complements.FirstOrDefault(p => p.English == english)
        ?? throw new ArgumentException(
            $"verb '{verb.English}' takes no complement with '{english}' (it takes: {string.Join(", ", verb.Complements.Select(p => p.English))})",
            nameof(english));

    private static IEnumerable<string> Subject(Subject subject) => subject.Pronoun switch
    {
        Pronoun.I => ["je"],
        Pronoun.You => ["vous"],
        Pronoun.He => ["il"],
        Pronoun.She => ["elle"],
        Pronoun.We => ["nous"],
        Pronoun.They => ["ils"],
        _ => Phrase(subject.Phrase!, negatedDirectObject: false),
    };

    /// <summary>ne + finite verb + pas (+ participle): ne mange pas, n'a pas mangé, n'est pas allée.</summary>
    private static List<string> VerbPhrase(VerbEntry verb, Clause clause, Agreement agreement)
    {
        var conjugation = verb.French;
        int person = agreement.Person;
        string? participle = null;
        string finite;
        switch (clause.Tense)
        {
            case Tense.Present:
                finite = conjugation.Present(person);
                break;
            case Tense.Past when !verb.Stative:
                bool etre = EnglishFrenchLexicon.TakesEtre(verb);
                finite = (etre ? EnglishFrenchLexicon.Be.French : EnglishFrenchLexicon.Verb("have").French).Present(person);
                participle = etre ? conjugation.AgreeingParticiple(agreement.Gender, agreement.Plural) : conjugation.PastParticiple;
                break;
            case Tense.Past or Tense.PastProgressive:
                finite = conjugation.Imperfect(person);
                break;
            default:
                finite = conjugation.Future(person);
                break;
        }
        var words = new List<string>(4);
        if (clause.Negated) words.Add("ne");
        words.Add(finite);
        if (clause.Negated) words.Add("pas");
        if (participle is not null) words.Add(participle);
        return words;
    }

    /// <summary>determiner, pre-nominal adjective, noun, post-nominal adjective, all agreeing: "la grande voiture rouge".</summary>
    private static List<string> Phrase(NounPhrase phrase, bool negatedDirectObject)
    {
        var noun = EnglishFrenchLexicon.Noun(phrase.Noun);
        bool plural = phrase.IsPlural;
        string nounForm = noun.FrenchForm(plural);
        var adjectives = phrase.AdjectiveList.Select(EnglishFrenchLexicon.Adjective).ToList();
        var before = adjectives.FirstOrDefault(a => a.BeforeNoun);
        var after = adjectives.FirstOrDefault(a => !a.BeforeNoun);
        var words = new List<string>(5);
        // A pre-nominal adjective is always directly before its noun, so bel/vieil/nouvel depend on the noun alone.
        if (before is not null) words.Add(before.FrenchForm(noun.Gender, plural, FrenchOrthography.StartsWithVowelSound(nounForm)));
        words.Add(nounForm);
        if (after is not null) words.Add(after.FrenchForm(noun.Gender, plural));
        words.InsertRange(0, Determiner(phrase, noun.Gender, words[0], before is not null, negatedDirectObject).Split(' '));
        return words;
    }

    private static string Determiner(NounPhrase phrase, GrammaticalGender gender, string next, bool adjectiveFirst, bool negatedDirectObject)
    {
        bool plural = phrase.IsPlural, feminine = gender == GrammaticalGender.Feminine;
        bool vowel = FrenchOrthography.StartsWithVowelSound(next);
        return phrase.Determiner switch
        {
            DeterminerKind.Definite => plural ? "les" : feminine ? "la" : "le",
            DeterminerKind.Indefinite when negatedDirectObject => "de",
            DeterminerKind.Indefinite when plural => adjectiveFirst ? "de" : "des",     // de grandes maisons
            DeterminerKind.Indefinite => feminine ? "une" : "un",
            DeterminerKind.Demonstrative => plural ? "ces" : feminine ? "cette" : vowel ? "cet" : "ce",
            DeterminerKind.Possessive => Possessive(phrase.Possessor, plural, feminine && !vowel),   // mon école, ma petite école
            _ => NumberWords.French(phrase.Count, gender),
        };
    }

    private static string Possessive(Possessor possessor, bool plural, bool feminineForm) => (possessor, plural) switch
    {
        (Possessor.My, false) => feminineForm ? "ma" : "mon",
        (Possessor.My, true) => "mes",
        (Possessor.Your, false) => "votre",
        (Possessor.Your, true) => "vos",
        (Possessor.His or Possessor.Her, false) => feminineForm ? "sa" : "son",
        (Possessor.His or Possessor.Her, true) => "ses",
        (Possessor.Our, false) => "notre",
        (Possessor.Our, true) => "nos",
        (_, false) => "leur",
        _ => "leurs",
    };
}
