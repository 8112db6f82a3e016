namespace EncDec.Data.Synthetic;

/// <summary>A prepositional complement: an English preposition of the verb's frames (<see cref="VerbEntry.Complements"/>) and its noun phrase.</summary>
/// <param name="Preposition">English preposition, e.g. <c>in front of</c>, <c>to</c>.</param>
/// <param name="Phrase">Its object.</param>
public sealed record PrepositionalPhrase(string Preposition, NounPhrase Phrase);
