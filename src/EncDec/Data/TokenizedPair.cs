namespace EncDec.Data;

/// <summary>A pair as the batcher holds it after tokenizing and length filtering.</summary>
/// <param name="Pair">The text and where it was read.</param>
/// <param name="Source">The source row: the source ids, plus End when the batcher appends it.</param>
/// <param name="Target">The target ids y₁ … yₙ, without Start or End (the row is n + 1 long).</param>
internal readonly record struct TokenizedPair(SentencePair Pair, int[] Source, int[] Target)
{
    /// <summary>Length of the source row.</summary>
    public int SourceLength => Source.Length;

    /// <summary>Length of the target rows ([Start, y…] and [y…, End]).</summary>
    public int TargetLength => Target.Length + 1;
}
