using EncDec.Kernels;

namespace EncDec.Models.Inference;

/// <summary>
/// A <see cref="TransformerDecoderLayer"/> frozen for inference, advancing every row by one position and
/// updating the residual stream in place: the new keys and values are written into the state's cache, the
/// query attends to the cache (causality is implicit: the cache holds only the past and the new position),
/// then to the memory's keys and values, then the feed-forward block; post- or pre-LN as configured.
/// </summary>
internal sealed class FrozenDecoderLayer
{
    private readonly bool _preNorm;
    private readonly FrozenNorm _selfNorm, _crossNorm, _finalNorm;
    private readonly FrozenFeedForward _feedForward;

    public FrozenDecoderLayer(TransformerDecoderLayer layer)
    {
        _preNorm = layer.PreNorm;
        SelfAttention = new FrozenAttention(layer.SelfAttentionBlock, cross: false);
        CrossAttention = new FrozenAttention(layer.CrossAttentionBlock, cross: true);
        _selfNorm = new FrozenNorm(layer.SelfAttentionNormBlock);
        _crossNorm = new FrozenNorm(layer.CrossAttentionNormBlock);
        _finalNorm = new FrozenNorm(layer.FinalNormBlock);
        _feedForward = new FrozenFeedForward(layer.FeedForwardBlock);
    }

    public FrozenAttention SelfAttention { get; }

    public FrozenAttention CrossAttention { get; }

    /// <summary>One step of layer <paramref name="index"/> for x (batch, dModel), in place.</summary>
    /// <param name="index">This layer's index in the stack (its caches in the state).</param>
    /// <param name="x">(batch, dModel) the residual stream of the new position.</param>
    /// <param name="state">The state; its cache gains this layer's keys and values at position Length.</param>
    /// <param name="buffers">Scratch.</param>
    /// <param name="positionBias">(heads, Length + 1) relative-position bias of the new position, or empty.</param>
    public void Step(int index, Span<float> x, FrozenDecoderState state, ReadOnlySpan<float> positionBias, InferenceBuffers buffers)
    {
        int rows = state.BatchSize, dModel = x.Length / rows;
        Span<float> h = _preNorm ? buffers.Normalized(rows * dModel) : x;
        if (_preNorm) _selfNorm.Apply(x, h, rows);
        AttendToSelf(index, h, x, state, positionBias, buffers);
        if (!_preNorm) _selfNorm.Apply(x, x, rows);

        if (_preNorm) _crossNorm.Apply(x, h, rows);
        AttendToMemory(index, h, x, state, buffers);
        if (!_preNorm) _crossNorm.Apply(x, x, rows);

        if (_preNorm) _finalNorm.Apply(x, h, rows);
        int hiddenFloats = rows * _feedForward.HiddenDim;
        _feedForward.AddTo(rows, h, x, buffers.Hidden(hiddenFloats), _feedForward.IsGated ? buffers.Gate(hiddenFloats) : default);
        if (!_preNorm) _finalNorm.Apply(x, x, rows);
    }

    private unsafe void AttendToSelf(int index, ReadOnlySpan<float> h, Span<float> x, FrozenDecoderState state,
        ReadOnlySpan<float> positionBias, InferenceBuffers buffers)
    {
        var attention = SelfAttention;
        int rows = state.BatchSize, inner = attention.Inner, position = state.Length;
        var qkv = buffers.Projection(rows * 3 * inner);   // (batch, Q | K | V)
        var context = buffers.Context(rows * inner);     // (batch, inner)
        attention.QueryKeyValue!.Forward(rows, h, qkv);
        var (keys, values) = state.SelfCache(index);     // (batch, heads, headDim, capacity) and (batch, capacity, inner)
        int capacity = state.Capacity;
        for (int r = 0; r < rows; r++)
        {
            var newKey = qkv.Slice(r * 3 * inner + inner, inner);
            for (int f = 0; f < inner; f++) keys[(r * inner + f) * capacity + position] = newKey[f];
            qkv.Slice(r * 3 * inner + 2 * inner, inner).CopyTo(values.AsSpan((r * capacity + position) * inner, inner));
        }
        fixed (float* pQkv = qkv, pKeys = keys, pValues = values, pContext = context, pBias = positionBias)
        {
            var problem = attention.Problem(rows, 1, position + 1);
            problem.Q = pQkv;
            problem.QRow = 3 * inner;
            problem.KeysByDepth(pKeys, capacity);
            problem.ValuesByPosition(pValues, capacity);
            problem.Out = pContext;
            problem.OutRow = inner;
            problem.Bias = positionBias.IsEmpty ? null : pBias;
            AttentionKernel.Run(problem);
        }
        attention.Output.Forward(rows, context, x, accumulate: true);
    }

    private unsafe void AttendToMemory(int index, ReadOnlySpan<float> h, Span<float> x, FrozenDecoderState state,
        InferenceBuffers buffers)
    {
        var attention = CrossAttention;
        int rows = state.BatchSize, inner = attention.Inner, srcLen = state.SourceLength;
        var query = buffers.Projection(rows * inner);    // (batch, inner)
        var context = buffers.Context(rows * inner);     // (batch, inner)
        attention.Query!.Forward(rows, h, query);
        var memoryKeys = state.CrossKeys(index);         // (sources, heads, headDim, padded srcLen)
        var memoryValues = state.CrossValues(index);     // (sources, srcLen, inner)
        fixed (float* pQuery = query, pKeys = memoryKeys, pValues = memoryValues, pContext = context, pMask = state.SourceMask,
               pWeights = state.AttentionBuffer)
        fixed (int* pRows = state.SourceRows)
        {
            var problem = attention.Problem(rows, 1, srcLen);
            problem.Q = pQuery;
            problem.QRow = inner;
            problem.KeysByDepth(pKeys, state.PaddedSourceLength);
            problem.ValuesByPosition(pValues, srcLen);
            problem.KeyRows = pRows;
            problem.Mask = pMask;
            problem.Out = pContext;
            problem.OutRow = inner;
            problem.Weights = pWeights + (long)index * attention.Heads * srcLen;
            problem.WeightsRow = (long)state.LayerCount * attention.Heads * srcLen;
            problem.WeightsHead = srcLen;
            AttentionKernel.Run(problem);
        }
        attention.Output.Forward(rows, context, x, accumulate: true);
    }
}
