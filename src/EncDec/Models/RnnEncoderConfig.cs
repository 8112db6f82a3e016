namespace EncDec.Models;

/// <summary>Shape of a <see cref="RnnEncoder"/>.</summary>
/// <param name="CellType">LSTM or GRU.</param>
/// <param name="EmbeddingDim">Width of the source embeddings.</param>
/// <param name="HiddenSize">Hidden size per direction.</param>
/// <param name="Layers">Number of stacked layers.</param>
/// <param name="Bidirectional">Whether each layer also reads the source right to left.</param>
/// <param name="Dropout">Dropout on the embeddings and between layers (training only).</param>
/// <param name="SourceVocabulary">Number of source token ids.</param>
/// <param name="BidirectionalBottomLayerOnly">GNMT (Wu et al. 2016): with <paramref name="Bidirectional"/>, only layer 0
/// reads both ways (its directions concatenated, width 2·hidden); the layers above are unidirectional (width hidden).</param>
/// <param name="ResidualFromLayer">0-based index of the first layer whose input is added to its output
/// (x_{l+1} = RNN_l(x_l) + x_l for every layer l ≥ this index); 0 = no residual connections (layer 0 reads the
/// embeddings, so it never has one). GNMT uses 2: residuals start at the third layer.</param>
public sealed record RnnEncoderConfig(
    RnnCellType CellType = RnnCellType.Lstm,
    int EmbeddingDim = 256,
    int HiddenSize = 512,
    int Layers = 1,
    bool Bidirectional = true,
    float Dropout = 0.1f,
    int SourceVocabulary = 32000,
    bool BidirectionalBottomLayerOnly = false,
    int ResidualFromLayer = 0)
{
    /// <summary>Width of the memory (the top layer's output): hidden size times the top layer's directions. Every
    /// final state has this width too, except layer 0's with <see cref="BidirectionalBottomLayerOnly"/> (2·hidden).</summary>
    public int OutputDim => HiddenSize * (Bidirectional && (!BidirectionalBottomLayerOnly || Layers == 1) ? 2 : 1);

    /// <summary>Whether the encoder runs as separate per-layer stacks (either GNMT option is on).</summary>
    public bool UsesPerLayerStacks => BidirectionalBottomLayerOnly || ResidualFromLayer > 0;

    /// <summary>Width of layer <paramref name="layer"/>'s output (0-based).</summary>
    public int LayerOutputDim(int layer) =>
        HiddenSize * (Bidirectional && (!BidirectionalBottomLayerOnly || layer == 0) ? 2 : 1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (EmbeddingDim <= 0) throw new ArgumentException($"RnnEncoderConfig: EmbeddingDim must be positive, got {EmbeddingDim}");
        if (HiddenSize <= 0) throw new ArgumentException($"RnnEncoderConfig: HiddenSize must be positive, got {HiddenSize}");
        if (Layers <= 0) throw new ArgumentException($"RnnEncoderConfig: Layers must be positive, got {Layers}");
        if (!(Dropout >= 0f && Dropout < 1f)) throw new ArgumentException($"RnnEncoderConfig: Dropout must be in [0, 1), got {Dropout}");
        if (SourceVocabulary <= 0) throw new ArgumentException($"RnnEncoderConfig: SourceVocabulary must be positive, got {SourceVocabulary}");
        if (!Enum.IsDefined(CellType)) throw new ArgumentException($"RnnEncoderConfig: unknown CellType {CellType}");
        if (BidirectionalBottomLayerOnly && !Bidirectional)
            throw new ArgumentException("RnnEncoderConfig: BidirectionalBottomLayerOnly needs Bidirectional");
        if (ResidualFromLayer < 0 || ResidualFromLayer >= Layers && ResidualFromLayer != 0)
            throw new ArgumentException($"RnnEncoderConfig: ResidualFromLayer must be 0 (none) or a layer index in [1, {Layers}), got {ResidualFromLayer}");
        if (ResidualFromLayer > 0 && LayerOutputDim(ResidualFromLayer - 1) != LayerOutputDim(ResidualFromLayer))
            throw new ArgumentException($"RnnEncoderConfig: layer {ResidualFromLayer}'s input and output widths differ; residuals need ResidualFromLayer ≥ 2 with BidirectionalBottomLayerOnly");
    }
}
