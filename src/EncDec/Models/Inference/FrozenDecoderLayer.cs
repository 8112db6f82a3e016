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

    public FrozenDecoderLayer(TransformerDecoderLayer layer, InferencePrecision precision)
    {
        _preNorm = layer.PreNorm;
        SelfAttention = new FrozenAttention(layer.SelfAttentionBlock, cross: false, precision);
        CrossAttention = new FrozenAttention(layer.CrossAttentionBlock, cross: true, precision);
        _selfNorm = new FrozenNorm(layer.SelfAttentionNormBlock);
        _crossNorm = new FrozenNorm(layer.CrossAttentionNormBlock);
        _finalNorm = new FrozenNorm(layer.FinalNormBlock);
        _feedForward = new FrozenFeedForward(layer.FeedForwardBlock, precision);
    }

    public FrozenAttention SelfAttention { get; }

    public FrozenAttention CrossAttention { get; }

    /// <summary>One step of layer <paramref name="index"/> for rows [first, first + rows) of x (batch, dModel), in
    /// place. Rows are independent within a step, so threads may run disjoint row ranges at once, provided the
    /// <paramref name="buffers"/> were sized for the whole batch first (<see cref="SizeBuffers"/>).</summary>
    /// <param name="index">This layer's index in the stack (its caches in the state).</param>
    /// <param name="first">The first row.</param>
    /// <param name="rows">How many rows.</param>
    /// <param name="x">(batch, dModel) the residual stream of the new position.</param>
    /// <param name="state">The state; its cache gains this layer's keys and values at position Length.</param>
    /// <param name="positionBias">(heads, Length + 1) relative-position bias of the new position, or empty.</param>
    /// <param name="buffers">Scratch, sized for the whole batch.</param>
    public void Step(int index, int first, int rows, Span<float> x, FrozenDecoderState state, ReadOnlySpan<float> positionBias,
        InferenceBuffers buffers)
    {
        int batch = state.BatchSize, dModel = x.Length / batch;
        x = x.Slice(first * dModel, rows * dModel);
        Span<float> h = _preNorm ? buffers.Normalized(batch * dModel).Slice(first * dModel, rows * dModel) : x;
        if (_preNorm) _selfNorm.Apply(x, h, rows);
        AttendToSelf(index, first, rows, h, x, state, positionBias, buffers);
        if (!_preNorm) _selfNorm.Apply(x, x, rows);

        if (_preNorm) _crossNorm.Apply(x, h, rows);
        AttendToMemory(index, first, rows, h, x, state, buffers);
        if (!_preNorm) _crossNorm.Apply(x, x, rows);

        if (_preNorm) _finalNorm.Apply(x, h, rows);
        int hidden = _feedForward.HiddenDim;
        _feedForward.AddTo(rows, h, x, buffers.Hidden(batch * hidden).Slice(first * hidden, rows * hidden),
            _feedForward.IsGated ? buffers.Gate(batch * hidden).Slice(first * hidden, rows * hidden) : default);
        if (!_preNorm) _finalNorm.Apply(x, x, rows);
    }

    /// <summary>Grows every scratch buffer <see cref="Step"/> slices to its size for <paramref name="batch"/> rows.</summary>
    public void SizeBuffers(InferenceBuffers buffers, int batch, int dModel)
    {
        buffers.Normalized(batch * dModel);
        buffers.Projection(batch * ProjectionStride);
        buffers.Context(batch * ContextStride);
        buffers.Hidden(batch * _feedForward.HiddenDim);
        if (_feedForward.IsGated) buffers.Gate(batch * _feedForward.HiddenDim);
    }

    /// <summary>Floats per row of the projection buffer: the widest projection, so that a range of rows owns the same
    /// stretch of the buffer in self- and cross-attention, whose projections differ in width (Q|K|V against Q), while
    /// another thread works on other rows.</summary>
    private int ProjectionStride => Math.Max(3 * SelfAttention.Inner, CrossAttention.Inner);

    /// <summary>Floats per row of the context buffer (see <see cref="ProjectionStride"/>).</summary>
    private int ContextStride => Math.Max(SelfAttention.Inner, CrossAttention.Inner);

    private unsafe void AttendToSelf(int index, int first, int rows, ReadOnlySpan<float> h, Span<float> x,
        FrozenDecoderState state, ReadOnlySpan<float> positionBias, InferenceBuffers buffers)
    {
        var attention = SelfAttention;
        int batch = state.BatchSize, inner = attention.Inner, position = state.Length;
        var qkv = buffers.Projection(batch * ProjectionStride).Slice(first * ProjectionStride, rows * 3 * inner);   // (rows, Q | K | V)
        var context = buffers.Context(batch * ContextStride).Slice(first * ContextStride, rows * inner);           // (rows, inner)
        attention.QueryKeyValue!.Forward(rows, h, qkv);
        var (allKeys, allValues) = state.SelfCache(index);   // (batch, heads, headDim, capacity) and (batch, capacity, inner)
        int capacity = state.Capacity;
        var format = state.Format;
        fixed (float* pQkv = qkv, pContext = context, pBias = positionBias)
        fixed (byte* pAllKeys = allKeys, pAllValues = allValues)
        {
            byte* pKeys = pAllKeys + (long)first * inner * capacity * format.Bytes();
            byte* pValues = pAllValues + (long)first * capacity * inner * format.Bytes();
            for (int r = 0; r < rows; r++)
            {
                var newKey = qkv.Slice(r * 3 * inner + inner, inner);
                format.StoreStrided(newKey, pKeys, (long)r * inner * capacity + position, capacity);
                format.Store(qkv.Slice(r * 3 * inner + 2 * inner, inner), pValues, ((long)r * capacity + position) * inner);
            }
            var problem = attention.Problem(rows, 1, position + 1);
            problem.Q = pQkv;
            problem.QRow = 3 * inner;
            problem.KeysByDepth(pKeys, capacity);
            problem.ValuesByPosition(pValues, capacity);
            problem.Format = format;
            problem.Out = pContext;
            problem.OutRow = inner;
            problem.Bias = positionBias.IsEmpty ? null : pBias;
            AttentionKernel.Run(problem);
        }
        attention.Output.Forward(rows, context, x, accumulate: true);
    }

    private unsafe void AttendToMemory(int index, int first, int rows, ReadOnlySpan<float> h, Span<float> x,
        FrozenDecoderState state, InferenceBuffers buffers)
    {
        var attention = CrossAttention;
        int batch = state.BatchSize, inner = attention.Inner, srcLen = state.SourceLength;
        var query = buffers.Projection(batch * ProjectionStride).Slice(first * ProjectionStride, rows * inner);   // (rows, inner)
        var context = buffers.Context(batch * ContextStride).Slice(first * ContextStride, rows * inner);         // (rows, inner)
        attention.Query!.Forward(rows, h, query);
        var memoryKeys = state.CrossKeys(index);         // (sources, heads, headDim, padded srcLen)
        var memoryValues = state.CrossValues(index);     // (sources, srcLen, inner)
        fixed (float* pQuery = query, pContext = context, pMask = state.SourceMask, pWeights = state.AttentionBuffer)
        fixed (byte* pKeys = memoryKeys, pValues = memoryValues)
        fixed (int* pRows = state.SourceRows)
        {
            var problem = attention.Problem(rows, 1, srcLen);
            problem.Q = pQuery;
            problem.QRow = inner;
            problem.KeysByDepth(pKeys, state.PaddedSourceLength);
            problem.ValuesByPosition(pValues, srcLen);
            problem.Format = state.Format;
            problem.KeyRows = pRows + first;   // source rows are indices into the whole memory
            problem.Mask = pMask;
            problem.Out = pContext;
            problem.OutRow = inner;
            problem.WeightsRow = (long)state.LayerCount * attention.Heads * srcLen;
            problem.Weights = pWeights + first * problem.WeightsRow + (long)index * attention.Heads * srcLen;
            problem.WeightsHead = srcLen;
            AttentionKernel.Run(problem);
        }
        attention.Output.Forward(rows, context, x, accumulate: true);
    }
}
