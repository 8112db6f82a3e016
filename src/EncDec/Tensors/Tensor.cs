using System.Runtime.InteropServices;

namespace EncDec.Tensors;

/// <summary>
/// A float32 N-d tensor: row-major shape and strides over a <see cref="TensorStorage"/> starting at
/// an offset. Reshape, transpose, permute and narrow return views that share the storage;
/// <c>Contiguous()</c> copies when a dense layout is needed.
/// Tensors created inside a <see cref="TensorScope"/> are recycled when the scope ends.
/// </summary>
public sealed partial class Tensor
{
    private ShapeBuffer _shape;
    private ShapeBuffer _strides;
    private int _rank;
    private TensorStorage? _storage;

    internal Tensor() { }

    /// <summary>Number of dimensions.</summary>
    public int Rank => _rank;

    /// <summary>Size of each dimension.</summary>
    public ReadOnlySpan<int> Shape => MemoryMarshal.CreateReadOnlySpan(ref _shape[0], _rank);

    /// <summary>Step in elements between neighbours along each dimension (0 for a broadcast dimension).</summary>
    public ReadOnlySpan<int> Strides => MemoryMarshal.CreateReadOnlySpan(ref _strides[0], _rank);

    /// <summary>Total number of elements.</summary>
    public int Count { get; private set; }

    /// <summary>Index of element (0, ..., 0) in <see cref="Storage"/>.</summary>
    public int Offset { get; private set; }

    /// <summary>True when the elements are laid out densely in row-major order.</summary>
    public bool IsContiguous { get; private set; }

    /// <summary>A name for error messages and checkpoints (e.g. <c>encoder.layers.0.fc1.weight</c>).</summary>
    public string? Name { get; set; }

    /// <summary>The memory this tensor reads and writes.</summary>
    public TensorStorage Storage => _storage ?? throw Released();

    /// <summary>Size of dimension <paramref name="axis"/> (negative counts from the end).</summary>
    public int Dim(int axis) => _shape[ShapeMath.NormalizeAxis("Dim", axis, _rank)];

    /// <summary>The elements as one span; the tensor must be contiguous.</summary>
    public Span<float> AsSpan()
    {
        if (!IsContiguous)
            throw new InvalidOperationException(
                $"tensor {Describe()} is not contiguous; call Contiguous() first");
        return Storage.Slice(Offset, Count);
    }

    /// <summary>Element at <paramref name="index"/> (one coordinate per dimension).</summary>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public float this[params ReadOnlySpan<int> index]
    {
        get => Storage.Slice(ElementOffset(index), 1)[0];
        set => Storage.Slice(ElementOffset(index), 1)[0] = value;
    }

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Count != 1) throw new InvalidOperationException($"Item() needs one element; tensor {Describe()} has {Count}");
        return Storage.Slice(Offset, 1)[0];
    }

    /// <summary>A dense row-major copy of the elements.</summary>
    public float[] ToArray()
    {
        var result = new float[Count];
        StridedCopy.ToDense(this, result);
        return result;
    }

    /// <summary>Shape and name, e.g. <c>'fc1.weight' (256, 512)</c>, for messages.</summary>
    public string Describe() => Name is null ? ShapeMath.Format(Shape) : $"'{Name}' {ShapeMath.Format(Shape)}";

    /// <inheritdoc />
    public override string ToString() => $"Tensor{ShapeMath.Format(Shape)}{(Name is null ? "" : " " + Name)}";

    internal void SetLayout(TensorStorage storage, int offset, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        if (shape.Length > ShapeBuffer.MaxRank)
            throw new ArgumentException($"rank {shape.Length} exceeds the maximum of {ShapeBuffer.MaxRank}");
        _storage = storage;
        Offset = offset;
        _rank = shape.Length;
        shape.CopyTo(_shape);
        strides.CopyTo(_strides);
        Count = ShapeMath.Count(shape);
        IsContiguous = ComputeContiguous();
    }

    private bool ComputeContiguous()
    {
        if (Count == 0) return true;                  // no element is out of place in an empty tensor
        int expected = 1;
        for (int i = _rank - 1; i >= 0; i--)
        {
            if (_shape[i] != 1 && _strides[i] != expected) return false;
            expected *= _shape[i];
        }
        return true;
    }

    private int ElementOffset(ReadOnlySpan<int> index)
    {
        if (index.Length != _rank)
            throw new ArgumentException($"tensor {Describe()} needs {_rank} indices, got {index.Length}");
        int offset = Offset;
        for (int i = 0; i < _rank; i++)
        {
            if ((uint)index[i] >= (uint)_shape[i])
                throw new IndexOutOfRangeException(
                    $"index {index[i]} is out of range for dimension {i} of size {_shape[i]} in tensor {Describe()}");
            offset += index[i] * _strides[i];
        }
        return offset;
    }

    private ObjectDisposedException Released() =>
        new(nameof(Tensor), "this tensor was recycled when its TensorScope ended; use TensorScope.Keep to take a result out of a scope");
}
