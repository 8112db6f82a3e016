using EncDec.Kernels;

namespace EncDec.Models.Inference;

/// <summary>
/// A <see cref="TransformerEncoderLayer"/> frozen for inference, updating the residual stream in place:
/// post-LN x = LN(x + SelfAttn(x)); x = LN(x + FFN(x)), pre-LN x += SelfAttn(LN(x)); x += FFN(LN(x)).
/// </summary>
internal sealed class FrozenEncoderLayer
{
    private readonly bool _preNorm;
    private readonly FrozenAttention _attention;
    private readonly FrozenNorm _attentionNorm, _finalNorm;
    private readonly FrozenFeedForward _feedForward;

    public FrozenEncoderLayer(TransformerEncoderLayer layer, InferencePrecision precision)
    {
        _preNorm = layer.PreNorm;
        _attention = new FrozenAttention(layer.SelfAttentionBlock, cross: false, precision);
        _attentionNorm = new FrozenNorm(layer.SelfAttentionNormBlock);
        _finalNorm = new FrozenNorm(layer.FinalNormBlock);
        _feedForward = new FrozenFeedForward(layer.FeedForwardBlock, precision);
    }

    /// <summary>Applies the layer to x (batch · srcLen, dModel) in place.</summary>
    /// <param name="batch">Sentences.</param>
    /// <param name="srcLen">Padded source length.</param>
    /// <param name="x">(batch · srcLen, dModel) the residual stream.</param>
    /// <param name="buffers">Scratch.</param>
    /// <param name="paddingMask">(batch, srcLen), nonzero at padded keys.</param>
    /// <param name="positionBias">(heads, srcLen, srcLen) added to the scores, or empty.</param>
    public unsafe void Forward(int batch, int srcLen, Span<float> x, ReadOnlySpan<float> paddingMask,
        ReadOnlySpan<float> positionBias, InferenceBuffers buffers)
    {
        int rows = batch * srcLen, dModel = x.Length / Math.Max(rows, 1), inner = _attention.Inner;
        Span<float> h = _preNorm ? buffers.Normalized(rows * dModel) : x;
        if (_preNorm) _attentionNorm.Apply(x, h, rows);
        var qkv = buffers.Projection(rows * 3 * inner);            // (batch, srcLen, Q | K | V)
        var context = buffers.Context(rows * inner);              // (batch, srcLen, inner)
        _attention.QueryKeyValue!.Forward(rows, h, qkv);
        fixed (float* pQkv = qkv, pContext = context, pMask = paddingMask, pBias = positionBias)
        {
            var problem = _attention.Problem(batch, srcLen, srcLen);
            problem.Q = pQkv;
            problem.K = pQkv + inner;
            problem.V = pQkv + 2 * inner;
            problem.QRow = problem.KRow = problem.VRow = (long)srcLen * 3 * inner;
            problem.QPosition = problem.KPosition = problem.VPosition = 3 * inner;
            problem.Out = pContext;
            problem.OutRow = (long)srcLen * inner;
            problem.OutPosition = inner;
            problem.Mask = pMask;
            problem.Bias = positionBias.IsEmpty ? null : pBias;
            AttentionKernel.Run(problem);
        }
        _attention.Output.Forward(rows, context, x, accumulate: true);
        if (!_preNorm) _attentionNorm.Apply(x, x, rows);

        if (_preNorm) _finalNorm.Apply(x, h, rows);
        int hiddenFloats = rows * _feedForward.HiddenDim;
        _feedForward.AddTo(rows, h, x, buffers.Hidden(hiddenFloats), _feedForward.IsGated ? buffers.Gate(hiddenFloats) : default);
        if (!_preNorm) _finalNorm.Apply(x, x, rows);
    }
}
