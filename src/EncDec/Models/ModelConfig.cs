namespace EncDec.Models;

/// <summary>
/// Everything needed to rebuild a model's architecture and initial weights: the family, the
/// family's sub-configuration(s), the vocabulary sizes and the initialisation seed.
/// <see cref="ModelBuilder.Build"/> turns it into an <see cref="EncoderDecoderModel"/>; it is stored as
/// <c>config.json</c> beside the weights (see <see cref="ModelFolder"/>). The vocabulary sizes are
/// repeated inside the sub-configurations (which need them to build alone); <see cref="Validate"/>
/// checks that the copies agree and <see cref="WithVocabularies"/> changes them all together.
/// </summary>
/// <param name="Family">Which architecture; decides which of the sub-configurations must be present.</param>
/// <param name="SourceVocabulary">Number of source token ids.</param>
/// <param name="TargetVocabulary">Number of target token ids (the logits' width).</param>
/// <param name="Seed">Seed of the <see cref="Tensors.RandomGenerator"/> that draws the initial weights and dropout masks.</param>
/// <param name="Transformer">The Transformer's shape; present exactly when <paramref name="Family"/> is Transformer.</param>
/// <param name="RnnEncoder">The recurrent encoder's shape; present exactly when <paramref name="Family"/> is Rnn.</param>
/// <param name="RnnDecoder">The recurrent decoder's shape; present exactly when <paramref name="Family"/> is Rnn.</param>
/// <param name="TieSourceTargetEmbeddings">The decoder looks tokens up in the encoder's embedding table (one shared
/// (vocab, emb) tensor, as BART's <c>shared</c> for a joint vocabulary); needs equal vocabularies and embedding widths.</param>
public sealed record ModelConfig(
    ModelFamily Family,
    int SourceVocabulary,
    int TargetVocabulary,
    ulong Seed,
    TransformerConfig? Transformer = null,
    RnnEncoderConfig? RnnEncoder = null,
    RnnDecoderConfig? RnnDecoder = null,
    bool TieSourceTargetEmbeddings = false)
{
    /// <summary>A copy with both vocabulary sizes changed here and in every sub-configuration.</summary>
    public ModelConfig WithVocabularies(int sourceVocabulary, int targetVocabulary) => this with
    {
        SourceVocabulary = sourceVocabulary,
        TargetVocabulary = targetVocabulary,
        Transformer = Transformer is null ? null
            : Transformer with { SourceVocabulary = sourceVocabulary, TargetVocabulary = targetVocabulary },
        RnnEncoder = RnnEncoder is null ? null : RnnEncoder with { SourceVocabulary = sourceVocabulary },
        RnnDecoder = RnnDecoder is null ? null : RnnDecoder with { TargetVocabulary = targetVocabulary },
    };

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the first problem: a sub-configuration missing or
    /// present against <see cref="Family"/>, an invalid sub-configuration, vocabulary sizes that disagree,
    /// tied embeddings over unequal vocabularies or embedding widths, or an RNN decoder that starts from the encoder's states when the encoder's cell type or layer
    /// count differs (the decoder maps encoder layer l's final state to its own layer l and reads h and c
    /// only when both are LSTMs).
    /// </summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Family)) throw Invalid($"unknown Family {Family}");
        if (SourceVocabulary <= 0) throw Invalid($"SourceVocabulary must be positive, got {SourceVocabulary}");
        if (TargetVocabulary <= 0) throw Invalid($"TargetVocabulary must be positive, got {TargetVocabulary}");
        if (Family == ModelFamily.Transformer) ValidateTransformer(); else ValidateRnn();
        if (TieSourceTargetEmbeddings) ValidateTying();
    }

    private void ValidateTying()
    {
        RequireSame(TargetVocabulary, SourceVocabulary, "TieSourceTargetEmbeddings: TargetVocabulary", "SourceVocabulary");
        if (Family == ModelFamily.Rnn)
            RequireSame(RnnDecoder!.EmbeddingDim, RnnEncoder!.EmbeddingDim,
                "TieSourceTargetEmbeddings: RnnDecoder.EmbeddingDim", "RnnEncoder.EmbeddingDim");
    }

    private void ValidateTransformer()
    {
        if (Transformer is null) throw Invalid("Family Transformer needs a Transformer configuration");
        if (RnnEncoder is not null || RnnDecoder is not null)
            throw Invalid("Family Transformer must not carry RnnEncoder or RnnDecoder configurations");
        Transformer.Validate();
        RequireSame(Transformer.SourceVocabulary, SourceVocabulary, "Transformer.SourceVocabulary", "SourceVocabulary");
        RequireSame(Transformer.TargetVocabulary, TargetVocabulary, "Transformer.TargetVocabulary", "TargetVocabulary");
    }

    private void ValidateRnn()
    {
        if (RnnEncoder is null || RnnDecoder is null) throw Invalid("Family Rnn needs both RnnEncoder and RnnDecoder configurations");
        if (Transformer is not null) throw Invalid("Family Rnn must not carry a Transformer configuration");
        RnnEncoder.Validate();
        RnnDecoder.Validate(RnnEncoder.OutputDim);
        RequireSame(RnnEncoder.SourceVocabulary, SourceVocabulary, "RnnEncoder.SourceVocabulary", "SourceVocabulary");
        RequireSame(RnnDecoder.TargetVocabulary, TargetVocabulary, "RnnDecoder.TargetVocabulary", "TargetVocabulary");
        if (!RnnDecoder.InitFromEncoder) return;
        if (RnnEncoder.CellType != RnnDecoder.CellType)
            throw Invalid($"RnnDecoder.InitFromEncoder needs the encoder's cell type ({RnnEncoder.CellType}) to equal the decoder's ({RnnDecoder.CellType})");
        if (RnnEncoder.Layers != RnnDecoder.Layers)
            throw Invalid($"RnnDecoder.InitFromEncoder needs the encoder's layer count ({RnnEncoder.Layers}) to equal the decoder's ({RnnDecoder.Layers})");
    }

    private static void RequireSame(int inner, int outer, string innerName, string outerName)
    {
        if (inner != outer) throw Invalid($"{innerName} {inner} differs from {outerName} {outer}");
    }

    private static ArgumentException Invalid(string message) => new($"ModelConfig: {message}");

    /// <summary>Writes this configuration as indented camelCase JSON, atomically (temporary file, then move over <paramref name="path"/>).</summary>
    public void Save(string path) => ModelConfigJson.Save(this, path);

    /// <summary>
    /// Reads a configuration written by <see cref="Save"/> and validates it. Invalid JSON, an unknown
    /// or missing field, or an invalid configuration throw <see cref="InvalidDataException"/> naming the
    /// file and the field.
    /// </summary>
    public static ModelConfig Load(string path) => ModelConfigJson.Load(path);
}
