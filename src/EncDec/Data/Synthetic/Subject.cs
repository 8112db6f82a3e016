namespace EncDec.Data.Synthetic;

/// <summary>The subject of a <see cref="Clause"/>: a pronoun or a noun phrase (exactly one of the two is set).</summary>
public sealed record Subject
{
    private Subject(Pronoun? pronoun, NounPhrase? phrase) => (Pronoun, Phrase) = (pronoun, phrase);

    /// <summary>The pronoun, or null for a noun-phrase subject.</summary>
    public Pronoun? Pronoun { get; }

    /// <summary>The noun phrase, or null for a pronoun subject.</summary>
    public NounPhrase? Phrase { get; }

    /// <summary>A pronoun subject.</summary>
    public static implicit operator Subject(Pronoun pronoun) => new(pronoun, null);

    /// <summary>A noun-phrase subject.</summary>
    public static implicit operator Subject(NounPhrase phrase) => new(null, phrase ?? throw new ArgumentNullException(nameof(phrase)));
}
