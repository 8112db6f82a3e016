using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Generation;

/// <summary>
/// The naive reference for incremental decoding: wraps a decoder and, at every step, re-runs its teacher-forced
/// <see cref="IDecoder.Forward"/> over each row's whole prefix (start token included) and returns the last position's
/// logits. No cache is involved, so searching with it and with the wrapped decoder's own <see cref="IDecoder.Step"/>
/// must give the same tokens and scores. Quadratic in the length: for tests and debugging only. Its state reports no
/// attention.
/// </summary>
/// <param name="inner">The decoder whose <see cref="IDecoder.Forward"/> is re-run.</param>
public sealed class ReferenceDecoder(IDecoder inner) : IDecoder
{
    /// <inheritdoc/>
    public int VocabularySize => inner.VocabularySize;

    /// <inheritdoc/>
    public int MemoryDim => inner.MemoryDim;

    /// <inheritdoc/>
    public Tensor Forward(IntTensor targetInput, EncoderOutput encoded) => inner.Forward(targetInput, encoded);

    /// <inheritdoc/>
    public IDecoderState Start(EncoderOutput encoded) => new PrefixState(encoded);

    /// <inheritdoc/>
    public Tensor Step(IntTensor tokens, IDecoderState state)
    {
        if (state is not PrefixState prefixes)
            throw new ArgumentException($"ReferenceDecoder: expected its own state, got {state.GetType().Name}", nameof(state));
        if (tokens.Rank != 1 || tokens.Shape[0] != prefixes.BatchSize)
            throw new ArgumentException($"ReferenceDecoder: tokens {tokens} must be (batch {prefixes.BatchSize})", nameof(tokens));
        prefixes.Append(tokens.AsSpan());
        int batch = prefixes.BatchSize, length = prefixes.Length;
        var logits = inner.Forward(prefixes.Ids(), prefixes.Encoded);   // (batch, length, vocab)
        return logits.Narrow(1, length - 1, 1).Reshape(batch, VocabularySize);
    }

    /// <summary>Every row's prefix and the encoder output, reordered with the rows.</summary>
    private sealed class PrefixState : IDecoderState
    {
        private List<int[]> _prefixes;

        public PrefixState(EncoderOutput encoded)
        {
            Encoded = Persist(encoded);
            _prefixes = Enumerable.Range(0, encoded.BatchSize).Select(_ => Array.Empty<int>()).ToList();
        }

        public EncoderOutput Encoded { get; private set; }
        public int BatchSize => _prefixes.Count;
        public int Length => _prefixes.Count == 0 ? 0 : _prefixes[0].Length;
        public Tensor? LastAttention => null;
        public Tensor? LastAttentionHeads => null;

        public void Append(ReadOnlySpan<int> tokens)
        {
            for (int b = 0; b < _prefixes.Count; b++) _prefixes[b] = [.. _prefixes[b], tokens[b]];
        }

        /// <summary>(batch, Length) ids.</summary>
        public IntTensor Ids() => new(_prefixes.SelectMany(p => p).ToArray(), BatchSize, Length);

        public void Reorder(ReadOnlySpan<int> indices)
        {
            foreach (int index in indices)
                if ((uint)index >= (uint)BatchSize)
                    throw new ArgumentOutOfRangeException(nameof(indices), $"ReferenceDecoder: row {index} is outside the batch of {BatchSize}");
            var rows = new IntTensor(indices, indices.Length);
            Encoded = Persist(new EncoderOutput(Encoded.Memory.IndexSelect(0, rows), Encoded.PaddingMask.IndexSelect(0, rows),
                Encoded.FinalStates.Select(s => s.IndexSelect(0, rows)).ToList()));
            var old = _prefixes;
            _prefixes = new List<int[]>(indices.Length);
            foreach (int index in indices) _prefixes.Add(old[index]);
        }

        private static EncoderOutput Persist(EncoderOutput encoded) => !TensorScope.IsActive ? encoded
            : new EncoderOutput(TensorScope.Keep(encoded.Memory), TensorScope.Keep(encoded.PaddingMask),
                encoded.FinalStates.Select(TensorScope.Keep).ToList());
    }
}
