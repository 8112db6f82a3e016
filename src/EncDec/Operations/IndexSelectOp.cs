using EncDec.Autograd;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// y[o, i..., j] = x[o, indices[i...], j], x seen as (outer, n, inner): dimension <c>axis</c> of x is
/// replaced by the indices' shape. Backward is a scatter-add: dx[o, indices[i], j] += dy[o, i, j],
/// so an index that appears twice receives both gradients.
/// </summary>
internal sealed class IndexSelectOp : Operation
{
    public static readonly IndexSelectOp Instance = new();
    public override string Name => "IndexSelect";

    public static Tensor Forward(Tensor x, int axis, IntTensor indices)
    {
        int a = ShapeMath.NormalizeAxis("IndexSelect", axis, x.Rank);
        int rank = x.Rank - 1 + indices.Rank;
        if (rank > ShapeBuffer.MaxRank)
            throw new ShapeMismatchException("IndexSelect", x.Shape, indices.Shape,
                $"the result would have rank {rank}, above the maximum of {ShapeBuffer.MaxRank}");
        CheckIndices(x, a, indices);
        Span<int> shape = stackalloc int[rank];
        x.Shape[..a].CopyTo(shape);
        indices.Shape.CopyTo(shape[a..]);
        x.Shape[(a + 1)..].CopyTo(shape[(a + indices.Rank)..]);
        x = x.Contiguous();
        var y = Tensor.Allocate(shape);
        var layout = new ReductionLayout(x.Shape, a);
        ReadOnlySpan<int> ids = indices.AsSpan();
        var source = x.AsSpan();
        var output = y.AsSpan();
        int n = layout.Length, inner = layout.Inner, m = ids.Length;
        for (int o = 0; o < layout.Outer; o++)
            for (int k = 0; k < m; k++)
                source.Slice((o * n + ids[k]) * inner, inner).CopyTo(output.Slice((o * m + k) * inner, inner));
        if (y.Record(Instance, x))
        {
            y.Int0 = a;
            y.Context = indices;                             // read again by backward: must not change before it
        }
        return y;
    }

    public override void Backward(Tensor y)
    {
        var x = y.Input0!;
        var layout = new ReductionLayout(x.Shape, y.Int0);
        ReadOnlySpan<int> ids = ((IntTensor)y.Context!).AsSpan();
        var dx = x.GradBuffer();
        var dy = y.Grad!.AsSpan();
        int n = layout.Length, inner = layout.Inner, m = ids.Length;
        for (int o = 0; o < layout.Outer; o++)
            for (int k = 0; k < m; k++)
            {
                var target = dx.Slice((o * n + ids[k]) * inner, inner);
                TensorPrimitives.Add(target, dy.Slice((o * m + k) * inner, inner), target);
            }
    }

    private static void CheckIndices(Tensor x, int axis, IntTensor indices)
    {
        ReadOnlySpan<int> ids = indices.AsSpan();
        int size = x.Shape[axis];
        for (int i = 0; i < ids.Length; i++)
            if ((uint)ids[i] >= (uint)size)
                throw new IndexOutOfRangeException(
                    $"IndexSelect: index {ids[i]} at position {FormatPosition(i, indices.Shape)} is out of range for dimension {axis} of size {size} in tensor {x.Describe()}");
    }

    /// <summary>A flat position with its coordinates, e.g. <c>17 (1, 7)</c>, for error messages.</summary>
    internal static string FormatPosition(int flat, ReadOnlySpan<int> shape)
    {
        if (shape.Length <= 1) return flat.ToString();
        Span<int> coordinates = stackalloc int[shape.Length];
        int rest = flat;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            coordinates[d] = rest % shape[d];
            rest /= shape[d];
        }
        return $"{flat} {ShapeMath.Format(coordinates)}";
    }
}

public static partial class TensorOps
{
    /// <summary>Picks entries of <paramref name="axis"/> by index; dimension <paramref name="axis"/> is replaced by the indices' shape.
    /// Indices may repeat (their gradients add up). The indices are read again by backward, so do not change them before it.</summary>
    /// <param name="x">(..., n, ...)</param>
    /// <param name="axis">the dimension to select from (negative counts from the end)</param>
    /// <param name="indices">any shape I, values in [0, n)</param>
    /// <returns>(..., I..., ...)</returns>
    public static Tensor IndexSelect(this Tensor x, int axis, IntTensor indices) => IndexSelectOp.Forward(x, axis, indices);
}
