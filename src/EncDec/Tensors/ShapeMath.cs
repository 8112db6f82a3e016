using System.Text;

namespace EncDec.Tensors;

/// <summary>Shape arithmetic shared by tensors and operations: element counts, strides, broadcasting, formatting.</summary>
public static class ShapeMath
{
    /// <summary>Number of elements of <paramref name="shape"/>; throws on negative or overflowing sizes.</summary>
    public static int Count(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"shape {Format(shape)} has a negative dimension");
            count *= d;
            if (count > int.MaxValue)
                throw new ArgumentException($"shape {Format(shape)} has more than {int.MaxValue} elements");
        }
        return (int)count;
    }

    /// <summary>Writes the row-major (C order) strides of <paramref name="shape"/> into <paramref name="strides"/>.</summary>
    public static void RowMajorStrides(ReadOnlySpan<int> shape, Span<int> strides)
    {
        int stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= Math.Max(shape[i], 1);
        }
    }

    /// <summary>True when the two shapes are identical.</summary>
    public static bool Same(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>
    /// NumPy broadcasting: aligns trailing dimensions; each pair must be equal or contain a 1.
    /// Returns the rank of the result and writes its shape into <paramref name="result"/>.
    /// </summary>
    public static int Broadcast(string operation, ReadOnlySpan<int> a, ReadOnlySpan<int> b, Span<int> result)
    {
        int rank = Math.Max(a.Length, b.Length);
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ShapeMismatchException(operation, a, b,
                    $"dimension {i} of the broadcast result: {da} vs {db}");
            result[i] = da == 1 ? db : da;
        }
        return rank;
    }

    /// <summary>
    /// Strides that read <paramref name="shape"/>/<paramref name="strides"/> as if broadcast to
    /// <paramref name="resultShape"/>: leading and size-1 dimensions get stride 0.
    /// </summary>
    public static void BroadcastStrides(ReadOnlySpan<int> shape, ReadOnlySpan<int> strides, ReadOnlySpan<int> resultShape, Span<int> output)
    {
        int rank = resultShape.Length, lead = rank - shape.Length;
        for (int i = 0; i < rank; i++)
        {
            if (i < lead) { output[i] = 0; continue; }
            int d = shape[i - lead];
            output[i] = d == 1 && resultShape[i] != 1 ? 0 : strides[i - lead];
        }
    }

    /// <summary>Normalises a possibly negative axis (-1 = last) and checks it against <paramref name="rank"/>.</summary>
    public static int NormalizeAxis(string operation, int axis, int rank)
    {
        int normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized >= rank)
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"{operation}: axis {axis} is out of range for a rank-{rank} tensor");
        return normalized;
    }

    /// <summary>Formats a shape as <c>(2, 3, 4)</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        var text = new StringBuilder("(");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0) text.Append(", ");
            text.Append(shape[i]);
        }
        if (shape.Length == 1) text.Append(',');
        return text.Append(')').ToString();
    }
}
