using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>
/// What a <see cref="RnnDecoder"/> carries between steps for a batch of hypotheses: per-layer h (and c
/// for LSTMs), the previous attentional state h̃ (input feeding), and what was derived once from the
/// encoder output: the memory, its padding mask and the attention's precomputed keys.
/// </summary>
public sealed class RnnDecoderState : IDecoderState
{
    internal RnnDecoderState(Tensor[] hidden, Tensor[]? cells, Tensor? feed, Tensor memory, Tensor mask, Tensor? keys)
    {
        Hidden = hidden;
        Cells = cells;
        Feed = feed;
        Memory = memory;
        Mask = mask;
        Keys = keys;
    }

    /// <summary>h of each layer, bottom first, each (batch, hidden).</summary>
    public Tensor[] Hidden { get; private set; }

    /// <summary>LSTM only: c of each layer, each (batch, hidden); null for GRUs.</summary>
    public Tensor[]? Cells { get; private set; }

    /// <summary>Luong with input feeding: the previous h̃ (batch, hidden), zeros before the first step; else null.</summary>
    public Tensor? Feed { get; internal set; }

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
    public Tensor? LastAttention { get; internal set; }

    /// <summary>Replaces the recurrent states after a step.</summary>
    internal void SetStates(Tensor[] hidden, Tensor[]? cells)
    {
        Hidden = hidden;
        Cells = cells;
    }

    /// <inheritdoc/>
    public void Reorder(ReadOnlySpan<int> indices)
    {
        foreach (int index in indices)
            if ((uint)index >= (uint)BatchSize)
                throw new ArgumentOutOfRangeException(nameof(indices), $"RnnDecoderState: index {index} is outside the batch of {BatchSize}");
        var ids = new IntTensor(indices, indices.Length);
        Hidden = Hidden.Select(h => h.IndexSelect(0, ids)).ToArray();
        Cells = Cells?.Select(c => c.IndexSelect(0, ids)).ToArray();
        Feed = Feed?.IndexSelect(0, ids);
        Memory = Memory.IndexSelect(0, ids);
        Mask = Mask.IndexSelect(0, ids);
        Keys = Keys?.IndexSelect(0, ids);
        LastAttention = LastAttention?.IndexSelect(0, ids);
    }
}
