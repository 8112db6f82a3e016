using EncDec.Autograd;
using EncDec.Models.Inference;
using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>
/// The Transformer encoder: token embedding (<c>embed_tokens</c>, scaled by √dModel when configured)
/// plus absolute positions (<c>embed_positions</c>: sinusoidal or learned), an optional
/// <c>layernorm_embedding</c> (BART), dropout, <c>layers.N</c> (<see cref="TransformerEncoderLayer"/>) and, for
/// pre-LN, a final <c>layer_norm</c>. With relative positions (T5) there are no absolute positions; one
/// bidirectional <c>relative_attention_bias</c> is computed per forward and shared by every layer.
/// The memory is zeroed at padded positions, as <see cref="EncoderOutput"/> promises.
/// </summary>
public sealed class TransformerEncoder : Module, IEncoder, ISupportsInferencePrecision
{
    private readonly Embedding _embedTokens;
    private readonly Module? _positions, _embeddingNorm, _finalNorm;
    private readonly RelativePositionBias? _relativeBias;
    private readonly Dropout _dropout;
    private readonly IReadOnlyList<TransformerEncoderLayer> _layers;
    private readonly float _embeddingScale;
    private FrozenSnapshot<FrozenTransformerEncoder>? _frozen;

    /// <summary>Creates the encoder and draws its initial parameters from <paramref name="rng"/>.</summary>
    /// <param name="config">The model configuration; validated here.</param>
    /// <param name="rng">Source of the initial values and of the dropout masks.</param>
    public TransformerEncoder(TransformerConfig config, RandomGenerator rng)
    {
        config.Validate();
        Config = config;
        _embedTokens = RegisterModule("embed_tokens", TransformerEmbeddings.Create(config.SourceVocabulary, config, rng));
        if (TransformerEmbeddings.CreateAbsolutePositions(config, rng) is { } positions)
            _positions = RegisterModule("embed_positions", positions);
        else
            _relativeBias = RegisterModule("relative_attention_bias", new RelativePositionBias(config.Heads, rng, bidirectional: true));
        if (config.EmbeddingLayerNorm) _embeddingNorm = RegisterModule("layernorm_embedding", TransformerNorms.Create(config));
        _dropout = RegisterModule("dropout", new Dropout(config.Dropout, rng));
        _layers = RegisterModules("layers",
            Enumerable.Range(0, config.EncoderLayers).Select(_ => new TransformerEncoderLayer(config, rng)).ToList());
        if (config.PreNorm) _finalNorm = RegisterModule("layer_norm", TransformerNorms.Create(config));
        _embeddingScale = config.ScaleEmbeddings ? MathF.Sqrt(config.DModel) : 1f;
    }

    /// <summary>The configuration the encoder was built from.</summary>
    public TransformerConfig Config { get; }

    /// <inheritdoc/>
    public int OutputDim => Config.DModel;

    /// <inheritdoc/>
    public InferencePrecision InferencePrecision { get; set; }

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
        var x = TransformerEmbeddings.Combine(_embedTokens.Forward(sourceIds), _embeddingScale,
            _positions, _embeddingNorm, offset: 0);                                       // (batch, srcLen, dModel)
        x = _dropout.Forward(x);
        var positionBias = _relativeBias?.Forward(srcLen, srcLen);                        // (1, heads, srcLen, srcLen)
        // Gradients off and evaluation mode is how search encodes: the frozen layers skip autograd and copies.
        if (!GradMode.IsEnabled && !IsTraining)
            return Freeze().Encode(x, paddingMask, positionBias);
        foreach (var layer in _layers) x = layer.Forward(x, paddingMask, positionBias);
        if (_finalNorm is not null) x = TransformerNorms.Apply(_finalNorm, x);
        var memory = x.MaskedFill(paddingMask.Reshape(batch, srcLen, 1), 0f);
        return new EncoderOutput(memory, paddingMask, []);
    }

    /// <summary>The inference form of the layers (see <see cref="FrozenTransformerEncoder"/>), rebuilt when the
    /// checksum of the parameters changes.</summary>
    private FrozenTransformerEncoder Freeze()
    {
        var checksum = ContentChecksum.Of(Parameters());
        var precision = InferencePrecision;
        if (_frozen is { } cached && cached.Matches(checksum, precision)) return cached.Value;
        var frozen = new FrozenTransformerEncoder(_layers, _finalNorm, precision);
        _frozen = new FrozenSnapshot<FrozenTransformerEncoder>(checksum, precision, frozen);
        return frozen;
    }
}
