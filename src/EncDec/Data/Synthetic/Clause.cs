namespace EncDec.Data.Synthetic;

/// <summary>
/// One sentence of the English–French grammar, built from lexicon keys; <see cref="EnglishFrenchGrammar.Render"/> turns
/// it into its English and French forms. The verb <c>be</c> takes either <paramref name="Adjective"/> (the car is red) or a
/// location <paramref name="Complement"/> (the cat is under the table); other verbs take an <paramref name="Object"/> when
/// transitive and a complement from their frames.
/// </summary>
/// <param name="Subject">A <see cref="Pronoun"/> or a <see cref="NounPhrase"/> (both convert implicitly).</param>
/// <param name="Verb">English base form, a key of <see cref="EnglishFrenchLexicon.Verbs"/>, or <c>be</c>.</param>
/// <param name="Tense">The tense.</param>
/// <param name="Negated">not / ne ... pas.</param>
/// <param name="Object">Direct object of a transitive verb.</param>
/// <param name="Adjective">Predicate adjective of <c>be</c>.</param>
/// <param name="Complement">Prepositional complement (location, destination, recipient).</param>
/// <param name="Adverb">Sentence-final time adverb, a key of <see cref="EnglishFrenchLexicon.Adverbs"/>.</param>
public sealed record Clause(Subject Subject, string Verb, Tense Tense = Tense.Present, bool Negated = false,
    NounPhrase? Object = null, string? Adjective = null, PrepositionalPhrase? Complement = null, string? Adverb = null);
