using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>
/// One decoder layer with fairseq/BART names: <c>self_attn</c>, <c>self_attn_layer_norm</c>,
/// <c>encoder_attn</c>, <c>encoder_attn_layer_norm</c>, <c>ffn</c> (fc1, fc2) and <c>final_layer_norm</c>.
/// <para>post-LN: x = LN(x + drop(CausalSelfAttn(x))); x = LN(x + drop(CrossAttn(x, memory)));
/// x = LN(x + drop(FFN(x))). pre-LN normalises the input of each sub-block instead and leaves the
/// residual stream unnormalised.</para>
/// <para>The same method serves teacher forcing (all positions, no cache) and incremental decoding
/// (new positions, self-attention keys/values appended to a cache); both see exactly the same keys.</para>
/// <para>The config chooses the norm kind, biases and attention scaling; with relative positions the
/// decoder passes its causal bias for the new positions to the self-attention (none to cross-attention,
/// as in T5).</para>
/// </summary>
public sealed class TransformerDecoderLayer : Module
{
    private readonly MultiHeadAttention _selfAttention, _crossAttention;
    private readonly Module _selfAttentionNorm, _crossAttentionNorm, _finalNorm;
    private readonly FeedForward _feedForward;
    private readonly Dropout _dropout;

    /// <summary>Creates the layer and draws its initial parameters from <paramref name="rng"/>.</summary>
    /// <param name="config">A validated configuration.</param>
    /// <param name="rng">Source of the initial values and of the dropout masks.</param>
    public TransformerDecoderLayer(TransformerConfig config, RandomGenerator rng)
    {
        PreNorm = config.PreNorm;
        _selfAttention = RegisterModule("self_attn",
            new MultiHeadAttention(config.DModel, config.Heads, rng, bias: config.Bias, scaled: config.ScaleAttention));
        _selfAttentionNorm = RegisterModule("self_attn_layer_norm", TransformerNorms.Create(config));
        _crossAttention = RegisterModule("encoder_attn",
            new MultiHeadAttention(config.DModel, config.Heads, rng, bias: config.Bias, scaled: config.ScaleAttention));
        _crossAttentionNorm = RegisterModule("encoder_attn_layer_norm", TransformerNorms.Create(config));
        _feedForward = RegisterModule("ffn",
            new FeedForward(config.DModel, config.FfnDim, config.Activation, bias: config.Bias, dropout: 0f, rng));
        _finalNorm = RegisterModule("final_layer_norm", TransformerNorms.Create(config));
        _dropout = RegisterModule("dropout", new Dropout(config.Dropout, rng));
    }

    /// <summary>Whether the layer normalises before (true) or after (false) each sub-block.</summary>
    public bool PreNorm { get; }

    /// <summary>The sub-blocks, for freezing.</summary>
    internal MultiHeadAttention SelfAttentionBlock => _selfAttention;

    internal Module SelfAttentionNormBlock => _selfAttentionNorm;

    internal MultiHeadAttention CrossAttentionBlock => _crossAttention;

    internal Module CrossAttentionNormBlock => _crossAttentionNorm;

    internal FeedForward FeedForwardBlock => _feedForward;

    internal Module FinalNormBlock => _finalNorm;

    /// <summary>Projects a memory into this layer's cross-attention keys and values (once per source).</summary>
    /// <param name="memory">(batch, srcLen, dModel)</param>
    /// <returns>K and V, each (batch, heads, srcLen, headDim).</returns>
    public (Tensor K, Tensor V) ProjectMemory(Tensor memory) => _crossAttention.ProjectKeyValue(memory);

    /// <summary>Applies the layer to the newest <c>len</c> target positions.</summary>
    /// <param name="x">(batch, len, dModel): the new positions (all of them under teacher forcing).</param>
    /// <param name="selfKeys">(batch, heads, past, headDim) cached self-attention keys, or null when there
    /// are none; replaced by the cache extended with the new positions, (batch, heads, past + len, headDim).</param>
    /// <param name="selfValues">Like <paramref name="selfKeys"/>, for the values.</param>
    /// <param name="crossKeys">(batch, heads, srcLen, headDim) from <see cref="ProjectMemory"/>.</param>
    /// <param name="crossValues">(batch, heads, srcLen, headDim) from <see cref="ProjectMemory"/>.</param>
    /// <param name="sourcePaddingMask">(batch, srcLen), nonzero at padded source positions.</param>
    /// <param name="selfPositionBias">(1, heads, len, past + len) relative-position bias of the new positions
    /// over all self-attention keys, or null.</param>
    /// <returns>(batch, len, dModel), and the cross-attention weights (batch, heads, len, srcLen).</returns>
    public (Tensor Output, Tensor CrossWeights) Forward(Tensor x, ref Tensor? selfKeys, ref Tensor? selfValues,
        Tensor crossKeys, Tensor crossValues, Tensor sourcePaddingMask, Tensor? selfPositionBias = null)
    {
        var h = PreNorm ? TransformerNorms.Apply(_selfAttentionNorm, x) : x;
        var (newKeys, newValues) = _selfAttention.ProjectKeyValue(h);   // each (batch, heads, len, headDim)
        selfKeys = selfKeys is null ? newKeys : TensorOps.Concat(2, selfKeys, newKeys);
        selfValues = selfValues is null ? newValues : TensorOps.Concat(2, selfValues, newValues);
        // Causal alignment to the end of the keys puts new position t at past + t.
        var (attended, _) = _selfAttention.Attend(h, selfKeys, selfValues, causal: true, positionBias: selfPositionBias);
        x = x.Add(_dropout.Forward(attended));
        if (!PreNorm) x = TransformerNorms.Apply(_selfAttentionNorm, x);

        h = PreNorm ? TransformerNorms.Apply(_crossAttentionNorm, x) : x;
        var (context, weights) = _crossAttention.Attend(h, crossKeys, crossValues, sourcePaddingMask, returnWeights: true);
        x = x.Add(_dropout.Forward(context));
        if (!PreNorm) x = TransformerNorms.Apply(_crossAttentionNorm, x);

        h = PreNorm ? TransformerNorms.Apply(_finalNorm, x) : x;
        x = x.Add(_dropout.Forward(_feedForward.Forward(h)));
        return (PreNorm ? x : TransformerNorms.Apply(_finalNorm, x), weights!);
    }
}
