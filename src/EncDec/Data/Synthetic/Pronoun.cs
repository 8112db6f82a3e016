namespace EncDec.Data.Synthetic;

/// <summary>
/// English subject pronouns and their French translations. English "you" is translated as <c>vous</c> and "they" as
/// <c>ils</c>; where French needs a gender English does not give (past participles with être, predicate adjectives),
/// I, you, we and they agree in the masculine (je … allé, vous … allés), so every English sentence has one translation.
/// </summary>
public enum Pronoun
{
    /// <summary>i → je (masculine singular).</summary>
    I,

    /// <summary>you → vous (masculine plural).</summary>
    You,

    /// <summary>he → il.</summary>
    He,

    /// <summary>she → elle.</summary>
    She,

    /// <summary>we → nous (masculine plural).</summary>
    We,

    /// <summary>they → ils (masculine plural).</summary>
    They,
}
