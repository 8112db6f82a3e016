namespace EncDec.Data.Synthetic;

/// <summary>French grammatical gender, which articles, determiners, adjectives and être participles agree with.</summary>
public enum GrammaticalGender
{
    /// <summary>Masculine (le, un, ce/cet, mon).</summary>
    Masculine,

    /// <summary>Feminine (la, une, cette, ma).</summary>
    Feminine,
}
