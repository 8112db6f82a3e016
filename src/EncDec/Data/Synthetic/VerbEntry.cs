namespace EncDec.Data.Synthetic;

/// <summary>A verb of the English–French grammar: English forms, French conjugation and what it combines with.</summary>
/// <param name="English">Base form (the entry's key), e.g. <c>eat</c>.</param>
/// <param name="ThirdPerson">Present third person singular, e.g. <c>eats</c>.</param>
/// <param name="Past">Simple past, e.g. <c>ate</c> (always distinct from the base form, so tense is never ambiguous).</param>
/// <param name="Progressive">Present participle, e.g. <c>eating</c>.</param>
/// <param name="French">French conjugation.</param>
/// <param name="Subjects">Noun classes its subject may have (pronouns count as <see cref="NounClass.Person"/>).</param>
/// <param name="Objects">Noun classes of its direct object; <see cref="NounClass.None"/> for an intransitive verb.</param>
/// <param name="Complements">Prepositional complements it takes (location, destination, recipient).</param>
/// <param name="ComplementRequired">True when a clause always has one of <paramref name="Complements"/> (go to, come from).</param>
/// <param name="Particle">English particle after the verb (listen <c>to</c>, look <c>for</c>), or null.</param>
/// <param name="FrenchObjectPreposition">French preposition before the object where English has none (enter the house →
/// entrer <c>dans</c> la maison), or null.</param>
/// <param name="Stative">True for be, have and like, whose English simple past is a French imparfait and which have no
/// progressive form.</param>
public sealed record VerbEntry(string English, string ThirdPerson, string Past, string Progressive, FrenchVerb French,
    NounClass Subjects, NounClass Objects, IReadOnlyList<PrepositionEntry> Complements, bool ComplementRequired = false,
    string? Particle = null, string? FrenchObjectPreposition = null, bool Stative = false)
{
    /// <summary>True when the verb takes a direct object.</summary>
    public bool IsTransitive => Objects != NounClass.None;
}
