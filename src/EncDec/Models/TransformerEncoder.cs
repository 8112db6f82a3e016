using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>
/// The Transformer encoder: token embedding (<c>embed_tokens</c>, scaled by √dModel when configured)
/// plus sinusoidal positions, dropout, <c>layers.N</c> (<see cref="TransformerEncoderLayer"/>) and, for
/// pre-LN, a final <c>layer_norm</c>. The memory is zeroed at padded positions, as
/// <see cref="EncoderOutput"/> promises.
/// </summary>
public sealed class TransformerEncoder : Module, IEncoder
{
    private readonly Embedding _embedTokens;
    private readonly SinusoidalPositionalEmbedding _positions;
    private readonly Dropout _dropout;
    private readonly IReadOnlyList<TransformerEncoderLayer> _layers;
    private readonly LayerNorm? _finalNorm;
    private readonly float _embeddingScale;

    /// <summary>Creates the encoder and draws its initial parameters from <paramref name="rng"/>.</summary>
    /// <param name="config">The model configuration; validated here.</param>
    /// <param name="rng">Source of the initial values and of the dropout masks.</param>
    public TransformerEncoder(TransformerConfig config, RandomGenerator rng)
    {
        config.Validate();
        Config = config;
        _embedTokens = RegisterModule("embed_tokens", TransformerEmbeddings.Create(config.SourceVocabulary, config, rng));
        _positions = RegisterModule("embed_positions", new SinusoidalPositionalEmbedding(config.MaxLength, config.DModel));
        _dropout = RegisterModule("dropout", new Dropout(config.Dropout, rng));
        _layers = RegisterModules("layers",
            Enumerable.Range(0, config.EncoderLayers).Select(_ => new TransformerEncoderLayer(config, rng)).ToList());
        if (config.PreNorm) _finalNorm = RegisterModule("layer_norm", new LayerNorm(config.DModel));
        _embeddingScale = config.ScaleEmbeddings ? MathF.Sqrt(config.DModel) : 1f;
    }

    /// <summary>The configuration the encoder was built from.</summary>
    public TransformerConfig Config { get; }

    /// <inheritdoc/>
    public int OutputDim => Config.DModel;

    /// <summary>The token embedding table (vocab, dModel).</summary>
    public Embedding EmbedTokens => _embedTokens;

    /// <inheritdoc/>
    public EncoderOutput Encode(IntTensor sourceIds, Tensor paddingMask)
    {
        if (sourceIds.Rank != 2 || paddingMask.Rank != 2
            || paddingMask.Dim(0) != sourceIds.Shape[0] || paddingMask.Dim(1) != sourceIds.Shape[1])
            throw new ShapeMismatchException("TransformerEncoder",
                $"sourceIds {ShapeMath.Format(sourceIds.Shape)} and paddingMask {ShapeMath.Format(paddingMask.Shape)} must both be (batch, srcLen)");
        int batch = sourceIds.Shape[0], srcLen = sourceIds.Shape[1];
        var x = _embedTokens.Forward(sourceIds).Multiply(_embeddingScale)   // (batch, srcLen, dModel)
            .Add(_positions.Forward(srcLen));
        x = _dropout.Forward(x);
        foreach (var layer in _layers) x = layer.Forward(x, paddingMask);
        if (_finalNorm is not null) x = _finalNorm.Forward(x);
        var memory = x.MaskedFill(paddingMask.Reshape(batch, srcLen, 1), 0f);
        return new EncoderOutput(memory, paddingMask, []);
    }
}
