using EncDec.Data.Synthetic;
using EncDec.Tensors;

namespace EncDec.Tests.Data.Synthetic;

/// <summary>
/// Properties of thousands of generated pairs, checked by rules written independently of the renderer: lexicon
/// membership, no uncontracted or unelided sequences, agreement around every noun, one translation per sentence.
/// </summary>
public sealed class EnglishFrenchPropertyTests
{
    private const int SampleSize = 6000;
    private static readonly Lazy<SyntheticPair[]> Sample = new(() => [.. SyntheticCorpus.Generate(new EnglishFrenchGrammar(), SampleSize, seed: 2024)]);
    private static readonly string[] ElidedPrefixes = ["l'", "j'", "n'", "d'"];

    private static IEnumerable<string[]> FrenchSentences => Sample.Value.Select(p => p.Target.Split(' '));

    [Fact]
    public void EveryFrenchWord_IsInTheLexicon()
    {
        var words = EnglishFrenchLexicon.FrenchWords();
        var unknown = FrenchSentences.SelectMany(tokens => tokens).Distinct()
            .Where(token => !words.Contains(token) && !(ElidedPrefixes.Any(token.StartsWith) && words.Contains(token[2..])))
            .ToList();
        Assert.Empty(unknown);
    }

    [Fact]
    public void NoArticleIsLeftUncontracted()
    {
        foreach (var tokens in FrenchSentences)
            for (int i = 0; i + 1 < tokens.Length; i++)
                Assert.False(tokens[i] is "à" or "de" && tokens[i + 1] is "le" or "les", string.Join(' ', tokens));
    }

    [Fact]
    public void NoElidableWordPrecedesAVowel()
    {
        foreach (var tokens in FrenchSentences)
        {
            for (int i = 0; i + 1 < tokens.Length; i++)
            {
                bool vowel = "aeiouéèêâîôœh".Contains(tokens[i + 1][0]) && tokens[i + 1] is not ("onze" or "huit");
                Assert.False(vowel && tokens[i] is "le" or "la" or "je" or "ne" or "de" or "ce" or "ma" or "sa", string.Join(' ', tokens));
            }
        }
    }

    [Fact]
    public void NegationAlwaysHasPas()
    {
        foreach (var tokens in FrenchSentences)
        {
            int negations = tokens.Count(t => t == "ne" || t.StartsWith("n'", StringComparison.Ordinal));
            Assert.Equal(negations, tokens.Count(t => t == "pas"));
        }
    }

    [Fact]
    public void DeterminersAndAdjectives_AgreeWithTheirNoun()
    {
        var nouns = FormsOf(EnglishFrenchLexicon.Nouns.Values.SelectMany(n => new[]
            { (n.French, n.Gender, false), (n.FrenchPlural, n.Gender, true) }));
        var adjectives = FormsOf(EnglishFrenchLexicon.Adjectives.Values.SelectMany(a => new[]
        {
            (a.Masculine, GrammaticalGender.Masculine, false), (a.MasculineBeforeVowel ?? a.Masculine, GrammaticalGender.Masculine, false),
            (a.Feminine, GrammaticalGender.Feminine, false), (a.MasculinePlural, GrammaticalGender.Masculine, true),
            (a.FemininePlural, GrammaticalGender.Feminine, true),
        }));
        var determiners = FormsOf([
            ("le", GrammaticalGender.Masculine, false), ("un", GrammaticalGender.Masculine, false), ("ce", GrammaticalGender.Masculine, false),
            ("cet", GrammaticalGender.Masculine, false), ("la", GrammaticalGender.Feminine, false), ("une", GrammaticalGender.Feminine, false),
            ("cette", GrammaticalGender.Feminine, false), ("ma", GrammaticalGender.Feminine, false), ("sa", GrammaticalGender.Feminine, false),
            ("les", GrammaticalGender.Masculine, true), ("les", GrammaticalGender.Feminine, true), ("ces", GrammaticalGender.Masculine, true),
            ("ces", GrammaticalGender.Feminine, true), ("mes", GrammaticalGender.Masculine, true), ("mes", GrammaticalGender.Feminine, true),
            ("ses", GrammaticalGender.Masculine, true), ("ses", GrammaticalGender.Feminine, true),
        ]);
        int checkedNouns = 0;
        foreach (var tokens in FrenchSentences)
        {
            for (int i = 1; i < tokens.Length; i++)
            {
                if (!nouns.TryGetValue(tokens[i], out var noun)) continue;
                // A noun form counts as a noun only after a determiner, or a determiner and an adjective: "montre" is
                // also a verb (il montre), and "intelligent montre" is an adjective of the noun before it and a verb.
                bool adjectiveBefore = adjectives.TryGetValue(tokens[i - 1], out var adjective);
                int before = adjectiveBefore ? i - 2 : i - 1;
                if (before < 0 || !determiners.TryGetValue(tokens[before], out var determiner)) continue;
                // un/une ending a number (vingt et une pommes) agree in gender only.
                if (before > 0 && tokens[before - 1] == "et") determiner = [.. determiner.Select(d => (d.Item1, true))];
                string sentence = string.Join(' ', tokens);
                Assert.True(determiner.Overlaps(noun), $"'{tokens[before]}' does not agree with '{tokens[i]}': {sentence}");
                if (adjectiveBefore) Assert.True(adjective!.Overlaps(noun), $"'{tokens[i - 1]}' does not agree with '{tokens[i]}': {sentence}");
                if (i + 1 < tokens.Length && adjectives.TryGetValue(tokens[i + 1], out var after))
                    Assert.True(after.Overlaps(noun), $"'{tokens[i + 1]}' does not agree with '{tokens[i]}': {sentence}");
                checkedNouns++;
            }
        }
        Assert.True(checkedNouns > SampleSize / 2, $"only {checkedNouns} determiners checked");
    }

    [Fact]
    public void EveryEnglishSentence_HasOneTranslation()
    {
        var translations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in Sample.Value)
        {
            if (translations.TryGetValue(pair.Source, out var earlier)) Assert.Equal(earlier, pair.Target);
            else translations[pair.Source] = pair.Target;
        }
    }

    [Fact]
    public void EnglishLengths_StayWithin4To16Tokens()
    {
        var lengths = Sample.Value.Select(p => p.Source.Split(' ').Length).ToArray();
        Assert.InRange(lengths.Min(), 4, 5);
        Assert.InRange(lengths.Max(), 14, 16);
        Assert.InRange(lengths.Average(), 6.0, 10.0);
    }

    [Fact]
    public void Output_IsLowercaseSpaceSeparated_EndingInAFullStop()
    {
        foreach (var pair in Sample.Value)
        {
            foreach (string side in new[] { pair.Source, pair.Target })
            {
                Assert.Equal(side.ToLowerInvariant(), side);
                Assert.EndsWith(" .", side);
                Assert.DoesNotContain("  ", side);
                Assert.Equal(side.Trim(), side);
            }
        }
    }

    [Fact]
    public void Sample_CoversTheWholeLexicon_AndTheVocabularyIsInTheHundreds()
    {
        var english = Sample.Value.SelectMany(p => p.Source.Split(' ')).ToHashSet();
        var french = Sample.Value.SelectMany(p => p.Target.Split(' ')).ToHashSet();
        Assert.All(EnglishFrenchLexicon.Verbs.Values, verb => Assert.Contains(verb.ThirdPerson.Split(' ')[0], english));
        int nounsSeen = EnglishFrenchLexicon.Nouns.Values.Count(n => english.Contains(n.English) || english.Contains(n.EnglishPlural));
        Assert.Equal(EnglishFrenchLexicon.Nouns.Count, nounsSeen);
        // 20 000 pairs give 564 English and 1253 French types (encdec data synth); conjugation and elision (l'école, n'aime)
        // multiply the French forms of a lexicon of about 210 entries a side.
        Assert.InRange(english.Count, 300, 999);
        Assert.InRange(french.Count, 600, 1500);
    }

    [Fact]
    public void SameSeed_SamePairs_OtherSeed_OtherPairs()
    {
        var grammar = new EnglishFrenchGrammar();
        var first = SyntheticCorpus.Generate(grammar, 200, seed: 5);
        Assert.Equal(first, SyntheticCorpus.Generate(new EnglishFrenchGrammar(), 200, seed: 5));
        Assert.NotEqual(first, SyntheticCorpus.Generate(grammar, 200, seed: 6));
    }

    [Fact]
    public void GeneratedClauses_PassValidation_AndRenderAsNext()
    {
        var grammar = new EnglishFrenchGrammar();
        var clauses = new RandomGenerator(9);
        var pairs = new RandomGenerator(9);
        for (int i = 0; i < 500; i++)
            Assert.Equal(EnglishFrenchGrammar.Render(grammar.NextClause(clauses)), grammar.Next(pairs));
    }

    private static Dictionary<string, HashSet<(GrammaticalGender, bool)>> FormsOf(IEnumerable<(string Form, GrammaticalGender Gender, bool Plural)> forms)
    {
        var result = new Dictionary<string, HashSet<(GrammaticalGender, bool)>>(StringComparer.Ordinal);
        foreach (var (form, gender, plural) in forms)
        {
            if (!result.TryGetValue(form, out var set)) result[form] = set = [];
            set.Add((gender, plural));
        }
        return result;
    }
}
