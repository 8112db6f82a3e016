namespace EncDec.Data.Synthetic;

/// <summary>
/// The French conjugation of one verb in the four tenses the grammar uses. Persons are indexed 0..5: je, tu, il/elle,
/// nous, vous, ils/elles. Regular -er verbs follow the textbook rules (present e es e ons ez ent; imparfait on the
/// infinitive's stem, ais ais ait ions iez aient; futur on the infinitive, ai as a ons ez ont; participle in é), with the
/// -ger spelling rule (an e keeps the g soft before a and o: nous mangeons, il mangeait, but nous mangions).
/// Irregular verbs give their present forms and their imparfait and futur stems, to which the same endings apply.
/// </summary>
public sealed class FrenchVerb
{
    private static readonly string[] RegularPresentEndings = ["e", "es", "e", "ons", "ez", "ent"];
    private static readonly string[] ImperfectEndings = ["ais", "ais", "ait", "ions", "iez", "aient"];
    private static readonly string[] FutureEndings = ["ai", "as", "a", "ons", "ez", "ont"];

    private readonly string[] _present;
    private readonly string _imperfectStem;
    private readonly string _futureStem;
    private readonly bool _softG;

    private FrenchVerb(string infinitive, string[] present, string imperfectStem, string futureStem, string pastParticiple, bool softG)
    {
        if (present.Length != 6)
            throw new ArgumentException($"French verb '{infinitive}': the present needs 6 forms, got {present.Length}", nameof(present));
        Infinitive = infinitive;
        _present = present;
        _imperfectStem = imperfectStem;
        _futureStem = futureStem;
        PastParticiple = pastParticiple;
        _softG = softG;
    }

    /// <summary>The infinitive, e.g. <c>manger</c>.</summary>
    public string Infinitive { get; }

    /// <summary>The masculine singular past participle, e.g. <c>mangé</c>, <c>pris</c>.</summary>
    public string PastParticiple { get; }

    /// <summary>A regular -er verb (aimer, manger, nager, ...).</summary>
    /// <exception cref="ArgumentException"><paramref name="infinitive"/> does not end in -er.</exception>
    public static FrenchVerb Regular(string infinitive)
    {
        if (!infinitive.EndsWith("er", StringComparison.Ordinal) || infinitive.Length < 3)
            throw new ArgumentException($"'{infinitive}' is not an -er verb", nameof(infinitive));
        string stem = infinitive[..^2];
        bool softG = stem.EndsWith('g');
        string[] present = [.. RegularPresentEndings.Select(ending => Attach(stem, ending, softG))];
        return new FrenchVerb(infinitive, present, stem, infinitive, stem + "é", softG);
    }

    /// <summary>An irregular verb from its six present forms (space-separated), imparfait stem, futur stem and participle.</summary>
    public static FrenchVerb Irregular(string infinitive, string present, string imperfectStem, string futureStem, string pastParticiple) =>
        new(infinitive, present.Split(' '), imperfectStem, futureStem, pastParticiple, softG: false);

    /// <summary>Présent of <paramref name="person"/> (0..5).</summary>
    public string Present(int person) => _present[CheckPerson(person)];

    /// <summary>Imparfait of <paramref name="person"/> (0..5).</summary>
    public string Imperfect(int person) => Attach(_imperfectStem, ImperfectEndings[CheckPerson(person)], _softG);

    /// <summary>Futur simple of <paramref name="person"/> (0..5).</summary>
    public string Future(int person) => _futureStem + FutureEndings[CheckPerson(person)];

    /// <summary>The past participle agreeing with a subject (être verbs): allé, allée, allés, allées.</summary>
    public string AgreeingParticiple(GrammaticalGender gender, bool plural)
    {
        string singular = gender == GrammaticalGender.Feminine ? PastParticiple + "e" : PastParticiple;
        return plural && !singular.EndsWith('s') ? singular + "s" : singular;   // pris stays pris, prise becomes prises
    }

    /// <summary>Every form the grammar can produce (for lexicon checks).</summary>
    public IEnumerable<string> AllForms()
    {
        for (int person = 0; person < 6; person++)
        {
            yield return Present(person);
            yield return Imperfect(person);
            yield return Future(person);
        }
        foreach (var gender in new[] { GrammaticalGender.Masculine, GrammaticalGender.Feminine })
        {
            yield return AgreeingParticiple(gender, plural: false);
            yield return AgreeingParticiple(gender, plural: true);
        }
    }

    // The -ger rule: ge before a and o keeps the soft sound (mangeons, mangeait); elsewhere plain g (mangions, mangez).
    private static string Attach(string stem, string ending, bool softG) =>
        softG && ending.Length > 0 && ending[0] is 'a' or 'o' ? stem + "e" + ending : stem + ending;

    private static int CheckPerson(int person) =>
        person is >= 0 and < 6 ? person : throw new ArgumentOutOfRangeException(nameof(person), person, "person must be 0..5 (je .. ils)");
}
