using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>
/// What a <see cref="RnnDecoder"/> carries between steps for a batch of hypotheses: per-layer h (and c
/// for LSTMs), the previous attentional state h̃ (input feeding), and what was derived once from the
/// encoder output: the memory, its padding mask and the attention's precomputed keys.
/// <para>A state made by <see cref="RnnDecoder.Start"/> is persistent: while a <see cref="TensorScope"/> is open,
/// every tensor it stores is copied out with <see cref="TensorScope.Keep"/> (detached from autograd), so a search
/// may wrap each step in a scope. The state that teacher-forced <see cref="RnnDecoder.Forward"/> uses internally is
/// not, so training keeps the graph through the recurrence.</para>
/// </summary>
public sealed class RnnDecoderState : IDecoderState
{
    private readonly bool _persistent;
    private Tensor[] _hidden;
    private Tensor[]? _cells;
    private Tensor? _feed, _lastAttention;

    internal RnnDecoderState(Tensor[] hidden, Tensor[]? cells, Tensor? feed, Tensor memory, Tensor mask, Tensor? keys, bool persistent)
    {
        _persistent = persistent;
        _hidden = hidden.Select(Persist).ToArray();
        _cells = cells?.Select(Persist).ToArray();
        _feed = PersistOrNull(feed);
        Memory = Persist(memory);
        Mask = Persist(mask);
        Keys = PersistOrNull(keys);
    }

    /// <summary>h of each layer, bottom first, each (batch, hidden).</summary>
    public Tensor[] Hidden => _hidden;

    /// <summary>LSTM only: c of each layer, each (batch, hidden); null for GRUs.</summary>
    public Tensor[]? Cells => _cells;

    /// <summary>Luong with input feeding: the previous h̃ (batch, hidden), zeros before the first step; else null.</summary>
    public Tensor? Feed
    {
        get => _feed;
        internal set => _feed = PersistOrNull(value);
    }

    /// <summary>(batch, srcLen, memoryDim)</summary>
    public Tensor Memory { get; private set; }

    /// <summary>(batch, srcLen), 1 at padding.</summary>
    public Tensor Mask { get; private set; }

    /// <summary>The attention's precomputed keys (batch, srcLen, keysDim), or null without attention.</summary>
    public Tensor? Keys { get; private set; }

    /// <inheritdoc/>
    public int BatchSize => Memory.Shape[0];

    /// <inheritdoc/>
    public int Length { get; internal set; }

    /// <inheritdoc/>
    /// <remarks>(batch, srcLen); null before the first step and for decoders without attention.</remarks>
    public Tensor? LastAttention
    {
        get => _lastAttention;
        internal set => _lastAttention = PersistOrNull(value);
    }

    /// <inheritdoc/>
    /// <remarks>One attention per step: <see cref="LastAttention"/> viewed as (batch, 1, 1, srcLen).</remarks>
    public Tensor? LastAttentionHeads => _lastAttention?.Reshape(_lastAttention.Dim(0), 1, 1, _lastAttention.Dim(1));

    /// <summary>Replaces the recurrent states after a step.</summary>
    internal void SetStates(Tensor[] hidden, Tensor[]? cells)
    {
        _hidden = _persistent ? hidden.Select(Persist).ToArray() : hidden;
        _cells = _persistent ? cells?.Select(Persist).ToArray() : cells;
    }

    /// <inheritdoc/>
    public void Reorder(ReadOnlySpan<int> indices)
    {
        foreach (int index in indices)
            if ((uint)index >= (uint)BatchSize)
                throw new ArgumentOutOfRangeException(nameof(indices), $"RnnDecoderState: index {index} is outside the batch of {BatchSize}");
        var ids = new IntTensor(indices, indices.Length);
        _hidden = _hidden.Select(h => Persist(h.IndexSelect(0, ids))).ToArray();
        _cells = _cells?.Select(c => Persist(c.IndexSelect(0, ids))).ToArray();
        Feed = Feed?.IndexSelect(0, ids);
        Memory = Persist(Memory.IndexSelect(0, ids));
        Mask = Persist(Mask.IndexSelect(0, ids));
        Keys = PersistOrNull(Keys?.IndexSelect(0, ids));
        LastAttention = LastAttention?.IndexSelect(0, ids);
    }

    private Tensor? PersistOrNull(Tensor? x) => x is null ? null : Persist(x);

    private Tensor Persist(Tensor x) => _persistent && TensorScope.IsActive ? TensorScope.Keep(x) : x;
}
