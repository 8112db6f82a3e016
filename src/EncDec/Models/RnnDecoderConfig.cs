namespace EncDec.Models;

/// <summary>Shape of a <see cref="RnnDecoder"/>.</summary>
/// <param name="CellType">LSTM or GRU.</param>
/// <param name="EmbeddingDim">Width of the target embeddings.</param>
/// <param name="HiddenSize">Hidden size of every layer (also the attention and h̃ width).</param>
/// <param name="Layers">Number of stacked cells.</param>
/// <param name="Dropout">Dropout on the embeddings, between layers and before the output projection (training only).</param>
/// <param name="TargetVocabulary">Number of target token ids (the logits' width).</param>
/// <param name="Attention">How the decoder attends over the memory.</param>
/// <param name="InputFeeding">Luong only: feed the previous h̃ into the first cell with the embedding.</param>
/// <param name="InitFromEncoder">Start from the encoder's final states (through a bridge Linear when widths
/// differ); needs an encoder with the same cell type and number of layers. Otherwise start from zeros.</param>
/// <param name="ResidualFromLayer">0-based index of the first cell whose input from the layer below is added to its
/// output (the value passed up, not the recurrent state); 0 = none. GNMT uses 2.</param>
/// <param name="AttentionFromBottomLayer">GNMT (Wu et al. 2016), Bahdanau only, needs Layers ≥ 2: the bottom cell reads
/// the embedding alone, its new h is the attention query, and the context is concatenated to the input of every
/// cell above the bottom and to the output projection's input. (Simplification: GNMT also feeds the previous
/// context into the bottom cell; here it does not.)</param>
public sealed record RnnDecoderConfig(
    RnnCellType CellType = RnnCellType.Lstm,
    int EmbeddingDim = 256,
    int HiddenSize = 512,
    int Layers = 1,
    float Dropout = 0.1f,
    int TargetVocabulary = 32000,
    RnnAttentionKind Attention = RnnAttentionKind.Bahdanau,
    bool InputFeeding = true,
    bool InitFromEncoder = false,
    int ResidualFromLayer = 0,
    bool AttentionFromBottomLayer = false)
{
    /// <summary>True for the three Luong kinds.</summary>
    public bool IsLuong => Attention is RnnAttentionKind.LuongDot or RnnAttentionKind.LuongGeneral or RnnAttentionKind.LuongConcat;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (EmbeddingDim <= 0) throw new ArgumentException($"RnnDecoderConfig: EmbeddingDim must be positive, got {EmbeddingDim}");
        if (HiddenSize <= 0) throw new ArgumentException($"RnnDecoderConfig: HiddenSize must be positive, got {HiddenSize}");
        if (Layers <= 0) throw new ArgumentException($"RnnDecoderConfig: Layers must be positive, got {Layers}");
        if (!(Dropout >= 0f && Dropout < 1f)) throw new ArgumentException($"RnnDecoderConfig: Dropout must be in [0, 1), got {Dropout}");
        if (TargetVocabulary <= 0) throw new ArgumentException($"RnnDecoderConfig: TargetVocabulary must be positive, got {TargetVocabulary}");
        if (!Enum.IsDefined(CellType)) throw new ArgumentException($"RnnDecoderConfig: unknown CellType {CellType}");
        if (!Enum.IsDefined(Attention)) throw new ArgumentException($"RnnDecoderConfig: unknown Attention {Attention}");
        if (ResidualFromLayer < 0 || ResidualFromLayer >= Layers && ResidualFromLayer != 0)
            throw new ArgumentException($"RnnDecoderConfig: ResidualFromLayer must be 0 (none) or a layer index in [1, {Layers}), got {ResidualFromLayer}");
        if (AttentionFromBottomLayer && (Attention != RnnAttentionKind.Bahdanau || Layers < 2))
            throw new ArgumentException("RnnDecoderConfig: AttentionFromBottomLayer needs Bahdanau attention and Layers ≥ 2");
    }

    /// <summary>Also checks what depends on the encoder: the dot score needs memoryDim = HiddenSize.</summary>
    /// <param name="memoryDim">The encoder's <see cref="IEncoder.OutputDim"/>.</param>
    public void Validate(int memoryDim)
    {
        Validate();
        if (memoryDim <= 0) throw new ArgumentException($"RnnDecoderConfig: memory width must be positive, got {memoryDim}");
        if (Attention == RnnAttentionKind.LuongDot && memoryDim != HiddenSize)
            throw new ArgumentException($"RnnDecoderConfig: LuongDot needs memory width {memoryDim} to equal HiddenSize {HiddenSize}; use LuongGeneral");
    }
}
