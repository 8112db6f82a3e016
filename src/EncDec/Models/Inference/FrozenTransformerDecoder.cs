using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Models.Inference;

/// <summary>
/// The layers and output projection of a <see cref="TransformerDecoder"/> frozen for incremental inference:
/// weights packed once (a snapshot: <see cref="TransformerDecoder"/> builds a new one when the checksum of its
/// parameters changes, so training in between is always seen by the next search), each step running fused projections and <see cref="Kernels.AttentionKernel"/> on plain buffers
/// held by a <see cref="FrozenDecoderState"/>. The decoder's own embedding code embeds each step's tokens,
/// so positions, scaling and embedding norms are exactly those of teacher forcing. Immutable once built (scratch
/// lives in the state), so threads may share it.
/// </summary>
internal sealed class FrozenTransformerDecoder
{
    private readonly FrozenDecoderLayer[] _layers;
    private readonly FrozenNorm? _finalNorm;
    private readonly FrozenLinear _output;
    private readonly Func<IntTensor, int, Tensor> _embed;
    private readonly Func<int, Tensor?> _selfPositionBias;
    [ThreadStatic] private static InferenceBuffers? t_projection;

    /// <param name="layers">The decoder layers.</param>
    /// <param name="finalNorm">The pre-LN stack's final norm, or null.</param>
    /// <param name="output">The vocabulary projection (vocab, dModel), with its bias (vocab) if any.</param>
    /// <param name="embed">Embeds (batch, 1) ids at a position into (batch, 1, dModel).</param>
    /// <param name="selfPositionBias">For a cache length, the (1, heads, 1, length + 1) relative bias of the new
    /// position, or null without relative positions.</param>
    public FrozenTransformerDecoder(IEnumerable<TransformerDecoderLayer> layers, Module? finalNorm, FrozenLinear output,
        Func<IntTensor, int, Tensor> embed, Func<int, Tensor?> selfPositionBias)
    {
        _layers = layers.Select(l => new FrozenDecoderLayer(l)).ToArray();
        _finalNorm = finalNorm is null ? null : new FrozenNorm(finalNorm);
        _output = output;
        (_embed, _selfPositionBias) = (embed, selfPositionBias);
    }

    /// <summary>Projects every layer's memory keys and values and returns a state at length 0 (dispose it after the
    /// search to return its buffers to the pool).</summary>
    public FrozenDecoderState Start(EncoderOutput encoded)
    {
        int sources = encoded.BatchSize, srcLen = encoded.Memory.Dim(1), rows = sources * srcLen;
        var memory = Dense(encoded.Memory);                           // (sources · srcLen, dModel)
        var crossKeys = new float[_layers.Length][];
        var crossValues = new float[_layers.Length][];
        var projection = t_projection ??= new InferenceBuffers();
        for (int i = 0; i < _layers.Length; i++)
        {
            var attention = _layers[i].CrossAttention;
            var keyValues = projection.Projection(rows * attention.KeyValue!.OutFeatures);
            attention.KeyValue.Forward(rows, memory, keyValues);         // (sources, srcLen, K | V)
            (crossKeys[i], crossValues[i]) = SplitKeyValues(keyValues, sources, srcLen, attention.Inner);
        }
        var first = _layers[0].CrossAttention;
        return new FrozenDecoderState(this, crossKeys, crossValues, Dense(encoded.PaddingMask).ToArray(), sources, srcLen,
            first.Heads, first.Inner);
    }

    /// <summary>(sources, srcLen, K | V) → keys (sources, inner, srcLen rounded up to 16), each head's keys
    /// (headDim, srcLen) for <see cref="Kernels.AttentionKernel"/>, and values (sources, srcLen, inner); pooled arrays.</summary>
    private static (float[] Keys, float[] Values) SplitKeyValues(ReadOnlySpan<float> keyValues, int sources, int srcLen, int inner)
    {
        int padded = FrozenDecoderState.PadKeys(srcLen);
        var keys = FrozenDecoderState.Rent(sources * inner * padded);
        var values = FrozenDecoderState.Rent(sources * srcLen * inner);
        for (int s = 0; s < sources; s++)
            for (int j = 0; j < srcLen; j++)
            {
                var position = keyValues.Slice((s * srcLen + j) * 2 * inner, 2 * inner);
                for (int f = 0; f < inner; f++) keys[(s * inner + f) * padded + j] = position[f];
                position[inner..].CopyTo(values.AsSpan((s * srcLen + j) * inner, inner));
            }
        return (keys, values);
    }

    /// <summary>Feeds one token per row and returns the (batch, vocab) logits of the next position.</summary>
    public Tensor Step(IntTensor tokens, FrozenDecoderState state)
    {
        int batch = state.BatchSize;
        var embedded = _embed(new IntTensor(tokens.AsSpan(), batch, 1), state.Length);   // (batch, 1, dModel)
        int dModel = embedded.Dim(2);
        var x = state.Buffers.Residual(batch * dModel);                                  // the residual stream
        StridedCopy.ToDense(embedded, x);
        var bias = _selfPositionBias(state.Length) is { } positionBias ? Dense(positionBias) : default;
        state.EnsureCapacity();
        for (int i = 0; i < _layers.Length; i++) _layers[i].Step(i, x, state, bias, state.Buffers);
        _finalNorm?.Apply(x, x, batch);
        var logits = Tensor.Allocate([batch, _output.OutFeatures]);
        _output.Forward(batch, x, logits.AsSpan());
        state.Advance();
        return logits;
    }

    private static ReadOnlySpan<float> Dense(Tensor tensor) => tensor.IsContiguous ? tensor.AsSpan() : tensor.Contiguous().AsSpan();
}
