namespace EncDec.Data.Synthetic;

/// <summary>What a <see cref="SymbolSequenceTask"/> does to its source sequence.</summary>
public enum SymbolTransform
{
    /// <summary>The target is the source.</summary>
    Copy,

    /// <summary>The target is the source read backwards.</summary>
    Reverse,

    /// <summary>The target is the source's symbols in alphabet order (duplicates kept).</summary>
    Sort,
}
