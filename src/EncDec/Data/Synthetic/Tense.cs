namespace EncDec.Data.Synthetic;

/// <summary>The tenses of <see cref="Clause"/>, named by their English form, with the French tense each becomes.</summary>
public enum Tense
{
    /// <summary>Simple present (she eats, she does not eat) → présent (elle mange, elle ne mange pas).</summary>
    Present,

    /// <summary>
    /// Simple past (she ate, she did not eat) → passé composé (elle a mangé, elle n'a pas mangé; elle est allée with
    /// être verbs). For stative verbs (be, have, like) → imparfait (elle avait, elle était).
    /// </summary>
    Past,

    /// <summary>Past progressive (she was eating) → imparfait (elle mangeait). Not used with stative verbs.</summary>
    PastProgressive,

    /// <summary>Future with will (she will eat) → futur simple (elle mangera).</summary>
    Future,
}
