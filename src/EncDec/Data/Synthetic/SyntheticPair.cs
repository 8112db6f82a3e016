namespace EncDec.Data.Synthetic;

/// <summary>One generated training example: a source line and its target line, both tokens separated by single spaces.</summary>
/// <param name="Source">The source sentence, e.g. <c>the cat eats .</c></param>
/// <param name="Target">Its reference output, e.g. <c>le chat mange .</c></param>
public sealed record SyntheticPair(string Source, string Target);
