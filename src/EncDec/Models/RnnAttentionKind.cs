namespace EncDec.Models;

/// <summary>How a <see cref="RnnDecoder"/> attends over the encoder memory.</summary>
public enum RnnAttentionKind
{
    /// <summary>No attention (Sutskever et al. 2014): the decoder sees the source only through its initial state.</summary>
    None,

    /// <summary>Additive attention queried with the previous top hidden state; the context is part of the cell input.</summary>
    Bahdanau,

    /// <summary>Luong attention with the dot score (memory width must equal the hidden size).</summary>
    LuongDot,

    /// <summary>Luong attention with the general (bilinear) score.</summary>
    LuongGeneral,

    /// <summary>Luong attention with the concat score.</summary>
    LuongConcat,
}
