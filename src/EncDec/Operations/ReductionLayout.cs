using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// A contiguous tensor seen as (outer, length, inner) around the reduced axis: element
/// (o, k, j) lives at (o * length + k) * inner + j. Reductions over the last axis have inner = 1,
/// so every row is one dense span; other axes reduce whole (outer, inner) rows at a time.
/// </summary>
internal readonly struct ReductionLayout
{
    public ReductionLayout(ReadOnlySpan<int> shape, int axis)
    {
        Axis = axis;
        Length = shape[axis];
        Outer = ShapeMath.Count(shape[..axis]);
        Inner = ShapeMath.Count(shape[(axis + 1)..]);
    }

    /// <summary>The reduced dimension (non-negative).</summary>
    public int Axis { get; }

    /// <summary>Product of the dimensions before the axis.</summary>
    public int Outer { get; }

    /// <summary>Size of the reduced axis.</summary>
    public int Length { get; }

    /// <summary>Product of the dimensions after the axis.</summary>
    public int Inner { get; }

    /// <summary>Writes the reduced shape (the axis kept as 1, or dropped) into <paramref name="result"/>; returns its rank.</summary>
    public static int ReducedShape(ReadOnlySpan<int> shape, int axis, bool keepDim, Span<int> result)
    {
        int rank = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if (i != axis) result[rank++] = shape[i];
            else if (keepDim) result[rank++] = 1;
        }
        return rank;
    }
}
