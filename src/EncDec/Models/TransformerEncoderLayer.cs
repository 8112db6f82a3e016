using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>
/// One encoder layer with fairseq/BART names: <c>self_attn</c>, <c>self_attn_layer_norm</c>, <c>ffn</c>
/// (fc1, fc2) and <c>final_layer_norm</c>.
/// <para>post-LN (Vaswani): x = LN(x + drop(SelfAttn(x))); x = LN(x + drop(FFN(x))).</para>
/// <para>pre-LN: x = x + drop(SelfAttn(LN(x))); x = x + drop(FFN(LN(x))).</para>
/// Dropout is applied to the residual branches only (attention and activation dropout are 0).
/// <para>The config chooses the norm kind, biases and attention scaling (T5: RMS norm, no biases,
/// unscaled); with relative positions the stack passes the shared bias to every layer.</para>
/// </summary>
public sealed class TransformerEncoderLayer : Module
{
    private readonly MultiHeadAttention _selfAttention;
    private readonly Module _selfAttentionNorm, _finalNorm;
    private readonly FeedForward _feedForward;
    private readonly Dropout _dropout;

    /// <summary>Creates the layer and draws its initial parameters from <paramref name="rng"/>.</summary>
    /// <param name="config">A validated configuration.</param>
    /// <param name="rng">Source of the initial values and of the dropout masks.</param>
    public TransformerEncoderLayer(TransformerConfig config, RandomGenerator rng)
    {
        PreNorm = config.PreNorm;
        _selfAttention = RegisterModule("self_attn", new MultiHeadAttention(config.DModel, config.Heads, rng,
            bias: config.Bias, scaled: config.ScaleAttention));
        _selfAttentionNorm = RegisterModule("self_attn_layer_norm", TransformerNorms.Create(config));
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

    internal FeedForward FeedForwardBlock => _feedForward;

    internal Module FinalNormBlock => _finalNorm;

    /// <summary>Applies the layer.</summary>
    /// <param name="x">(batch, srcLen, dModel)</param>
    /// <param name="paddingMask">(batch, srcLen), nonzero at padding (masked as keys).</param>
    /// <param name="positionBias">(1, heads, srcLen, srcLen) relative-position bias shared by the stack, or null.</param>
    /// <returns>(batch, srcLen, dModel)</returns>
    public Tensor Forward(Tensor x, Tensor paddingMask, Tensor? positionBias = null)
    {
        var h = PreNorm ? TransformerNorms.Apply(_selfAttentionNorm, x) : x;
        var (attended, _) = _selfAttention.Forward(h, h, h, paddingMask, positionBias: positionBias);
        x = x.Add(_dropout.Forward(attended));
        if (!PreNorm) x = TransformerNorms.Apply(_selfAttentionNorm, x);

        h = PreNorm ? TransformerNorms.Apply(_finalNorm, x) : x;
        x = x.Add(_dropout.Forward(_feedForward.Forward(h)));
        return PreNorm ? x : TransformerNorms.Apply(_finalNorm, x);
    }
}
