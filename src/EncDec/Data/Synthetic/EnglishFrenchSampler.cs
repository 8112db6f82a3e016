using EncDec.Tensors;

namespace EncDec.Data.Synthetic;

/// <summary>
/// Draws random clauses for <see cref="EnglishFrenchGrammar"/> in which every word fits: subjects and objects of the
/// classes the verb takes, adjectives that describe their noun, adverbs that suit the tense.
/// </summary>
internal sealed class EnglishFrenchSampler(int minTokens, int maxTokens)
{
    private static readonly VerbEntry[] Verbs = [.. EnglishFrenchLexicon.Verbs.Values];
    private static readonly AdjectiveEntry[] Adjectives = [.. EnglishFrenchLexicon.Adjectives.Values];
    private static readonly AdverbEntry[] Adverbs = [.. EnglishFrenchLexicon.Adverbs.Values];
    private static readonly Possessor[] Possessors = Enum.GetValues<Possessor>();
    private static readonly Pronoun[] Pronouns = Enum.GetValues<Pronoun>();

    private readonly Dictionary<NounClass, NounEntry[]> _nounsByClass = [];
    private readonly Dictionary<string, AdjectiveEntry[]> _adjectivesByNoun = [];
    private readonly Dictionary<Tense, AdverbEntry[]> _adverbsByTense =
        Enum.GetValues<Tense>().ToDictionary(t => t, t => Adverbs.Where(a => a.Tenses.Contains(t)).ToArray());

    /// <summary>A clause whose English sentence has minTokens..maxTokens tokens (drawn again until it does).</summary>
    public Clause Next(RandomGenerator random)
    {
        while (true)
        {
            var clause = Draw(random);
            int length = EnglishRenderer.Render(clause).Count;
            if (length >= minTokens && length <= maxTokens) return clause;
        }
    }

    private Clause Draw(RandomGenerator random)
    {
        if (random.NextDouble() < 0.2) return DrawBe(random);
        var verb = Verbs[random.NextInt(Verbs.Length)];
        var tense = DrawTense(random, verb.Stative);
        bool negated = random.NextDouble() < 0.3;
        var subject = DrawSubject(random, verb.Subjects);
        var direct = verb.IsTransitive ? DrawPhrase(random, verb.Objects, inComplement: false) : null;
        PrepositionalPhrase? complement = null;
        if (verb.Complements.Count > 0 && (verb.ComplementRequired || random.NextDouble() < 0.35))
            complement = DrawComplement(random, verb.Complements);
        return new Clause(subject, verb.English, tense, negated, direct, Complement: complement, Adverb: DrawAdverb(random, tense));
    }

    private Clause DrawBe(RandomGenerator random)
    {
        var tense = DrawTense(random, stative: true);
        bool negated = random.NextDouble() < 0.3;
        string? adverb = DrawAdverb(random, tense);
        if (random.NextDouble() < 0.6)
        {
            var adjective = Adjectives[random.NextInt(Adjectives.Length)];
            var subject = DrawSubject(random, adjective.Describes);
            return new Clause(subject, "be", tense, negated, Adjective: adjective.English, Adverb: adverb);
        }
        var located = DrawSubject(random, EnglishFrenchLexicon.Be.Subjects & ~(NounClass.Place | NounClass.Destination | NounClass.Furniture | NounClass.Landmark));
        return new Clause(located, "be", tense, negated, Complement: DrawComplement(random, EnglishFrenchLexicon.Locations), Adverb: adverb);
    }

    private static Tense DrawTense(RandomGenerator random, bool stative) =>
        stative ? (Tense)(random.NextInt(3) switch { 0 => 0, 1 => 1, _ => 3 }) : (Tense)random.NextInt(4);

    private Subject DrawSubject(RandomGenerator random, NounClass classes)
    {
        if ((classes & NounClass.Person) != 0 && random.NextDouble() < 0.35) return Pronouns[random.NextInt(Pronouns.Length)];
        return DrawPhrase(random, classes, inComplement: false);
    }

    private PrepositionalPhrase DrawComplement(RandomGenerator random, IReadOnlyList<PrepositionEntry> frames)
    {
        var frame = frames[random.NextInt(frames.Count)];
        return new PrepositionalPhrase(frame.English, DrawPhrase(random, frame.Objects, inComplement: true));
    }

    private string? DrawAdverb(RandomGenerator random, Tense tense)
    {
        if (random.NextDouble() >= 0.25) return null;
        var suitable = _adverbsByTense[tense];
        return suitable[random.NextInt(suitable.Length)].English;
    }

    /// <summary>
    /// A noun phrase of one of <paramref name="classes"/>. In a complement the plural indefinite is not drawn: French
    /// drops des after de (près d'arbres), a rule this grammar leaves out rather than gets wrong.
    /// </summary>
    private NounPhrase DrawPhrase(RandomGenerator random, NounClass classes, bool inComplement)
    {
        var nouns = NounsOf(classes);
        var noun = nouns[random.NextInt(nouns.Length)];
        var determiner = DrawDeterminer(random, noun.Countable);
        bool plural = noun.Countable && determiner != DeterminerKind.Number && random.NextDouble() < 0.35
            && !(inComplement && determiner == DeterminerKind.Indefinite);
        int count = determiner == DeterminerKind.Number ? (random.NextDouble() < 0.7 ? 1 + random.NextInt(10) : 1 + random.NextInt(NumberWords.Max)) : 0;
        return new NounPhrase(noun.English, determiner, plural, DrawAdjectives(random, noun), Possessors[random.NextInt(Possessors.Length)], count);
    }

    private static DeterminerKind DrawDeterminer(RandomGenerator random, bool countable)
    {
        int draw = random.NextInt(100);
        if (!countable) return draw < 60 ? DeterminerKind.Definite : draw < 80 ? DeterminerKind.Demonstrative : DeterminerKind.Possessive;
        return draw switch
        {
            < 40 => DeterminerKind.Definite,
            < 65 => DeterminerKind.Indefinite,
            < 75 => DeterminerKind.Demonstrative,
            < 90 => DeterminerKind.Possessive,
            _ => DeterminerKind.Number,
        };
    }

    /// <summary>None, one, or (rarely) a pre-nominal adjective with a colour: "a big red car".</summary>
    private string[] DrawAdjectives(RandomGenerator random, NounEntry noun)
    {
        double draw = random.NextDouble();
        if (draw >= 0.4) return [];
        if (!_adjectivesByNoun.TryGetValue(noun.English, out var fitting))
            _adjectivesByNoun[noun.English] = fitting = [.. Adjectives.Where(a => (a.Describes & noun.Classes) != 0)];
        if (fitting.Length == 0) return [];
        var first = fitting[random.NextInt(fitting.Length)];
        if (draw >= 0.08 || !first.BeforeNoun) return [first.English];
        var colours = fitting.Where(a => a.IsColour).ToArray();
        return colours.Length == 0 ? [first.English] : [first.English, colours[random.NextInt(colours.Length)].English];
    }

    private NounEntry[] NounsOf(NounClass classes)
    {
        if (!_nounsByClass.TryGetValue(classes, out var nouns))
        {
            nouns = [.. EnglishFrenchLexicon.Nouns.Values.Where(n => (n.Classes & classes) != 0)];
            if (nouns.Length == 0) throw new InvalidOperationException($"the lexicon has no noun of class {classes}");
            _nounsByClass[classes] = nouns;
        }
        return nouns;
    }
}
