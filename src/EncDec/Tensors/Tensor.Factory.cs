namespace EncDec.Tensors;

public sealed partial class Tensor
{
    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params ReadOnlySpan<int> shape) => Full(0f, shape);

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params ReadOnlySpan<int> shape) => Full(1f, shape);

    /// <summary>A tensor with every element equal to <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params ReadOnlySpan<int> shape)
    {
        var tensor = Allocate(shape);
        tensor.AsSpan().Fill(value);
        return tensor;
    }

    /// <summary>A one-element tensor of rank 0.</summary>
    public static Tensor Scalar(float value) => Full(value, ReadOnlySpan<int>.Empty);

    /// <summary>A tensor of <paramref name="shape"/> holding a copy of <paramref name="data"/> (row-major).</summary>
    public static Tensor FromArray(ReadOnlySpan<float> data, params ReadOnlySpan<int> shape)
    {
        int count = ShapeMath.Count(shape);
        if (data.Length != count)
            throw new ArgumentException($"FromArray: {data.Length} values cannot fill shape {ShapeMath.Format(shape)} ({count} elements)");
        var tensor = Allocate(shape);
        data.CopyTo(tensor.AsSpan());
        return tensor;
    }

    /// <summary>A tensor of zeros with the shape of <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like) => Zeros(like.Shape);

    /// <summary>
    /// A contiguous tensor with undefined contents. Inside a <see cref="TensorScope"/> it is pooled
    /// and recycled when the scope ends, unless <paramref name="persistent"/> is set.
    /// </summary>
    internal static Tensor Allocate(ReadOnlySpan<int> shape, bool persistent = false)
    {
        Span<int> strides = stackalloc int[shape.Length];
        ShapeMath.RowMajorStrides(shape, strides);
        int count = ShapeMath.Count(shape);
        if (!persistent && TensorScope.IsActive)
        {
            var tensor = TensorScope.RentTensor();
            tensor.SetLayout(StoragePool.Rent(count), 0, shape, strides);
            tensor.OwnsStorage = true;
            return tensor;
        }
        var result = new Tensor();
        result.SetLayout(new TensorStorage(count), 0, shape, strides);
        result.OwnsStorage = true;
        return result;
    }

    /// <summary>A zero-filled tensor allocated like <see cref="Allocate"/>.</summary>
    internal static Tensor AllocateZeros(ReadOnlySpan<int> shape, bool persistent = false)
    {
        var tensor = Allocate(shape, persistent);
        tensor.AsSpan().Clear();
        return tensor;
    }

    /// <summary>A view sharing <paramref name="source"/>'s storage with a new layout.</summary>
    internal static Tensor CreateView(Tensor source, int offset, ReadOnlySpan<int> shape, ReadOnlySpan<int> strides)
    {
        var view = TensorScope.IsActive ? TensorScope.RentTensor() : new Tensor();
        view.SetLayout(source.Storage, offset, shape, strides);
        view.OwnsStorage = false;
        return view;
    }
}
