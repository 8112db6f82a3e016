using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>
/// The incremental-decoding state of a <see cref="TransformerDecoder"/>: per layer the self-attention
/// key/value caches (batch, heads, len, headDim), grown by one position per step, and the
/// cross-attention keys/values (batch, heads, srcLen, headDim), projected once from the memory; plus
/// the source padding mask (batch, srcLen).
/// <para>Every tensor the state holds outlives <see cref="TensorScope"/>s: when a scope is open, it is
/// copied out with <see cref="TensorScope.Keep"/> (detached from autograd), so a search may wrap each
/// step in a scope. Without a scope the tensors are stored as they are (and keep their graph).</para>
/// </summary>
public sealed class TransformerDecoderState : IDecoderState
{
    private readonly Tensor?[] _selfKeys, _selfValues;
    private readonly Tensor[] _crossKeys, _crossValues;
    private Tensor _sourcePaddingMask;

    internal TransformerDecoderState(Tensor[] crossKeys, Tensor[] crossValues, Tensor sourcePaddingMask)
    {
        _crossKeys = crossKeys.Select(Persist).ToArray();
        _crossValues = crossValues.Select(Persist).ToArray();
        _sourcePaddingMask = Persist(sourcePaddingMask);
        _selfKeys = new Tensor?[crossKeys.Length];
        _selfValues = new Tensor?[crossKeys.Length];
        BatchSize = sourcePaddingMask.Dim(0);
    }

    /// <inheritdoc/>
    public int BatchSize { get; private set; }

    /// <inheritdoc/>
    public int Length { get; private set; }

    /// <summary>The last layer's cross-attention weights of the last step, averaged over heads: (batch, srcLen),
    /// rows summing to 1, exactly 0 at padded source positions.</summary>
    public Tensor? LastAttention { get; private set; }

    /// <inheritdoc/>
    public Tensor? LastAttentionHeads { get; private set; }

    /// <summary>Number of decoder layers.</summary>
    public int LayerCount => _crossKeys.Length;

    /// <summary>(batch, srcLen), nonzero at padded source positions.</summary>
    public Tensor SourcePaddingMask => _sourcePaddingMask;

    /// <summary>Layer <paramref name="layer"/>'s self-attention keys (batch, heads, Length, headDim); null before the first step.</summary>
    public Tensor? SelfKeys(int layer) => _selfKeys[layer];

    /// <summary>Layer <paramref name="layer"/>'s self-attention values (batch, heads, Length, headDim); null before the first step.</summary>
    public Tensor? SelfValues(int layer) => _selfValues[layer];

    /// <summary>Layer <paramref name="layer"/>'s cross-attention keys (batch, heads, srcLen, headDim).</summary>
    public Tensor CrossKeys(int layer) => _crossKeys[layer];

    /// <summary>Layer <paramref name="layer"/>'s cross-attention values (batch, heads, srcLen, headDim).</summary>
    public Tensor CrossValues(int layer) => _crossValues[layer];

    /// <inheritdoc/>
    public void Reorder(ReadOnlySpan<int> indices)
    {
        foreach (int index in indices)
            if (index < 0 || index >= BatchSize)
                throw new ArgumentOutOfRangeException(nameof(indices),
                    $"TransformerDecoderState: row {index} is outside the batch of {BatchSize}");
        var rows = new IntTensor(indices, indices.Length);
        for (int layer = 0; layer < LayerCount; layer++)
        {
            _crossKeys[layer] = Select(_crossKeys[layer], rows);
            _crossValues[layer] = Select(_crossValues[layer], rows);
            if (_selfKeys[layer] is { } keys) _selfKeys[layer] = Select(keys, rows);
            if (_selfValues[layer] is { } values) _selfValues[layer] = Select(values, rows);
        }
        _sourcePaddingMask = Select(_sourcePaddingMask, rows);
        if (LastAttention is { } attention) LastAttention = Select(attention, rows);
        if (LastAttentionHeads is { } heads) LastAttentionHeads = Select(heads, rows);
        BatchSize = indices.Length;
    }

    /// <summary>Stores a layer's grown caches after a step.</summary>
    internal void SetSelfCache(int layer, Tensor keys, Tensor values)
    {
        _selfKeys[layer] = Persist(keys);
        _selfValues[layer] = Persist(values);
    }

    /// <summary>Records a finished step, its attention (batch, srcLen) and every layer's per-head attention
    /// (batch, layers, heads, srcLen).</summary>
    internal void Advance(Tensor lastAttention, Tensor lastAttentionHeads)
    {
        LastAttention = Persist(lastAttention);
        LastAttentionHeads = Persist(lastAttentionHeads);
        Length++;
    }

    private static Tensor Select(Tensor x, IntTensor rows) => Persist(x.IndexSelect(0, rows));

    private static Tensor Persist(Tensor x) => TensorScope.IsActive ? TensorScope.Keep(x) : x;
}
