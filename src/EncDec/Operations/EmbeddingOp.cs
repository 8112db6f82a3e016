using EncDec.Autograd;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// y[i..., :] = weight[ids[i...], :], a row lookup. Backward scatter-adds each row of dy into the
/// row of weight.Grad it came from, so a token that occurs several times collects every occurrence's gradient.
/// </summary>
internal sealed class EmbeddingOp : Operation
{
    public static readonly EmbeddingOp Instance = new();
    public override string Name => "Embedding";

    public static Tensor Forward(Tensor weight, IntTensor ids)
    {
        if (weight.Rank != 2)
            throw new ShapeMismatchException("Embedding", weight.Shape, ids.Shape,
                $"the weight {weight.Describe()} must be (vocab, dim)");
        if (ids.Rank + 1 > ShapeBuffer.MaxRank)
            throw new ShapeMismatchException("Embedding", weight.Shape, ids.Shape,
                $"ids of rank {ids.Rank} would give a result above the maximum rank {ShapeBuffer.MaxRank}");
        int vocab = weight.Shape[0], dim = weight.Shape[1];
        ReadOnlySpan<int> tokens = ids.AsSpan();
        for (int i = 0; i < tokens.Length; i++)
            if ((uint)tokens[i] >= (uint)vocab)
                throw new IndexOutOfRangeException(
                    $"Embedding: id {tokens[i]} at position {IndexSelectOp.FormatPosition(i, ids.Shape)} is out of range for vocabulary size {vocab} (weight {weight.Describe()}, ids {ShapeMath.Format(ids.Shape)})");
        Span<int> shape = stackalloc int[ids.Rank + 1];
        ids.Shape.CopyTo(shape);
        shape[^1] = dim;
        weight = weight.Contiguous();
        var y = Tensor.Allocate(shape);
        var table = weight.AsSpan();
        var output = y.AsSpan();
        EmbeddingRows.Gather(table, tokens, output, dim);
        if (y.Record(Instance, weight)) y.Context = ids;     // read again by backward: must not change before it
        return y;
    }

    public override void Backward(Tensor y)
    {
        var weight = y.Input0!;
        int dim = weight.Shape[1];
        ReadOnlySpan<int> tokens = ((IntTensor)y.Context!).AsSpan();
        var dw = weight.GradBuffer();
        var dy = y.Grad!.AsSpan();
        EmbeddingRows.ScatterAdd(dw, tokens, dy, dim);
    }
}

public static partial class TensorOps
{
    /// <summary>Looks up rows of an embedding table. The ids are read again by backward, so do not change them before it.</summary>
    /// <param name="weight">(vocab, dim)</param>
    /// <param name="ids">any shape, e.g. (batch, seqLen), values in [0, vocab)</param>
    /// <returns>(ids.shape..., dim), e.g. (batch, seqLen, dim)</returns>
    public static Tensor Embedding(this Tensor weight, IntTensor ids) => EmbeddingOp.Forward(weight, ids);
}
