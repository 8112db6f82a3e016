namespace EncDec.Tensors;

/// <summary>
/// A dense row-major int32 tensor for token ids, targets and indices, e.g. (batch, srcLen).
/// Holds its own array; the caller may reuse one instance across steps by rewriting <see cref="AsSpan"/>.
/// </summary>
public sealed class IntTensor
{
    private readonly int[] _shape;
    private readonly int[] _data;

    /// <summary>A tensor over a copy of <paramref name="data"/> with the given shape.</summary>
    public IntTensor(ReadOnlySpan<int> data, params ReadOnlySpan<int> shape)
    {
        int count = ShapeMath.Count(shape);
        if (data.Length != count)
            throw new ArgumentException($"IntTensor: {data.Length} values cannot fill shape {ShapeMath.Format(shape)} ({count} elements)");
        _shape = shape.ToArray();
        _data = data.ToArray();
    }

    /// <summary>A zero-filled tensor of the given shape.</summary>
    public static IntTensor Zeros(params ReadOnlySpan<int> shape) => new(new int[ShapeMath.Count(shape)], shape);

    /// <summary>Size of each dimension.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>Total number of elements.</summary>
    public int Count => _data.Length;

    /// <summary>The elements in row-major order.</summary>
    public Span<int> AsSpan() => _data;

    /// <summary>Element at <paramref name="index"/> (one coordinate per dimension).</summary>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public int this[params ReadOnlySpan<int> index]
    {
        get => _data[FlatIndex(index)];
        set => _data[FlatIndex(index)] = value;
    }

    /// <inheritdoc />
    public override string ToString() => $"IntTensor{ShapeMath.Format(Shape)}";

    private int FlatIndex(ReadOnlySpan<int> index)
    {
        if (index.Length != _shape.Length)
            throw new ArgumentException($"IntTensor {ShapeMath.Format(Shape)} needs {_shape.Length} indices, got {index.Length}");
        int flat = 0;
        for (int i = 0; i < index.Length; i++)
        {
            if ((uint)index[i] >= (uint)_shape[i])
                throw new IndexOutOfRangeException($"index {index[i]} is out of range for dimension {i} of size {_shape[i]} in IntTensor {ShapeMath.Format(Shape)}");
            flat = flat * _shape[i] + index[i];
        }
        return flat;
    }
}
