namespace EncDec.Data.Synthetic;

/// <summary>The determiner opening a <see cref="NounPhrase"/>.</summary>
public enum DeterminerKind
{
    /// <summary>the → le, la, l', les.</summary>
    Definite,

    /// <summary>
    /// a/an → un, une; plural some (any after a negated verb) → des. Before a plural adjective des becomes de (de grandes
    /// maisons), and on the direct object of a negated verb both become de (il n'a pas de voiture).
    /// </summary>
    Indefinite,

    /// <summary>this, these → ce, cet (before a vowel), cette, ces.</summary>
    Demonstrative,

    /// <summary>my, your, his, her, our, their (see <see cref="Possessor"/>) → mon/ma/mes, votre/vos, son/sa/ses, ...</summary>
    Possessive,

    /// <summary>A cardinal number, one to ninety-nine (see <see cref="NounPhrase.Count"/>).</summary>
    Number,
}
