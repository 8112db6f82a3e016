using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// Multi-head scaled dot-product attention (Vaswani et al. 2017) with Hugging Face BART parameter
/// names: children <c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c> (dModel → heads·headDim) and
/// <c>out_proj</c> (heads·headDim → dModel).
/// <para>weights = softmax(q·kᵀ · s + positionBias, masked), output = out_proj(merge(dropout(weights) · v)), with
/// s = 1/√headDim when <see cref="Scaled"/> (T5 is unscaled and folds the scale into its init); everything between
/// the projections is one <see cref="AttentionOp"/>.</para>
/// <para>Masked scores are set to <see cref="MaskValue"/> (-1e9), not -∞: exp underflows to exactly 0,
/// so masked keys have no influence at all, while a row with every key masked still yields a finite
/// (uniform) distribution instead of NaN.</para>
/// <para>For decoding, <see cref="ProjectKeyValue"/> projects a memory once (cross-attention) or the
/// newest positions (self-attention, concatenated onto a cache along axis 2), and
/// <see cref="Attend"/> attends with the projected keys and values.</para>
/// </summary>
public sealed class MultiHeadAttention : Module
{
    /// <summary>The score given to masked (query, key) pairs before the softmax.</summary>
    public const float MaskValue = -1e9f;

    private readonly Linear _qProj, _kProj, _vProj, _outProj;
    private readonly Dropout _dropout;

    /// <summary>Creates the layer and draws its initial parameters from <paramref name="rng"/>.</summary>
    /// <param name="dModel">Model size of queries, keys, values and output.</param>
    /// <param name="heads">Number of heads.</param>
    /// <param name="rng">Source of the initial values and of the attention-dropout masks.</param>
    /// <param name="bias">Whether the projections have biases (T5: false).</param>
    /// <param name="dropout">Dropout probability on the attention weights.</param>
    /// <param name="scaled">Whether scores are scaled by 1/√headDim (T5: false).</param>
    /// <param name="headDim">Size of each head; default dModel / heads (T5's d_kv may differ).</param>
    public MultiHeadAttention(int dModel, int heads, RandomGenerator rng, bool bias = true, float dropout = 0f,
        bool scaled = true, int? headDim = null)
    {
        if (dModel <= 0 || heads <= 0)
            throw new ArgumentOutOfRangeException(nameof(dModel),
                $"MultiHeadAttention: dModel and heads must be positive, got dModel {dModel}, heads {heads}");
        if (headDim is null && dModel % heads != 0)
            throw new ArgumentException($"MultiHeadAttention: dModel {dModel} is not divisible by heads {heads}", nameof(heads));
        if (headDim is <= 0)
            throw new ArgumentOutOfRangeException(nameof(headDim), $"MultiHeadAttention: headDim must be positive, got {headDim}");
        DModel = dModel;
        Heads = heads;
        HeadDim = headDim ?? dModel / heads;
        Scaled = scaled;
        int inner = Heads * HeadDim;
        _qProj = RegisterModule("q_proj", new Linear(dModel, inner, bias, rng));
        _kProj = RegisterModule("k_proj", new Linear(dModel, inner, bias, rng));
        _vProj = RegisterModule("v_proj", new Linear(dModel, inner, bias, rng));
        _outProj = RegisterModule("out_proj", new Linear(inner, dModel, bias, rng));
        _dropout = RegisterModule("dropout", new Dropout(dropout, rng));
    }

    /// <summary>Model size.</summary>
    public int DModel { get; }

    /// <summary>Number of heads.</summary>
    public int Heads { get; }

    /// <summary>Size of each head.</summary>
    public int HeadDim { get; }

    /// <summary>Whether scores are scaled by 1/√headDim.</summary>
    public bool Scaled { get; }

    /// <summary>The projections, for freezing.</summary>
    internal Linear QProj => _qProj;

    internal Linear KProj => _kProj;

    internal Linear VProj => _vProj;

    internal Linear OutProj => _outProj;

    /// <summary>Full attention: projects query, key and value, then <see cref="Attend"/>.</summary>
    /// <param name="query">(batch, tgtLen, dModel)</param>
    /// <param name="key">(batch, srcLen, dModel)</param>
    /// <param name="value">(batch, srcLen, dModel)</param>
    /// <param name="keyPaddingMask">(batch, srcLen), nonzero at padded keys; or null.</param>
    /// <param name="causal">Whether query t may only see keys up to t (aligned to the end of the keys).</param>
    /// <param name="positionBias">(1 or batch, heads, tgtLen, srcLen) added to the scores; or null.</param>
    /// <param name="returnWeights">Whether to return the attention weights (for inspection: no gradient flows back
    /// through them).</param>
    /// <returns>output (batch, tgtLen, dModel) and weights (batch, heads, tgtLen, srcLen) or null.</returns>
    public (Tensor Output, Tensor? Weights) Forward(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask = null,
        bool causal = false, Tensor? positionBias = null, bool returnWeights = false)
    {
        CheckModelInput("query", query);
        CheckModelInput("key", key);
        CheckModelInput("value", value);
        if (key.Dim(0) != value.Dim(0) || key.Dim(1) != value.Dim(1))
            throw new ShapeMismatchException("MultiHeadAttention", key.Shape, value.Shape, "key and value must have the same batch and length");
        var (k, v) = ProjectKeyValue(key, value);
        return Attend(query, k, v, keyPaddingMask, causal, positionBias, returnWeights);
    }

    /// <summary>Projects keys and values once, split into heads, for caching.</summary>
    /// <param name="key">(batch, srcLen, dModel), e.g. the encoder output.</param>
    /// <param name="value">(batch, srcLen, dModel); null means the same tensor as <paramref name="key"/>.</param>
    /// <returns>k and v, each (batch, heads, srcLen, headDim).</returns>
    public (Tensor K, Tensor V) ProjectKeyValue(Tensor key, Tensor? value = null)
    {
        CheckModelInput("key", key);
        value ??= key;
        CheckModelInput("value", value);
        return (SplitHeads(_kProj.Forward(key)), SplitHeads(_vProj.Forward(value)));
    }

    /// <summary>Attention of (unprojected) queries over already projected keys and values.</summary>
    /// <param name="query">(batch, tgtLen, dModel)</param>
    /// <param name="k">(batch, heads, srcLen, headDim), from <see cref="ProjectKeyValue"/>.</param>
    /// <param name="v">(batch, heads, srcLen, headDim)</param>
    /// <param name="keyPaddingMask">(batch, srcLen), nonzero at padded keys; or null.</param>
    /// <param name="causal">Query t (of tgtLen) sits at key position srcLen - tgtLen + t and sees keys up to it.</param>
    /// <param name="positionBias">(1 or batch, heads, tgtLen, srcLen) added to the scores; or null.</param>
    /// <param name="returnWeights">Whether to return the attention weights (for inspection: no gradient flows back
    /// through them).</param>
    /// <returns>output (batch, tgtLen, dModel) and weights (batch, heads, tgtLen, srcLen) or null.</returns>
    public (Tensor Output, Tensor? Weights) Attend(Tensor query, Tensor k, Tensor v, Tensor? keyPaddingMask = null,
        bool causal = false, Tensor? positionBias = null, bool returnWeights = false)
    {
        CheckModelInput("query", query);
        int batch = query.Dim(0), tgtLen = query.Dim(1);
        CheckHeads("k", k, batch);
        CheckHeads("v", v, batch);
        int srcLen = k.Dim(2);
        if (v.Dim(2) != srcLen)
            throw new ShapeMismatchException("MultiHeadAttention", k.Shape, v.Shape, "k and v must have the same length");

        var q = SplitHeads(_qProj.Forward(query));                       // (batch, heads, tgtLen, headDim)
        // AttentionOp checks the mask, the bias and causality against these shapes.
        var dropout = _dropout.Factors([batch, Heads, tgtLen, srcLen]);   // null unless training with p > 0
        var merged = AttentionOp.Forward(q, k, v, Scaled ? 1f / MathF.Sqrt(HeadDim) : 1f, keyPaddingMask, causal,
            positionBias, dropout, out var weights);                     // (batch, tgtLen, heads·headDim)
        return (_outProj.Forward(merged), returnWeights ? weights : null);
    }

    /// <summary>(batch, len, heads·headDim) → (batch, heads, len, headDim).</summary>
    private Tensor SplitHeads(Tensor x) => x.Reshape(x.Dim(0), x.Dim(1), Heads, HeadDim).Permute(0, 2, 1, 3);

    private void CheckModelInput(string name, Tensor x)
    {
        if (x.Rank != 3 || x.Dim(2) != DModel)
            throw new ShapeMismatchException("MultiHeadAttention",
                $"{name} {ShapeMath.Format(x.Shape)} must be (batch, len, dModel {DModel})");
    }

    private void CheckHeads(string name, Tensor x, int batch)
    {
        if (x.Rank != 4 || x.Dim(0) != batch || x.Dim(1) != Heads || x.Dim(3) != HeadDim)
            throw new ShapeMismatchException("MultiHeadAttention",
                $"{name} {ShapeMath.Format(x.Shape)} must be (batch {batch}, heads {Heads}, srcLen, headDim {HeadDim})");
    }
}
