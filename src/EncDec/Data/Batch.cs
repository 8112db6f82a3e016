using EncDec.Models;
using EncDec.Tensors;

namespace EncDec.Data;

/// <summary>
/// A training batch, right-padded, in the teacher-forcing layout: for a target y₁ … yₙ the decoder reads
/// [Start, y₁ … yₙ] and is trained to predict [y₁ … yₙ, End]. The tensors are created outside any
/// <see cref="TensorScope"/> (they live as long as the batch), so a batch may be read inside one step's scope.
/// </summary>
/// <example>Two pairs, sources [5 6] and [7] with End = 2 appended, targets [8 9 10] and [11], Start 1, Pad 0:
/// <code>
/// SourceIds         [[5 6 2] [7 2 0]]         SourcePaddingMask [[0 0 0] [0 0 1]]
/// TargetInput       [[1 8 9 10] [1 11 0 0]]   TargetOutput      [[8 9 10 2] [11 2 0 0]]
/// </code></example>
public sealed class Batch
{
    private Batch(IReadOnlyList<SentencePair> pairs, int[][] sources, int[][] targets, long index)
    {
        Pairs = pairs;
        SourceSequences = sources;
        TargetSequences = targets;
        Index = index;
        Sentences = pairs.Count;
        SourceLength = sources.Max(s => s.Length);
        TargetLength = targets.Max(t => t.Length) + 1;
        SourceTokens = sources.Sum(s => s.Length);
        TargetTokens = targets.Sum(t => t.Length + 1);
        SourceIds = IntTensor.Zeros(Sentences, SourceLength);
        SourcePaddingMask = Tensor.Allocate([Sentences, SourceLength], persistent: true);
        TargetInput = IntTensor.Zeros(Sentences, TargetLength);
        TargetOutput = IntTensor.Zeros(Sentences, TargetLength);
        TargetPaddingMask = Tensor.Allocate([Sentences, TargetLength], persistent: true);
    }

    /// <summary>(batch, srcLen) source ids (End last when the batcher appends it), Pad after.</summary>
    public IntTensor SourceIds { get; }

    /// <summary>(batch, srcLen) 1 at padding, 0 at real tokens (what attention masks).</summary>
    public Tensor SourcePaddingMask { get; }

    /// <summary>(batch, tgtLen) decoder input [Start, y₁ … yₙ], Pad after.</summary>
    public IntTensor TargetInput { get; }

    /// <summary>(batch, tgtLen) decoder output [y₁ … yₙ, End], Pad after (the loss ignores Pad).</summary>
    public IntTensor TargetOutput { get; }

    /// <summary>(batch, tgtLen) 1 at padding, 0 at real positions of <see cref="TargetOutput"/> and
    /// <see cref="TargetInput"/> (which share their padding).</summary>
    public Tensor TargetPaddingMask { get; }

    /// <summary>Number of sentence pairs (the batch dimension).</summary>
    public int Sentences { get; }

    /// <summary>srcLen: the longest source row.</summary>
    public int SourceLength { get; }

    /// <summary>tgtLen: the longest target row, n + 1 for the longest target of n tokens.</summary>
    public int TargetLength { get; }

    /// <summary>Non-pad tokens of <see cref="SourceIds"/>.</summary>
    public int SourceTokens { get; }

    /// <summary>Non-pad tokens of <see cref="TargetOutput"/>: the tokens the loss is summed over (normalise by this).</summary>
    public int TargetTokens { get; }

    /// <summary>The batching budget this batch uses: max(srcLen, tgtLen) × sentences, at most
    /// <see cref="BatchingOptions.MaxTokens"/> unless the batch is a single longer pair.</summary>
    public int PaddedTokens => Math.Max(SourceLength, TargetLength) * Sentences;

    /// <summary>Pad cells of the source and target tensors over all their cells (0 = no padding at all).</summary>
    public double PaddingRatio =>
        1.0 - (double)(SourceTokens + TargetTokens) / ((long)Sentences * (SourceLength + TargetLength));

    /// <summary>The source rows unpadded (End included when appended), one per sentence, in batch order.</summary>
    public IReadOnlyList<int[]> SourceSequences { get; }

    /// <summary>The target ids y₁ … yₙ unpadded, without Start or End: the references for decoding-based validation.</summary>
    public IReadOnlyList<int[]> TargetSequences { get; }

    /// <summary>The text pairs and where they were read, in batch order.</summary>
    public IReadOnlyList<SentencePair> Pairs { get; }

    /// <summary>Position of the batch in its epoch (or sequential pass), from 0; skipped batches count.</summary>
    public long Index { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"Batch {Index}: {Sentences} sentences, source ({Sentences}, {SourceLength}), target ({Sentences}, {TargetLength}), {PaddingRatio:P1} padding";

    /// <summary>Builds the padded tensors of <paramref name="pairs"/>.</summary>
    internal static Batch Create(IReadOnlyList<TokenizedPair> pairs, SpecialIds ids, long index)
    {
        if (pairs.Count == 0) throw new ArgumentException("a batch needs at least one pair", nameof(pairs));
        var batch = new Batch(pairs.Select(p => p.Pair).ToArray(), pairs.Select(p => p.Source).ToArray(),
            pairs.Select(p => p.Target).ToArray(), index);
        batch.Fill(ids);
        return batch;
    }

    private void Fill(SpecialIds ids)
    {
        Span<int> source = SourceIds.AsSpan(), input = TargetInput.AsSpan(), output = TargetOutput.AsSpan();
        source.Fill(ids.Pad);
        input.Fill(ids.Pad);
        output.Fill(ids.Pad);
        SourcePaddingMask.AsSpan().Fill(1f);
        TargetPaddingMask.AsSpan().Fill(1f);
        for (int b = 0; b < Sentences; b++)
        {
            int[] row = SourceSequences[b], target = TargetSequences[b];
            row.CopyTo(source.Slice(b * SourceLength));
            SourcePaddingMask.AsSpan().Slice(b * SourceLength, row.Length).Clear();
            int offset = b * TargetLength;
            input[offset] = ids.Start;
            target.CopyTo(input.Slice(offset + 1));
            target.CopyTo(output.Slice(offset));
            output[offset + target.Length] = ids.End;
            TargetPaddingMask.AsSpan().Slice(offset, target.Length + 1).Clear();
        }
    }
}
