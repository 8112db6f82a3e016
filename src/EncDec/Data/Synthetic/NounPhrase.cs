namespace EncDec.Data.Synthetic;

/// <summary>
/// A noun phrase of the English–French grammar, named by English lexicon keys: determiner, up to two adjectives (at most
/// one that French puts before the noun and one after it) and a noun. Rendered as "the big red car" and
/// "la grande voiture rouge".
/// </summary>
/// <param name="Noun">English singular noun, a key of <see cref="EnglishFrenchLexicon.Nouns"/>.</param>
/// <param name="Determiner">The determiner.</param>
/// <param name="Plural">Plural noun (ignored for <see cref="DeterminerKind.Number"/>, where <paramref name="Count"/> decides).</param>
/// <param name="Adjectives">English adjective keys, in any order.</param>
/// <param name="Possessor">The owner, for <see cref="DeterminerKind.Possessive"/>.</param>
/// <param name="Count">The number, 1..99, for <see cref="DeterminerKind.Number"/>.</param>
public sealed record NounPhrase(string Noun, DeterminerKind Determiner = DeterminerKind.Definite, bool Plural = false,
    IReadOnlyList<string>? Adjectives = null, Possessor Possessor = Possessor.My, int Count = 0)
{
    /// <summary>True when the noun is plural.</summary>
    public bool IsPlural => Determiner == DeterminerKind.Number ? Count > 1 : Plural;

    /// <summary>The adjectives, never null.</summary>
    public IReadOnlyList<string> AdjectiveList => Adjectives ?? [];

    /// <summary>the + noun.</summary>
    public static NounPhrase The(string noun, params string[] adjectives) => new(noun, DeterminerKind.Definite, Adjectives: adjectives);

    /// <summary>a/an + noun (some/any + plural noun when followed by <c>with { Plural = true }</c>).</summary>
    public static NounPhrase A(string noun, params string[] adjectives) => new(noun, DeterminerKind.Indefinite, Adjectives: adjectives);

    /// <summary>this + noun (these with a plural).</summary>
    public static NounPhrase This(string noun, params string[] adjectives) => new(noun, DeterminerKind.Demonstrative, Adjectives: adjectives);

    /// <summary>my/your/his/her/our/their + noun.</summary>
    public static NounPhrase Of(Possessor possessor, string noun, params string[] adjectives) =>
        new(noun, DeterminerKind.Possessive, Adjectives: adjectives, Possessor: possessor);

    /// <summary><paramref name="count"/> + noun.</summary>
    public static NounPhrase Counted(int count, string noun, params string[] adjectives) =>
        new(noun, DeterminerKind.Number, Adjectives: adjectives, Count: count);

    /// <summary>This phrase with a plural noun.</summary>
    public NounPhrase ToPlural() => this with { Plural = true };
}
