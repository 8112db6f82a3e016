using EncDec.Tensors;

namespace EncDec.Models;

/// <summary>
/// Everything a decoder carries from one step to the next for a batch of hypotheses: RNN hidden
/// states, or per-layer self-attention K/V caches, plus whatever it derived once from the encoder
/// output (cross-attention K/V, projected keys, the memory and its mask). Search is written against
/// this and never looks inside. Disposing a state when the search is done lets it return pooled buffers
/// (optional: an undisposed state is simply collected).
/// </summary>
public interface IDecoderState : IDisposable
{
    /// <summary>Number of hypotheses (rows) the state holds.</summary>
    int BatchSize { get; }

    /// <summary>Tokens decoded so far (the position of the next step).</summary>
    int Length { get; }

    /// <summary>The last step's attention over the source, (batch, srcLen), averaged over heads and
    /// layers as the decoder documents; null when the decoder has no attention.</summary>
    Tensor? LastAttention { get; }

    /// <summary>The last step's cross-attention of every decoder layer and head, (batch, layers, heads, srcLen), bottom
    /// layer first, rows summing to 1 and 0 at padded source positions (attention views, alignment); decoders with a
    /// single attention report (batch, 1, 1, srcLen). Null before the first step and when the decoder has no attention.</summary>
    Tensor? LastAttentionHeads { get; }

    /// <summary>Keeps rows <paramref name="indices"/> in that order: row i of the new state is row
    /// indices[i] of the old one. Indices may repeat (beam expansion) or omit rows (finished hypotheses).</summary>
    void Reorder(ReadOnlySpan<int> indices);

    /// <summary>Returns pooled buffers; the state must not be used afterwards. Does nothing by default.</summary>
    void IDisposable.Dispose() { }
}
