using System.Buffers;
using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Models.Inference;

/// <summary>
/// The incremental-decoding state of a <see cref="FrozenTransformerDecoder"/>, in plain buffers:
/// per layer the self-attention keys, stored transposed (batch, heads, headDim, capacity) so that attention
/// scores for 16 positions grow in one vector register, and values (batch, capacity, inner), both written in
/// place one position per step (capacity, a multiple of 16, doubles when full); and the memory's keys
/// (sources, heads, headDim, srcLen rounded up to 16) and values (sources, srcLen, inner), projected once in
/// <see cref="FrozenTransformerDecoder.Start"/>. Columns past a length hold arbitrary values that attention never
/// weighs. Keys and values are stored as <see cref="Format"/> elements (float32, or bfloat16 for int8 inference)
/// in byte arrays.
/// <para>Rows point at their source through <see cref="SourceRows"/>, so <see cref="Reorder"/> never copies
/// the memory's keys and values (beams of one sentence share them); it copies only each kept row's cache
/// of <see cref="Length"/> positions. Buffers come from <see cref="ArrayPool{T}.Shared"/> and go back on
/// <see cref="Dispose"/>, so consecutive searches reuse memory instead of faulting in fresh pages.</para>
/// </summary>
internal sealed class FrozenDecoderState : IDecoderState
{
    private readonly byte[][] _crossKeys, _crossValues;
    private byte[][] _keys, _values;
    private int[] _sourceRows;
    private float[] _attention;
    private readonly int _heads, _inner;
    private bool _disposed;
    private readonly CacheGather _gather = new();

    /// <param name="decoder">The frozen decoder that steps this state.</param>
    /// <param name="crossKeys">Per layer (sources, heads, headDim, <see cref="PaddedSourceLength"/>): the memory's keys,
    /// transposed; pooled arrays this state now owns.</param>
    /// <param name="crossValues">Per layer (sources, srcLen, inner): the memory's values; pooled arrays this state owns.</param>
    /// <param name="sourceMask">(sources, srcLen), nonzero at padding.</param>
    /// <param name="sources">Sentences in the batch (rows of the memory).</param>
    /// <param name="sourceLength">Padded source length srcLen.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="inner">heads · headDim.</param>
    /// <param name="format">How keys and values are stored (the cross caches are already in it).</param>
    public FrozenDecoderState(FrozenTransformerDecoder decoder, byte[][] crossKeys, byte[][] crossValues, float[] sourceMask,
        int sources, int sourceLength, int heads, int inner, KeyValueFormat format)
    {
        Decoder = decoder;
        Format = format;
        (_crossKeys, _crossValues) = (crossKeys, crossValues);
        SourceMask = sourceMask;
        SourceLength = sourceLength;
        (_heads, _inner) = (heads, inner);
        BatchSize = sources;
        _sourceRows = Enumerable.Range(0, sources).ToArray();
        Capacity = 16;
        _keys = crossKeys.Select(_ => RentElements(sources * inner * Capacity, format)).ToArray();
        _values = crossKeys.Select(_ => RentElements(sources * Capacity * inner, format)).ToArray();
        _attention = Rent(sources * LayerCount * heads * sourceLength);
    }

    public FrozenTransformerDecoder Decoder { get; }

    /// <summary>How the self- and cross-attention keys and values are stored.</summary>
    public KeyValueFormat Format { get; }

    /// <summary>Scratch of this state's steps.</summary>
    public InferenceBuffers Buffers { get; } = new();

    /// <inheritdoc/>
    public int BatchSize { get; private set; }

    /// <inheritdoc/>
    public int Length { get; private set; }

    /// <summary>Positions each row's self-attention cache holds before it must grow.</summary>
    public int Capacity { get; private set; }

    public int LayerCount => _crossKeys.Length;

    /// <summary>Padded source length of the memory.</summary>
    public int SourceLength { get; }

    /// <summary><see cref="SourceLength"/> rounded up to a multiple of 16: the row length of the transposed keys.</summary>
    public int PaddedSourceLength => PadKeys(SourceLength);

    /// <summary>(sources, srcLen), nonzero at padded source positions.</summary>
    public float[] SourceMask { get; }

    /// <summary>(batch): the source (memory row) of each row.</summary>
    public int[] SourceRows => _sourceRows;

    /// <summary>(batch, layers, heads, srcLen): the last step's cross-attention weights, written by the layers.</summary>
    public float[] AttentionBuffer => _attention;

    /// <summary>The last layer's cross-attention of the last step averaged over heads, (batch, srcLen); a new tensor
    /// per read (inside a <see cref="TensorScope"/> it lives as long as the scope).</summary>
    public Tensor? LastAttention => Length == 0 ? null : AverageLastLayer();

    /// <summary>Every layer's cross-attention of the last step, (batch, layers, heads, srcLen); a new tensor per read.</summary>
    public Tensor? LastAttentionHeads => Length == 0 ? null
        : Tensor.FromArray(_attention.AsSpan(0, BatchSize * LayerCount * _heads * SourceLength), BatchSize, LayerCount, _heads, SourceLength);

    /// <summary>A key count rounded up to the 16-key vectors the attention kernel reads.</summary>
    public static int PadKeys(int keys) => (keys + 15) & ~15;

    /// <summary>A pooled array of at least <paramref name="floats"/> elements (contents arbitrary).</summary>
    public static float[] Rent(int floats) => ArrayPool<float>.Shared.Rent(Math.Max(floats, 1));

    /// <summary>A pooled byte array of room for at least <paramref name="elements"/> keys or values stored as
    /// <paramref name="format"/> (contents arbitrary).</summary>
    public static byte[] RentElements(long elements, KeyValueFormat format) =>
        ArrayPool<byte>.Shared.Rent(checked((int)Math.Max(elements * format.Bytes(), 1)));

    /// <summary>Layer <paramref name="layer"/>'s memory keys, (sources, heads, headDim, PaddedSourceLength).</summary>
    public byte[] CrossKeys(int layer) => _crossKeys[layer];

    /// <summary>Layer <paramref name="layer"/>'s memory values, (sources, srcLen, inner).</summary>
    public byte[] CrossValues(int layer) => _crossValues[layer];

    /// <summary>Layer <paramref name="layer"/>'s self-attention cache: keys (batch, heads, headDim, Capacity) and values
    /// (batch, Capacity, inner).</summary>
    public (byte[] Keys, byte[] Values) SelfCache(int layer) => (_keys[layer], _values[layer]);

    /// <summary>Makes room for position <see cref="Length"/> before a step.</summary>
    public void EnsureCapacity()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Length < Capacity) return;
        GatherCaches(null, Capacity * 2);
    }

    /// <summary>Records a finished step: its attention is now in <see cref="AttentionBuffer"/>.</summary>
    public void Advance() => Length++;

    /// <inheritdoc/>
    public void Reorder(ReadOnlySpan<int> indices)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (int index in indices)
            if (index < 0 || index >= BatchSize)
                throw new ArgumentOutOfRangeException(nameof(indices),
                    $"TransformerDecoderState: row {index} is outside the batch of {BatchSize}");
        var rows = indices.ToArray();
        GatherCaches(rows, Capacity);
        _sourceRows = rows.Select(r => _sourceRows[r]).ToArray();
        int perRow = LayerCount * _heads * SourceLength;
        var attention = Rent(rows.Length * perRow);
        for (int i = 0; i < rows.Length; i++) _attention.AsSpan(rows[i] * perRow, perRow).CopyTo(attention.AsSpan(i * perRow));
        ArrayPool<float>.Shared.Return(_attention);
        _attention = attention;
        BatchSize = rows.Length;
    }

    /// <summary>Returns every buffer to the pool.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var buffer in _keys.Concat(_values).Concat(_crossKeys).Concat(_crossValues))
            ArrayPool<byte>.Shared.Return(buffer);
        ArrayPool<float>.Shared.Return(_attention);
    }

    /// <summary>Replaces every layer's self-attention cache by one of <paramref name="capacity"/> positions per row
    /// holding rows <paramref name="rows"/> (all, in order, when null) of the old one, their first Length positions.</summary>
    private void GatherCaches(int[]? rows, int capacity)
    {
        int count = rows?.Length ?? BatchSize;
        var keys = new byte[LayerCount][];
        var values = new byte[LayerCount][];
        for (int layer = 0; layer < LayerCount; layer++)
        {
            keys[layer] = RentElements((long)count * _inner * capacity, Format);
            values[layer] = RentElements((long)count * capacity * _inner, Format);
        }
        _gather.Run(this, rows, count, keys, values, capacity);
        for (int layer = 0; layer < LayerCount; layer++)
        {
            ArrayPool<byte>.Shared.Return(_keys[layer]);
            ArrayPool<byte>.Shared.Return(_values[layer]);
        }
        (_keys, _values, Capacity) = (keys, values, capacity);
    }

    /// <summary>Copies row <paramref name="from"/> of layer <paramref name="layer"/>'s caches to row <paramref name="to"/> of
    /// <paramref name="keys"/> (count, heads, headDim, capacity) and <paramref name="values"/> (count, capacity, inner).</summary>
    private void CopyRow(int layer, int from, int to, byte[] keys, byte[] values, int capacity)
    {
        int bytes = Format.Bytes(), used = Length * _inner * bytes;
        _values[layer].AsSpan(from * Capacity * _inner * bytes, used).CopyTo(values.AsSpan(to * capacity * _inner * bytes, used));
        var oldKeys = _keys[layer].AsSpan(from * _inner * Capacity * bytes, _inner * Capacity * bytes);
        var newKeys = keys.AsSpan(to * _inner * capacity * bytes, _inner * capacity * bytes);
        // One block copy per row beats a short copy per (head, feature) line, unused columns and all.
        if (capacity == Capacity) oldKeys.CopyTo(newKeys);
        else
            for (int line = 0; line < _inner; line++)
                oldKeys.Slice(line * Capacity * bytes, Length * bytes).CopyTo(newKeys.Slice(line * capacity * bytes));
    }

    /// <summary>
    /// The copies of <see cref="GatherCaches"/>, rows spread over the kernel threads: a beam search reorders every
    /// row's caches after every step, tens of megabytes for a batch of 64 sentences and 4 beams (in one thread, about
    /// a seventh of such a search's time).
    /// </summary>
    private sealed class CacheGather : IParallelWork
    {
        /// <summary>Below this many bytes the copies stay on the calling thread.</summary>
        private const long ParallelBytes = 128 * 1024;

        private FrozenDecoderState? _state;
        private int[]? _rows;
        private byte[][]? _keys, _values;
        private int _capacity;

        public void Run(FrozenDecoderState state, int[]? rows, int count, byte[][] keys, byte[][] values, int capacity)
        {
            (_state, _rows, _keys, _values, _capacity) = (state, rows, keys, values, capacity);
            try
            {
                long bytes = 2L * count * state.LayerCount * state._inner * state.Capacity * state.Format.Bytes();
                ParallelRunner.For(count, this, bytes < ParallelBytes ? 1 : 0);
            }
            finally
            {
                (_state, _rows, _keys, _values) = (null, null, null, null);
            }
        }

        public void Execute(int begin, int end)
        {
            for (int layer = 0; layer < _state!.LayerCount; layer++)
                for (int i = begin; i < end; i++)
                    _state.CopyRow(layer, _rows?[i] ?? i, i, _keys![layer], _values![layer], _capacity);
        }
    }

    private Tensor AverageLastLayer()
    {
        var average = new float[BatchSize * SourceLength];
        int perRow = LayerCount * _heads * SourceLength, last = (LayerCount - 1) * _heads * SourceLength;
        for (int r = 0; r < BatchSize; r++)
        {
            var sum = average.AsSpan(r * SourceLength, SourceLength);
            for (int h = 0; h < _heads; h++)
                System.Numerics.Tensors.TensorPrimitives.Add(sum, _attention.AsSpan(r * perRow + last + h * SourceLength, SourceLength), sum);
            System.Numerics.Tensors.TensorPrimitives.Divide(sum, _heads, sum);
        }
        return Tensor.FromArray(average, BatchSize, SourceLength);
    }
}
