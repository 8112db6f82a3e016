using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Models.Inference;

/// <summary>
/// The layers and output projection of a <see cref="TransformerDecoder"/> frozen for incremental inference:
/// weights packed once per <see cref="Start"/> (a snapshot, so training in between is always seen by the next
/// search), each step running fused projections and <see cref="Kernels.AttentionKernel"/> on plain buffers
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

    public static long[] Probe = new long[8];

    /// <summary>Projects every layer's memory keys and values and returns a state at length 0.</summary>
    public FrozenDecoderState Start(EncoderOutput encoded)
    {
        int sources = encoded.BatchSize, srcLen = encoded.Memory.Dim(1), rows = sources * srcLen;
        var memory = Dense(encoded.Memory);                           // (sources · srcLen, dModel)
        var crossKeys = new float[_layers.Length][];
        var crossKeyValues = new float[_layers.Length][];
        for (int i = 0; i < _layers.Length; i++)
        {
            var attention = _layers[i].CrossAttention;
            crossKeyValues[i] = GC.AllocateUninitializedArray<float>(rows * attention.KeyValue!.OutFeatures);
            attention.KeyValue.Forward(rows, memory, crossKeyValues[i]);      // (sources, srcLen, K | V)
            crossKeys[i] = TransposeKeys(crossKeyValues[i], sources, srcLen, attention.Inner);
        }
        var first = _layers[0].CrossAttention;
        return new FrozenDecoderState(this, crossKeys, crossKeyValues, Dense(encoded.PaddingMask).ToArray(), sources, srcLen,
            first.Heads, first.Inner);
    }

    /// <summary>The K half of (sources, srcLen, K | V) as (sources, inner, srcLen rounded up to 16), zero-padded: each
    /// head's keys (headDim, srcLen) for <see cref="Kernels.AttentionKernel"/>.</summary>
    private static float[] TransposeKeys(float[] keyValues, int sources, int srcLen, int inner)
    {
        int padded = (srcLen + 15) & ~15;
        var keys = new float[sources * inner * padded];
        for (int s = 0; s < sources; s++)
            for (int j = 0; j < srcLen; j++)
            {
                var key = keyValues.AsSpan((s * srcLen + j) * 2 * inner, inner);
                for (int f = 0; f < inner; f++) keys[(s * inner + f) * padded + j] = key[f];
            }
        return keys;
    }

    /// <summary>Feeds one token per row and returns the (batch, vocab) logits of the next position.</summary>
    public Tensor Step(IntTensor tokens, FrozenDecoderState state)
    {
        int batch = state.BatchSize;
        long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
        var embedded = _embed(new IntTensor(tokens.AsSpan(), batch, 1), state.Length);   // (batch, 1, dModel)
        int dModel = embedded.Dim(2);
        var x = state.Buffers.Residual(batch * dModel);                                  // the residual stream
        StridedCopy.ToDense(embedded, x);
        var bias = _selfPositionBias(state.Length) is { } positionBias ? Dense(positionBias) : default;
        state.EnsureCapacity();
        long t1 = System.Diagnostics.Stopwatch.GetTimestamp();
        for (int i = 0; i < _layers.Length; i++) _layers[i].Step(i, x, state, bias, state.Buffers);
        _finalNorm?.Apply(x, x, batch);
        long t2 = System.Diagnostics.Stopwatch.GetTimestamp();
        var logits = Tensor.Allocate([batch, _output.OutFeatures]);
        _output.Forward(batch, x, logits.AsSpan());
        long t3 = System.Diagnostics.Stopwatch.GetTimestamp();
        Probe[0] += t1 - t0; Probe[1] += t2 - t1; Probe[2] += t3 - t2;
        state.Advance();
        return logits;
    }

    private static ReadOnlySpan<float> Dense(Tensor tensor) => tensor.IsContiguous ? tensor.AsSpan() : tensor.Contiguous().AsSpan();
}
