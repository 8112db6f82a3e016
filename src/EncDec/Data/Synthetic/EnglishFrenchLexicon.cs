namespace EncDec.Data.Synthetic;

/// <summary>
/// The lexicon of <see cref="EnglishFrenchGrammar"/>: nouns, adjectives, verbs, prepositions and adverbs, each keyed by
/// its English base form, with the French forms and the semantic classes that keep sentences sensible.
/// </summary>
public static partial class EnglishFrenchLexicon
{
    // Static fields initialise in textual order within one file only, so everything another initialiser reads is here.
    private static readonly FrenchVerb Etre = FrenchVerb.Irregular("être", "suis es est sommes êtes sont", "ét", "ser", "été");
    private static readonly FrenchVerb Avoir = FrenchVerb.Irregular("avoir", "ai as a avons avez ont", "av", "aur", "eu");
    private static readonly PrepositionEntry[] LocationList = BuildLocations();
    private static readonly NounEntry[] NounList = BuildNouns();
    private static readonly AdjectiveEntry[] AdjectiveList = BuildAdjectives();
    private static readonly AdverbEntry[] AdverbList = BuildAdverbs();

    /// <summary>The copula be / être (its English forms am, is, are, was, were are built by the English renderer).</summary>
    public static VerbEntry Be { get; } = new("be", "is", "was", "being", Etre,
        Located | NounClass.Place | NounClass.Destination | NounClass.Furniture | NounClass.Landmark | NounClass.Drink,
        NounClass.None, LocationList, Stative: true);

    /// <summary>Nouns by English singular.</summary>
    public static IReadOnlyDictionary<string, NounEntry> Nouns { get; } = NounList.ToDictionary(n => n.English, StringComparer.Ordinal);

    /// <summary>Adjectives by English form.</summary>
    public static IReadOnlyDictionary<string, AdjectiveEntry> Adjectives { get; } = AdjectiveList.ToDictionary(a => a.English, StringComparer.Ordinal);

    /// <summary>Verbs other than be, by English base form (with its particle: <c>listen to</c>, <c>look for</c>).</summary>
    public static IReadOnlyDictionary<string, VerbEntry> Verbs { get; } = BuildVerbs().ToDictionary(v => v.English, StringComparer.Ordinal);

    /// <summary>Time adverbs by English words.</summary>
    public static IReadOnlyDictionary<string, AdverbEntry> Adverbs { get; } = AdverbList.ToDictionary(a => a.English, StringComparer.Ordinal);

    /// <summary>The location prepositions (in, on, under, near, behind, in front of, next to).</summary>
    public static IReadOnlyList<PrepositionEntry> Locations => LocationList;

    /// <summary>True when the French verb forms its passé composé with être (aller, venir, arriver, rester, tomber, entrer).</summary>
    public static bool TakesEtre(VerbEntry verb) => EtreVerbs.Contains(verb.French.Infinitive);

    /// <summary>The noun <paramref name="english"/>.</summary>
    /// <exception cref="ArgumentException">It is not in the lexicon.</exception>
    public static NounEntry Noun(string english) => Lookup(Nouns, english, "noun");

    /// <summary>The adjective <paramref name="english"/>.</summary>
    /// <exception cref="ArgumentException">It is not in the lexicon.</exception>
    public static AdjectiveEntry Adjective(string english) => Lookup(Adjectives, english, "adjective");

    /// <summary>The verb <paramref name="english"/> (be included).</summary>
    /// <exception cref="ArgumentException">It is not in the lexicon.</exception>
    public static VerbEntry Verb(string english) => english == "be" ? Be : Lookup(Verbs, english, "verb");

    /// <summary>The adverb <paramref name="english"/>.</summary>
    /// <exception cref="ArgumentException">It is not in the lexicon.</exception>
    public static AdverbEntry Adverb(string english) => Lookup(Adverbs, english, "adverb");

    /// <summary>
    /// Every French word the grammar can write before elision joins words (l'arbre is l' + arbre): nouns, adjectives,
    /// all conjugated forms, determiners, pronouns, prepositions, numbers, adverbs and the full stop.
    /// </summary>
    public static IReadOnlySet<string> FrenchWords() => BuildFrenchWords();

    private static HashSet<string> BuildFrenchWords()
    {
        var words = new HashSet<string>(StringComparer.Ordinal)
        {
            "le", "la", "les", "un", "une", "des", "de", "du", "au", "aux", "ce", "cet", "cette", "ces",
            "mon", "ma", "mes", "votre", "vos", "son", "sa", "ses", "notre", "nos", "leur", "leurs",
            "je", "vous", "il", "elle", "nous", "ils", "ne", "pas", ".",
        };
        words.UnionWith(NounList.SelectMany(n => new[] { n.French, n.FrenchPlural }));
        words.UnionWith(AdjectiveList.SelectMany(a => a.FrenchForms()));
        words.UnionWith(Verbs.Values.Append(Be).SelectMany(v => v.French.AllForms()));
        words.UnionWith(Avoir.AllForms());
        words.UnionWith(Verbs.Values.SelectMany(v => v.Complements).Concat(LocationList).SelectMany(p => p.French.Split(' ')));
        words.UnionWith(Verbs.Values.Where(v => v.FrenchObjectPreposition is not null).Select(v => v.FrenchObjectPreposition!));
        words.UnionWith(AdverbList.SelectMany(a => a.French.Split(' ')));
        for (int n = 1; n <= NumberWords.Max; n++)
        {
            words.UnionWith(NumberWords.French(n, GrammaticalGender.Masculine).Split(' '));
            words.UnionWith(NumberWords.French(n, GrammaticalGender.Feminine).Split(' '));
        }
        return words;
    }

    private static T Lookup<T>(IReadOnlyDictionary<string, T> entries, string key, string kind) =>
        entries.TryGetValue(key, out var entry) ? entry : throw new ArgumentException($"'{key}' is not a {kind} of the English–French lexicon", nameof(key));
}
