using EncDec.Autograd;
using EncDec.Models.Inference;
using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>
/// The Transformer decoder: token embedding (<c>embed_tokens</c>, scaled by √dModel when configured)
/// plus absolute positions (<c>embed_positions</c>), an optional <c>layernorm_embedding</c>, dropout,
/// <c>layers.N</c> (<see cref="TransformerDecoderLayer"/>), for pre-LN a final <c>layer_norm</c>, and the
/// vocabulary projection: <c>output_projection</c> (vocab, dModel) without bias, or the embedding table
/// itself when tied, plus <c>final_logits_bias</c> (vocab) when configured (BART, Marian).
/// <para>With relative positions (T5) one causal <c>relative_attention_bias</c> is computed per forward
/// (per step: for query position <see cref="IDecoderState.Length"/> over keys 0 .. Length) and shared by
/// every layer's self-attention.</para>
/// <para>Teacher-forced <see cref="Forward"/> and <see cref="Start"/> + <see cref="Step"/> run the same
/// layer code; the step version feeds one position and appends to the per-layer caches.</para>
/// </summary>
public sealed class TransformerDecoder : Module, IDecoder, ISupportsInferencePrecision
{
    private readonly Embedding _embedTokens;
    private readonly Module? _positions, _embeddingNorm, _finalNorm;
    private readonly RelativePositionBias? _relativeBias;
    private readonly Dropout _dropout;
    private readonly IReadOnlyList<TransformerDecoderLayer> _layers;
    private readonly Linear? _outputProjection;
    private readonly Tensor? _finalLogitsBias;
    private readonly float _embeddingScale;
    private FrozenSnapshot<FrozenTransformerDecoder>? _frozen;

    /// <summary>Creates the decoder and draws its initial parameters from <paramref name="rng"/>.</summary>
    /// <param name="config">The model configuration; validated here.</param>
    /// <param name="rng">Source of the initial values and of the dropout masks.</param>
    /// <param name="sharedEmbedding">The encoder's (vocab, dModel) token embedding to use instead of an own one
    /// (source/target tying); not registered here, so its table is listed, counted and updated once, under the encoder.</param>
    public TransformerDecoder(TransformerConfig config, RandomGenerator rng, Embedding? sharedEmbedding = null)
    {
        config.Validate();
        Config = config;
        _embedTokens = sharedEmbedding ?? RegisterModule("embed_tokens", TransformerEmbeddings.Create(config.TargetVocabulary, config, rng));
        if (TransformerEmbeddings.CreateAbsolutePositions(config, rng) is { } positions)
            _positions = RegisterModule("embed_positions", positions);
        else
            _relativeBias = RegisterModule("relative_attention_bias", new RelativePositionBias(config.Heads, rng, bidirectional: false));
        if (config.EmbeddingLayerNorm) _embeddingNorm = RegisterModule("layernorm_embedding", TransformerNorms.Create(config));
        _dropout = RegisterModule("dropout", new Dropout(config.Dropout, rng));
        _layers = RegisterModules("layers",
            Enumerable.Range(0, config.DecoderLayers).Select(_ => new TransformerDecoderLayer(config, rng)).ToList());
        if (config.PreNorm) _finalNorm = RegisterModule("layer_norm", TransformerNorms.Create(config));
        if (!config.TieOutputToEmbedding)
            _outputProjection = RegisterModule("output_projection", new Linear(config.DModel, config.TargetVocabulary, bias: false, rng));
        if (config.FinalLogitsBias)
            _finalLogitsBias = RegisterParameter("final_logits_bias", Tensor.AllocateZeros([config.TargetVocabulary], persistent: true));
        _embeddingScale = config.ScaleEmbeddings ? MathF.Sqrt(config.DModel) : 1f;
    }

    /// <summary>The configuration the decoder was built from.</summary>
    public TransformerConfig Config { get; }

    /// <inheritdoc/>
    public int MemoryDim => Config.DModel;

    /// <inheritdoc/>
    public int VocabularySize => Config.TargetVocabulary;

    /// <inheritdoc/>
    public InferencePrecision InferencePrecision { get; set; }

    /// <inheritdoc/>
    public Tensor Forward(IntTensor targetInput, EncoderOutput encoded)
    {
        CheckMemory(encoded);
        if (targetInput.Rank != 2 || targetInput.Shape[0] != encoded.BatchSize)
            throw new ShapeMismatchException("TransformerDecoder",
                $"targetInput {ShapeMath.Format(targetInput.Shape)} must be (batch {encoded.BatchSize}, tgtLen)");
        int tgtLen = targetInput.Shape[1];
        var x = Embed(targetInput, offset: 0);                       // (batch, tgtLen, dModel)
        var positionBias = _relativeBias?.Forward(tgtLen, tgtLen);   // (1, heads, tgtLen, tgtLen)
        foreach (var layer in _layers)
        {
            var (crossKeys, crossValues) = layer.ProjectMemory(encoded.Memory);
            Tensor? keys = null, values = null;
            (x, _) = layer.Forward(x, ref keys, ref values, crossKeys, crossValues, encoded.PaddingMask, positionBias);
        }
        return Project(x);   // (batch, tgtLen, vocab)
    }

    /// <inheritdoc/>
    public IDecoderState Start(EncoderOutput encoded)
    {
        CheckMemory(encoded);
        if (!GradMode.IsEnabled && !IsTraining) return Freeze().Start(encoded);
        var crossKeys = new Tensor[_layers.Count];
        var crossValues = new Tensor[_layers.Count];
        for (int i = 0; i < _layers.Count; i++)
            (crossKeys[i], crossValues[i]) = _layers[i].ProjectMemory(encoded.Memory);
        return new TransformerDecoderState(crossKeys, crossValues, encoded.PaddingMask);
    }

    /// <inheritdoc/>
    public Tensor Step(IntTensor tokens, IDecoderState state)
    {
        if (tokens.Rank != 1 || tokens.Shape[0] != state.BatchSize)
            throw new ShapeMismatchException("TransformerDecoder",
                $"tokens {ShapeMath.Format(tokens.Shape)} must be (batch {state.BatchSize})");
        if (state is FrozenDecoderState frozen) return frozen.Decoder.Step(tokens, frozen);
        if (state is not TransformerDecoderState cache)
            throw new ArgumentException($"TransformerDecoder: expected a {nameof(TransformerDecoderState)}, got {state.GetType().Name}", nameof(state));
        int batch = cache.BatchSize;
        var ids = new IntTensor(tokens.AsSpan(), batch, 1);
        var x = Embed(ids, offset: cache.Length);   // (batch, 1, dModel)
        // The new query sits at position Length and sees keys 0 .. Length.
        var positionBias = _relativeBias?.Forward(1, cache.Length + 1, queryOffset: cache.Length);   // (1, heads, 1, Length + 1)
        var crossWeights = new Tensor[_layers.Count];   // each (batch, heads, 1, srcLen)
        for (int i = 0; i < _layers.Count; i++)
        {
            Tensor? keys = cache.SelfKeys(i), values = cache.SelfValues(i);
            (x, crossWeights[i]) = _layers[i].Forward(x, ref keys, ref values,
                cache.CrossKeys(i), cache.CrossValues(i), cache.SourcePaddingMask, positionBias);
            cache.SetSelfCache(i, keys!, values!);
        }
        int srcLen = cache.SourcePaddingMask.Dim(1), heads = Config.Heads;
        var allHeads = (crossWeights.Length == 1 ? crossWeights[0] : TensorOps.Concat(1, crossWeights))
            .Reshape(batch, _layers.Count, heads, srcLen);   // (batch, layers, heads, srcLen)
        cache.Advance(crossWeights[^1].Mean(1).Reshape(batch, srcLen), allHeads);
        return Project(x).Reshape(batch, VocabularySize);
    }

    /// <summary>
    /// The inference form of this decoder (see <see cref="FrozenTransformerDecoder"/>): <see cref="Start"/> returns
    /// its state whenever gradients are off and the decoder is in evaluation mode, which is how search runs. It is
    /// rebuilt when the checksum of the parameters changes (a few milliseconds, against about one for the checksum).
    /// </summary>
    private FrozenTransformerDecoder Freeze()
    {
        var checksum = ContentChecksum.Of(Parameters().Append(_embedTokens.Weight));
        var precision = InferencePrecision;
        if (_frozen is { } cached && cached.Matches(checksum, precision)) return cached.Value;
        var table = (_outputProjection?.Weight ?? _embedTokens.Weight).AsSpan();   // (vocab, dModel)
        var bias = _finalLogitsBias is null ? default : _finalLogitsBias.AsSpan();
        var output = new FrozenLinear(precision, table, VocabularySize, Config.DModel, bias);
        var frozen = new FrozenTransformerDecoder(_layers, _finalNorm, output, Embed,
            length => _relativeBias?.Forward(1, length + 1, queryOffset: length), precision);
        _frozen = new FrozenSnapshot<FrozenTransformerDecoder>(checksum, precision, frozen);
        return frozen;
    }

    /// <summary>Scaled token embeddings plus the positions offset .., the embedding norm, then dropout: (batch, len, dModel).</summary>
    private Tensor Embed(IntTensor ids, int offset) =>
        _dropout.Forward(TransformerEmbeddings.Combine(_embedTokens.Forward(ids), _embeddingScale, _positions, _embeddingNorm, offset));

    /// <summary>(batch, len, dModel) → (batch, len, vocab) logits.</summary>
    private Tensor Project(Tensor x)
    {
        if (_finalNorm is not null) x = TransformerNorms.Apply(_finalNorm, x);
        var logits = _outputProjection is not null ? _outputProjection.Forward(x) : x.MatMul(_embedTokens.Weight, transposeB: true);
        return _finalLogitsBias is null ? logits : logits.Add(_finalLogitsBias);
    }

    private void CheckMemory(EncoderOutput encoded)
    {
        if (encoded.MemoryDim != Config.DModel)
            throw new ShapeMismatchException("TransformerDecoder",
                $"memory {ShapeMath.Format(encoded.Memory.Shape)} must have width dModel {Config.DModel}");
    }
}
