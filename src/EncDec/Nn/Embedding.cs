using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// A lookup table of vectors (PyTorch <c>nn.Embedding</c>): parameter <c>weight</c> (vocab, dim),
/// initialised N(0, 1) as PyTorch does. With a padding index, that row starts at zero and, as in
/// PyTorch, never receives a gradient, so it stays zero through training.
/// </summary>
public sealed class Embedding : Module
{
    /// <summary>Creates the table and draws its initial values from <paramref name="rng"/>.</summary>
    /// <param name="vocabularySize">Number of rows (token ids 0 .. vocab-1).</param>
    /// <param name="dim">Vector size.</param>
    /// <param name="rng">Source of the initial values.</param>
    /// <param name="paddingIndex">Optional id whose row is zero and receives no gradient.</param>
    public Embedding(int vocabularySize, int dim, RandomGenerator rng, int? paddingIndex = null)
    {
        if (vocabularySize <= 0 || dim <= 0)
            throw new ArgumentOutOfRangeException(nameof(vocabularySize),
                $"Embedding: vocabulary size and dim must be positive, got ({vocabularySize}, {dim})");
        if (paddingIndex is { } pad && (pad < 0 || pad >= vocabularySize))
            throw new ArgumentOutOfRangeException(nameof(paddingIndex),
                $"Embedding: padding index {pad} is outside the vocabulary of {vocabularySize}");
        VocabularySize = vocabularySize;
        Dim = dim;
        PaddingIndex = paddingIndex;
        var weight = Initializers.Normal(Tensor.AllocateZeros([vocabularySize, dim], persistent: true), rng);
        if (paddingIndex is { } index) weight.AsSpan().Slice(index * dim, dim).Clear();
        Weight = RegisterParameter("weight", weight);
    }

    /// <summary>Number of rows.</summary>
    public int VocabularySize { get; }

    /// <summary>Vector size.</summary>
    public int Dim { get; }

    /// <summary>The id whose row is kept at zero, if any.</summary>
    public int? PaddingIndex { get; }

    /// <summary>(vocab, dim).</summary>
    public Tensor Weight { get; }

    /// <summary>Looks up one vector per id.</summary>
    /// <param name="ids">Any shape S, e.g. (batch, len); every id in [0, vocab).</param>
    /// <returns>(S..., dim)</returns>
    public Tensor Forward(IntTensor ids)
    {
        var vectors = Weight.Embedding(ids);   // (S..., dim)
        if (PaddingIndex is not { } pad) return vectors;
        // Filling padded positions with zero (their value anyway) stops the gradient to the padding row.
        var mask = new float[ids.Count];
        var span = ids.AsSpan();
        bool any = false;
        for (int i = 0; i < mask.Length; i++)
            if (span[i] == pad) { mask[i] = 1f; any = true; }
        if (!any) return vectors;
        Span<int> maskShape = stackalloc int[ids.Rank + 1];
        ids.Shape.CopyTo(maskShape);
        maskShape[^1] = 1;
        return vectors.MaskedFill(Tensor.FromArray(mask, maskShape), 0f);
    }
}
