namespace EncDec.Models;

/// <summary>
/// The arithmetic of a model's inference path (search, <c>encdec translate</c>); training always runs in float32.
/// </summary>
public enum InferencePrecision
{
    /// <summary>Float32 weights and arithmetic: the same results as the training path's forward pass, up to summation
    /// order. The default.</summary>
    Float32 = 0,

    /// <summary>
    /// The weights of every linear layer (attention projections, feed-forward layers, the output projection) quantized
    /// to int8 with one scale per output feature, and their inputs to int8 with one scale per row, multiplied in exact
    /// integer arithmetic (<see cref="Kernels.QuantizedGemm"/>), as CTranslate2's <c>int8</c> compute type does.
    /// Embeddings, norms, attention scores and the softmax stay float32. About twice the speed where the CPU has
    /// AVX-VNNI, and a quarter of the weight memory; each projection is off by about 0.5% of its output's magnitude,
    /// so scores differ slightly and a search may now and then choose a different token than in float32.
    /// </summary>
    Int8 = 1,
}
