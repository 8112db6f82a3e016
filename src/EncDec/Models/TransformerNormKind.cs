namespace EncDec.Models;

/// <summary>Which normalisation a Transformer's layers (and final stack norms) use.</summary>
public enum TransformerNormKind
{
    /// <summary>Layer normalisation with weight and bias (Vaswani, BART, Marian).</summary>
    LayerNorm,

    /// <summary>Root-mean-square normalisation, weight only (T5).</summary>
    RmsNorm,
}
