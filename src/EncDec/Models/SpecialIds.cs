namespace EncDec.Models;

/// <summary>
/// The token ids that training and search treat specially. Target sequences are fed as
/// [<see cref="Start"/>, y₁ … yₙ] and predicted as [y₁ … yₙ, <see cref="End"/>]; <see cref="Pad"/> fills
/// batches and is ignored by the loss; <see cref="Unknown"/> is what search may replace from the source.
/// </summary>
/// <param name="Pad">Padding id (in source and target).</param>
/// <param name="Start">The decoder's start token (BOS, or T5's pad, or Marian's end token).</param>
/// <param name="End">End of sentence; search stops a hypothesis when it emits it.</param>
/// <param name="Unknown">Unknown-token id, or -1 when the vocabulary has none (byte-level tokenizers).</param>
public sealed record SpecialIds(int Pad, int Start, int End, int Unknown)
{
    /// <summary>Throws <see cref="ArgumentException"/> when an id is outside [0, <paramref name="vocabularySize"/>)
    /// (Unknown may also be -1).</summary>
    public void Validate(int vocabularySize)
    {
        Require(Pad, nameof(Pad), vocabularySize);
        Require(Start, nameof(Start), vocabularySize);
        Require(End, nameof(End), vocabularySize);
        if (Unknown != -1) Require(Unknown, nameof(Unknown), vocabularySize);
    }

    private static void Require(int id, string name, int vocabularySize)
    {
        if ((uint)id >= (uint)vocabularySize)
            throw new ArgumentException($"SpecialIds: {name} id {id} is outside the vocabulary of {vocabularySize}");
    }
}
