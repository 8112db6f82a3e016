using EncDec.Autograd;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>y = x[..., start:start+length, ...] along one axis (a view). Backward: the same slice of dx += dy.</summary>
internal sealed class NarrowOp : Operation
{
    public static readonly NarrowOp Instance = new();
    public override string Name => "Narrow";

    public static Tensor Forward(Tensor x, int axis, int start, int length)
    {
        int a = ShapeMath.NormalizeAxis("Narrow", axis, x.Rank);
        if (start < 0 || length < 0 || start + length > x.Shape[a])
            throw new ArgumentOutOfRangeException(nameof(start),
                $"Narrow: range [{start}, {start + length}) is outside dimension {a} of size {x.Shape[a]} in tensor {x.Describe()}");
        Span<int> shape = stackalloc int[x.Rank];
        x.Shape.CopyTo(shape);
        shape[a] = length;
        var y = Tensor.CreateView(x, x.Offset + start * x.Strides[a], shape, x.Strides);
        if (y.Record(Instance, x))
        {
            y.Int0 = a;
            y.Int1 = start;
        }
        return y;
    }

    public override void Backward(Tensor y)
    {
        var x = y.Input0!;
        x.GradBuffer();
        var dx = x.Grad!;
        int axis = y.Int0;
        var dxSlice = Tensor.CreateView(dx, dx.Offset + y.Int1 * dx.Strides[axis], y.Shape, dx.Strides);
        StridedCopy.AccumulateInto(y.Grad!.AsSpan(), dxSlice);
    }
}

public static partial class TensorOps
{
    /// <summary>A view of <paramref name="length"/> entries of <paramref name="axis"/> starting at <paramref name="start"/>.</summary>
    public static Tensor Narrow(this Tensor x, int axis, int start, int length) => NarrowOp.Forward(x, axis, start, length);

    /// <summary>Views that cut <paramref name="axis"/> into consecutive pieces of the given sizes (which must add up to its size).</summary>
    public static Tensor[] Split(this Tensor x, int axis, params ReadOnlySpan<int> sizes)
    {
        int a = ShapeMath.NormalizeAxis("Split", axis, x.Rank);
        int total = 0;
        foreach (int size in sizes) total += size;
        if (total != x.Shape[a])
            throw new ShapeMismatchException("Split", $"sizes {ShapeMath.Format(sizes)} add up to {total}, but dimension {a} of {x.Describe()} is {x.Shape[a]}");
        var pieces = new Tensor[sizes.Length];
        int start = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            pieces[i] = NarrowOp.Forward(x, a, start, sizes[i]);
            start += sizes[i];
        }
        return pieces;
    }

    /// <summary>Views that cut <paramref name="axis"/> into <paramref name="count"/> equal pieces.</summary>
    public static Tensor[] Chunk(this Tensor x, int count, int axis)
    {
        int a = ShapeMath.NormalizeAxis("Chunk", axis, x.Rank);
        if (count <= 0 || x.Shape[a] % count != 0)
            throw new ShapeMismatchException("Chunk", $"dimension {a} of {x.Describe()} does not divide into {count} equal pieces");
        Span<int> sizes = stackalloc int[count];
        sizes.Fill(x.Shape[a] / count);
        return x.Split(a, sizes);
    }
}
