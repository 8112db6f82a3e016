using EncDec.Tensors;

namespace EncDec.Data.Synthetic;

/// <summary>
/// A small English→French translation grammar with the phenomena that make translation more than word substitution:
/// adjective–noun reordering (the red car → la voiture rouge; grand, petit, beau, jeune, vieux, bon, ... stay before the
/// noun), gender and number agreement of determiners, adjectives and être participles, bel/vieil/nouvel and cet before
/// vowels, conjugation of regular and irregular verbs in four tenses (présent, passé composé with avoir or être,
/// imparfait, futur), ne ... pas with de replacing un/une/des on negated direct objects, numbers to ninety-nine, prepositions
/// that English and French express differently (listen to the music → écouter la musique, enter the house → entrer
/// dans la maison), contraction (au, aux, du, des) and elision (l', j', n', d').
/// </summary>
/// <remarks>
/// Output is lowercase, one space between tokens, the full stop a token; elided words stay joined to the next word as
/// French writes them (l'école, n'aime), so a word vocabulary works. Every English sentence has exactly one French
/// translation (conventions in <see cref="Pronoun"/> and <see cref="Tense"/>). Sentences are built by
/// <see cref="NextClause"/> and written by <see cref="Render"/>, which tests can call on hand-built clauses.
/// </remarks>
public sealed class EnglishFrenchGrammar : ISyntheticTask
{
    private readonly EnglishFrenchSampler _sampler;

    /// <summary>A grammar whose sentences have <paramref name="minTokens"/>..<paramref name="maxTokens"/> English tokens, full stop included.</summary>
    /// <exception cref="ArgumentException">The bounds are out of order or cannot be met (the shortest sentence has 3 tokens).</exception>
    public EnglishFrenchGrammar(int minTokens = 4, int maxTokens = 16)
    {
        if (minTokens < 3 || maxTokens < minTokens || maxTokens < 6)
            throw new ArgumentException($"sentence length {minTokens}..{maxTokens} tokens: need 3 <= min_tokens <= max_tokens and max_tokens >= 6", nameof(minTokens));
        _sampler = new EnglishFrenchSampler(minTokens, maxTokens);
    }

    /// <inheritdoc/>
    public string Name => "en-fr";

    /// <inheritdoc/>
    public string Description => "English to French sentences with agreement, reordering, conjugation, negation, contraction and elision";

    /// <inheritdoc/>
    public SyntheticPair Next(RandomGenerator random) => Render(NextClause(random));

    /// <summary>A random, semantically sensible clause (the structure behind <see cref="Next"/>).</summary>
    public Clause NextClause(RandomGenerator random) => _sampler.Next(random);

    /// <summary>The English sentence and its French translation.</summary>
    /// <exception cref="ArgumentException">The clause uses a word the lexicon lacks or breaks the grammar (see <see cref="Validate"/>).</exception>
    public static SyntheticPair Render(Clause clause)
    {
        Validate(clause);
        return new SyntheticPair(string.Join(' ', EnglishRenderer.Render(clause)), string.Join(' ', FrenchRenderer.Render(clause)));
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming what is wrong: an unknown word; be without exactly one of a predicate
    /// adjective and a location; a transitive verb without an object or an intransitive one with; a complement the verb
    /// has no frame for; a progressive of a stative verb; a noun phrase with two adjectives on the same side, a number
    /// outside 1..99, or a mass noun that is plural or counted.
    /// </summary>
    public static void Validate(Clause clause)
    {
        var verb = EnglishFrenchLexicon.Verb(clause.Verb);
        if (verb.Stative && clause.Tense == Tense.PastProgressive)
            throw new ArgumentException($"'{verb.English}' is stative and has no progressive form", nameof(clause));
        if (verb == EnglishFrenchLexicon.Be)
        {
            if ((clause.Adjective is null) == (clause.Complement is null) || clause.Object is not null)
                throw new ArgumentException("'be' takes exactly one of a predicate adjective and a location complement, and no object", nameof(clause));
            if (clause.Adjective is not null) EnglishFrenchLexicon.Adjective(clause.Adjective);
        }
        else
        {
            if (clause.Adjective is not null)
                throw new ArgumentException($"only 'be' takes a predicate adjective, not '{verb.English}'", nameof(clause));
            if (verb.IsTransitive != clause.Object is not null)
                throw new ArgumentException($"'{verb.English}' is {(verb.IsTransitive ? "transitive and needs" : "intransitive and takes no")} object", nameof(clause));
            if (verb.ComplementRequired && clause.Complement is null)
                throw new ArgumentException($"'{verb.English}' needs a complement ({string.Join(", ", verb.Complements.Select(p => p.English))})", nameof(clause));
        }
        if (clause.Complement is { } complement) FrenchRenderer.FrenchPreposition(verb, complement.Preposition);
        if (clause.Adverb is not null) EnglishFrenchLexicon.Adverb(clause.Adverb);
        foreach (var phrase in new[] { clause.Subject.Phrase, clause.Object, clause.Complement?.Phrase })
            if (phrase is not null) ValidatePhrase(phrase);
    }

    private static void ValidatePhrase(NounPhrase phrase)
    {
        var noun = EnglishFrenchLexicon.Noun(phrase.Noun);
        var adjectives = phrase.AdjectiveList.Select(EnglishFrenchLexicon.Adjective).ToList();
        if (adjectives.Count(a => a.BeforeNoun) > 1 || adjectives.Count(a => !a.BeforeNoun) > 1)
            throw new ArgumentException($"'{phrase.Noun}': at most one adjective before and one after the French noun, got {string.Join(", ", phrase.AdjectiveList)}", nameof(phrase));
        if (phrase.Determiner == DeterminerKind.Number && phrase.Count is < 1 or > NumberWords.Max)
            throw new ArgumentException($"'{phrase.Noun}': count {phrase.Count} is outside 1..{NumberWords.Max}", nameof(phrase));
        if (!noun.Countable && (phrase.IsPlural || phrase.Determiner is DeterminerKind.Indefinite or DeterminerKind.Number))
            throw new ArgumentException($"'{phrase.Noun}' is a mass noun: singular, with the, this or a possessive only", nameof(phrase));
    }
}
