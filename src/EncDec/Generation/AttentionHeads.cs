namespace EncDec.Generation;

/// <summary>
/// Per-head cross-attention of one hypothesis, for attention views: for every scored token (the end token included
/// when emitted) the weights of every decoder layer and head over the real source positions.
/// </summary>
/// <param name="Layers">Number of attention layers reported (1 for RNN decoders).</param>
/// <param name="Heads">Heads per layer (1 for RNN decoders).</param>
/// <param name="SourceLength">Source positions per row (padding removed).</param>
/// <param name="Steps">One array per scored token, laid out (layers, heads, SourceLength).</param>
public sealed record AttentionHeads(int Layers, int Heads, int SourceLength, float[][] Steps)
{
    /// <summary>The weight of source position <paramref name="source"/> in head <paramref name="head"/> of layer
    /// <paramref name="layer"/> at target step <paramref name="step"/>.</summary>
    public float Weight(int step, int layer, int head, int source) =>
        Steps[step][(layer * Heads + head) * SourceLength + source];
}
