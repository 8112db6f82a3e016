namespace EncDec.Models;

/// <summary>Shape of a <see cref="RnnEncoder"/>.</summary>
/// <param name="CellType">LSTM or GRU.</param>
/// <param name="EmbeddingDim">Width of the source embeddings.</param>
/// <param name="HiddenSize">Hidden size per direction.</param>
/// <param name="Layers">Number of stacked layers.</param>
/// <param name="Bidirectional">Whether each layer also reads the source right to left.</param>
/// <param name="Dropout">Dropout on the embeddings and between layers (training only).</param>
/// <param name="SourceVocabulary">Number of source token ids.</param>
public sealed record RnnEncoderConfig(
    RnnCellType CellType = RnnCellType.Lstm,
    int EmbeddingDim = 256,
    int HiddenSize = 512,
    int Layers = 1,
    bool Bidirectional = true,
    float Dropout = 0.1f,
    int SourceVocabulary = 32000)
{
    /// <summary>Width of the memory and of every final state: hidden size times directions.</summary>
    public int OutputDim => HiddenSize * (Bidirectional ? 2 : 1);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (EmbeddingDim <= 0) throw new ArgumentException($"RnnEncoderConfig: EmbeddingDim must be positive, got {EmbeddingDim}");
        if (HiddenSize <= 0) throw new ArgumentException($"RnnEncoderConfig: HiddenSize must be positive, got {HiddenSize}");
        if (Layers <= 0) throw new ArgumentException($"RnnEncoderConfig: Layers must be positive, got {Layers}");
        if (!(Dropout >= 0f && Dropout < 1f)) throw new ArgumentException($"RnnEncoderConfig: Dropout must be in [0, 1), got {Dropout}");
        if (SourceVocabulary <= 0) throw new ArgumentException($"RnnEncoderConfig: SourceVocabulary must be positive, got {SourceVocabulary}");
        if (!Enum.IsDefined(CellType)) throw new ArgumentException($"RnnEncoderConfig: unknown CellType {CellType}");
    }
}
