namespace EncDec.Data.Synthetic;

/// <summary>
/// Owners for <see cref="DeterminerKind.Possessive"/>. The French form agrees with the noun, not the owner (his and her
/// are both son/sa/ses), and ma/sa become mon/son before a vowel (mon école).
/// </summary>
public enum Possessor
{
    /// <summary>my → mon, ma, mes.</summary>
    My,

    /// <summary>your → votre, vos (English you is vous throughout).</summary>
    Your,

    /// <summary>his → son, sa, ses.</summary>
    His,

    /// <summary>her → son, sa, ses.</summary>
    Her,

    /// <summary>our → notre, nos.</summary>
    Our,

    /// <summary>their → leur, leurs.</summary>
    Their,
}
