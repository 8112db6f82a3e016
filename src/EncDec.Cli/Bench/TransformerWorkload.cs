using EncDec.Models;
using EncDec.Tensors;

namespace EncDec.Cli.Bench;

/// <summary>
/// The fixed Transformer workload that <c>encdec bench train</c> and <c>encdec bench generate</c> measure, and that
/// <c>bench/pytorch_transformer.py</c> builds in PyTorch: the <c>transformer</c> preset (post-LN, dModel 256, 4 heads,
/// ffn 1024, 3 + 3 layers, sinusoidal positions, √dModel-scaled embeddings, ReLU) over one shared vocabulary of 8,000
/// ids (one embedding table for source and target, also used as the output projection), dropout 0, batches of 64
/// sentences with 30 source and 30 target tokens. The defaults are that workload; tests shrink it.
/// </summary>
/// <param name="Vocabulary">Ids in the shared source/target vocabulary.</param>
/// <param name="DModel">Model width.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="FfnDim">Hidden width of the feed-forward blocks.</param>
/// <param name="Layers">Encoder layers, and as many decoder layers.</param>
/// <param name="Batch">Sentences per batch.</param>
/// <param name="SourceLength">Tokens per source sentence (no padding).</param>
/// <param name="TargetLength">Target tokens per sentence: the teacher-forced length in training and the number of
/// tokens search emits per sentence.</param>
/// <param name="Seed">Seed of the weights and of the random ids.</param>
public sealed record TransformerWorkload(
    int Vocabulary = 8000,
    int DModel = 256,
    int Heads = 4,
    int FfnDim = 1024,
    int Layers = 3,
    int Batch = 64,
    int SourceLength = 30,
    int TargetLength = 30,
    ulong Seed = 1)
{
    /// <summary>The id fed to the decoder first; random ids avoid nothing, since nothing in the workload is special.</summary>
    public const int StartId = 1;

    /// <summary>Target tokens in one batch: <see cref="Batch"/> × <see cref="TargetLength"/>.</summary>
    public int TargetTokens => Batch * TargetLength;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field that is not positive or does not fit.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new[]
        {
            (nameof(Vocabulary), Vocabulary), (nameof(DModel), DModel), (nameof(Heads), Heads), (nameof(FfnDim), FfnDim),
            (nameof(Layers), Layers), (nameof(Batch), Batch), (nameof(SourceLength), SourceLength), (nameof(TargetLength), TargetLength),
        })
        {
            if (value <= 0) throw new ArgumentException($"TransformerWorkload: {name} must be positive, got {value}", name);
        }
        if (Vocabulary <= StartId)
            throw new ArgumentException($"TransformerWorkload: Vocabulary {Vocabulary} must exceed the start id {StartId}", nameof(Vocabulary));
        CreateConfig().Validate();
    }

    /// <summary>
    /// <see cref="ModelPresets"/>' <c>transformer</c> at this size, with dropout 0 and source, target and output
    /// sharing one table. The preset already ties the output projection to the target embedding; it is set again
    /// here so the workload does not silently change if the preset does.
    /// </summary>
    public ModelConfig CreateConfig()
    {
        var preset = ModelPresets.Get("transformer", Vocabulary, Vocabulary);
        return preset with
        {
            Seed = Seed,
            TieSourceTargetEmbeddings = true,
            Transformer = preset.Transformer! with
            {
                DModel = DModel, Heads = Heads, FfnDim = FfnDim, EncoderLayers = Layers, DecoderLayers = Layers,
                Dropout = 0f, TieOutputToEmbedding = true, PreNorm = false,
                MaxLength = Math.Max(preset.Transformer.MaxLength, Math.Max(SourceLength, TargetLength + 1)),
            },
        };
    }

    /// <summary>Builds the model (in training mode) with weights drawn from <see cref="Seed"/>.</summary>
    public EncoderDecoderModel BuildModel() => ModelBuilder.Build(CreateConfig());

    /// <summary>Uniformly random ids in [0, <see cref="Vocabulary"/>).</summary>
    /// <returns>(rows, columns) ids.</returns>
    public IntTensor RandomIds(RandomGenerator random, int rows, int columns)
    {
        var ids = IntTensor.Zeros(rows, columns);
        var span = ids.AsSpan();
        for (int i = 0; i < span.Length; i++) span[i] = random.NextInt(Vocabulary);
        return ids;
    }

    /// <summary>A padding mask with no padding: every sentence is <see cref="SourceLength"/> tokens long.</summary>
    /// <returns>(batch, srcLen) zeros.</returns>
    public Tensor NoPadding() => Tensor.Zeros(Batch, SourceLength);
}
