using EncDec.Kernels;
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
    private readonly KeyValueFormat _format;
    [ThreadStatic] private static InferenceBuffers? t_projection;

    /// <param name="layers">The decoder layers.</param>
    /// <param name="finalNorm">The pre-LN stack's final norm, or null.</param>
    /// <param name="output">The vocabulary projection (vocab, dModel), with its bias (vocab) if any.</param>
    /// <param name="embed">Embeds (batch, 1) ids at a position into (batch, 1, dModel).</param>
    /// <param name="selfPositionBias">For a cache length, the (1, heads, 1, length + 1) relative bias of the new
    /// position, or null without relative positions.</param>
    /// <param name="precision">The arithmetic of the layers' projections (<paramref name="output"/> is built by the
    /// caller with the same). Int8 also stores the attention caches in bfloat16: a decoding step is bound by the
    /// bytes of keys and values it streams, and their rounding (at most 2⁻⁸ of each value) is finer than int8's
    /// (up to 1/254 of a row's largest value).</param>
    public FrozenTransformerDecoder(IEnumerable<TransformerDecoderLayer> layers, Module? finalNorm, FrozenLinear output,
        Func<IntTensor, int, Tensor> embed, Func<int, Tensor?> selfPositionBias, InferencePrecision precision)
    {
        _layers = layers.Select(l => new FrozenDecoderLayer(l, precision)).ToArray();
        _finalNorm = finalNorm is null ? null : new FrozenNorm(finalNorm);
        _output = output;
        (_embed, _selfPositionBias) = (embed, selfPositionBias);
        _format = precision == InferencePrecision.Int8 ? KeyValueFormat.BFloat16 : KeyValueFormat.Float32;
    }

    /// <summary>Projects every layer's memory keys and values and returns a state at length 0 (dispose it after the
    /// search to return its buffers to the pool).</summary>
    public FrozenDecoderState Start(EncoderOutput encoded)
    {
        int sources = encoded.BatchSize, srcLen = encoded.Memory.Dim(1), rows = sources * srcLen;
        var memory = Dense(encoded.Memory);                           // (sources · srcLen, dModel)
        var crossKeys = new byte[_layers.Length][];
        var crossValues = new byte[_layers.Length][];
        var projection = t_projection ??= new InferenceBuffers();
        for (int i = 0; i < _layers.Length; i++)
        {
            var attention = _layers[i].CrossAttention;
            var keyValues = projection.Projection(rows * attention.KeyValue!.OutFeatures);
            attention.KeyValue.Forward(rows, memory, keyValues);         // (sources, srcLen, K | V)
            (crossKeys[i], crossValues[i]) = SplitKeyValues(keyValues, sources, srcLen, attention.Inner, _format);
        }
        var first = _layers[0].CrossAttention;
        return new FrozenDecoderState(this, crossKeys, crossValues, Dense(encoded.PaddingMask).ToArray(), sources, srcLen,
            first.Heads, first.Inner, _format);
    }

    /// <summary>(sources, srcLen, K | V) → keys (sources, inner, srcLen rounded up to 16), each head's keys
    /// (headDim, srcLen) for <see cref="Kernels.AttentionKernel"/>, and values (sources, srcLen, inner), stored as
    /// <paramref name="format"/>; pooled arrays. Sources are split across threads: the transposition is a scatter of a
    /// few megabytes per layer.</summary>
    private static unsafe (byte[] Keys, byte[] Values) SplitKeyValues(ReadOnlySpan<float> keyValues, int sources, int srcLen,
        int inner, KeyValueFormat format)
    {
        var keys = FrozenDecoderState.RentElements((long)sources * inner * FrozenDecoderState.PadKeys(srcLen), format);
        var values = FrozenDecoderState.RentElements((long)sources * srcLen * inner, format);
        fixed (float* pKeyValues = keyValues)
        fixed (byte* pKeys = keys, pValues = values)
        {
            var work = t_split ??= new SplitSources();
            work.Set(pKeyValues, pKeys, pValues, srcLen, inner, format);
            ParallelRunner.For(sources, work, (long)sources * srcLen * inner < 1 << 16 ? 1 : 0);
            work.Set(null, null, null, 0, 0, format);
        }
        return (keys, values);
    }

    [ThreadStatic] private static SplitSources? t_split;

    private sealed unsafe class SplitSources : IParallelWork
    {
        private float* _keyValues;
        private byte* _keys, _values;
        private int _srcLen, _inner;
        private KeyValueFormat _format;

        public void Set(float* keyValues, byte* keys, byte* values, int srcLen, int inner, KeyValueFormat format)
        {
            _keyValues = keyValues;
            _keys = keys;
            _values = values;
            (_srcLen, _inner, _format) = (srcLen, inner, format);
        }

        public void Execute(int begin, int end)
        {
            int padded = FrozenDecoderState.PadKeys(_srcLen), inner = _inner;
            for (long s = begin; s < end; s++)
                for (int j = 0; j < _srcLen; j++)
                {
                    var position = new ReadOnlySpan<float>(_keyValues + (s * _srcLen + j) * 2 * inner, 2 * inner);   // K | V
                    _format.StoreStrided(position[..inner], _keys, s * inner * padded + j, padded);
                    _format.Store(position[inner..], _values, (s * _srcLen + j) * inner);
                }
        }
    }

    /// <summary>Feeds one token per row and returns the (batch, vocab) logits of the next position.</summary>
    public Tensor Step(IntTensor tokens, FrozenDecoderState state)
    {
        int batch = state.BatchSize;
        var embedded = _embed(new IntTensor(tokens.AsSpan(), batch, 1), state.Length);   // (batch, 1, dModel)
        int dModel = embedded.Dim(2);
        var buffers = state.Buffers;
        StridedCopy.ToDense(embedded, buffers.Residual(batch * dModel));                // the residual stream
        foreach (var layer in _layers) layer.SizeBuffers(buffers, batch, dModel);
        var bias = _selfPositionBias(state.Length) is { } positionBias ? Dense(positionBias).ToArray() : null;
        state.EnsureCapacity();
        var logits = Tensor.Allocate([batch, _output.OutFeatures]);
        var rows = t_rows ??= new StepRows();
        rows.Set(this, state, bias, logits, dModel);
        try
        {
            // Rows are independent within a step: with enough of them, each thread carries its own rows through every
            // layer in one parallel region (kernels inside run serially), instead of meeting the other threads in
            // each of the ~40 kernels of a step. With more threads than groups of RowsPerThread rows, one thread per
            // group takes part: leaving 64 rows to 12 or 16 threads in every kernel instead was slower than 8 threads
            // carrying 8 rows each (16-core Xeon, bench generate, greedy: 12 threads 14,800-19,100 -> 21,600-23,100
            // tokens/s, 16 threads 19,800-19,900 -> 23,400-25,700). Fewer than two groups leave the threads to the kernels.
            int threads = Math.Min(Parallelism.ThreadCount, batch / RowsPerThread);
            ParallelRunner.For(batch, rows, threads >= 2 ? threads : 1);
        }
        finally
        {
            rows.Set(null, null, null, null, 0);
        }
        state.Advance();
        return logits;
    }

    /// <summary>Rows per thread from which a step splits rows across threads rather than inside each kernel.</summary>
    internal const int RowsPerThread = 8;

    [ThreadStatic] private static StepRows? t_rows;

    /// <summary>Rows [first, first + rows) through every layer, the final norm and the output projection.</summary>
    private void StepRange(int first, int rows, FrozenDecoderState state, float[]? bias, Tensor logits, int dModel)
    {
        var x = state.Buffers.Residual(state.BatchSize * dModel);
        for (int i = 0; i < _layers.Length; i++) _layers[i].Step(i, first, rows, x, state, bias, state.Buffers);
        var mine = x.Slice(first * dModel, rows * dModel);
        _finalNorm?.Apply(mine, mine, rows);
        _output.Forward(rows, mine, logits.AsSpan().Slice(first * _output.OutFeatures, rows * _output.OutFeatures));
    }

    private sealed class StepRows : IParallelWork
    {
        private FrozenTransformerDecoder? _decoder;
        private FrozenDecoderState? _state;
        private float[]? _bias;
        private Tensor? _logits;
        private int _dModel;

        public void Set(FrozenTransformerDecoder? decoder, FrozenDecoderState? state, float[]? bias, Tensor? logits, int dModel) =>
            (_decoder, _state, _bias, _logits, _dModel) = (decoder, state, bias, logits, dModel);

        public void Execute(int begin, int end) => _decoder!.StepRange(begin, end - begin, _state!, _bias, _logits!, _dModel);
    }

    private static ReadOnlySpan<float> Dense(Tensor tensor) => tensor.IsContiguous ? tensor.AsSpan() : tensor.Contiguous().AsSpan();
}
