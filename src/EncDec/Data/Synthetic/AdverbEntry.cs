namespace EncDec.Data.Synthetic;

/// <summary>A sentence-final time adverb and the tenses it goes with (yesterday only with past tenses).</summary>
/// <param name="English">English words, e.g. <c>every day</c>.</param>
/// <param name="French">French words, e.g. <c>tous les jours</c>.</param>
/// <param name="Tenses">The tenses it is used with.</param>
public sealed record AdverbEntry(string English, string French, IReadOnlyList<Tense> Tenses);
