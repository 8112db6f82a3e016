namespace EncDec.Data.Synthetic;

/// <summary>A preposition frame: how English and French introduce one kind of complement, and the nouns it takes.</summary>
/// <param name="English">English preposition, possibly several words (<c>in front of</c>).</param>
/// <param name="French">French preposition, possibly several words (<c>à côté de</c>); <c>à</c> and <c>de</c> contract with
/// le/les (au, aux, du, des).</param>
/// <param name="Objects">Noun classes it takes.</param>
public sealed record PrepositionEntry(string English, string French, NounClass Objects);
