using EncDec.Autograd;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>y = x with dimensions reordered (a strided view): y.shape[i] = x.shape[dims[i]].
/// Backward: dx += dy permuted back, written through a view of dx with the same permutation.</summary>
internal sealed class PermuteOp : Operation
{
    public static readonly PermuteOp Instance = new();
    public override string Name => "Permute";

    public static Tensor Forward(Tensor x, ReadOnlySpan<int> dims)
    {
        if (dims.Length != x.Rank)
            throw new ShapeMismatchException("Permute", $"{dims.Length} dimensions given for tensor {x.Describe()} of rank {x.Rank}");
        Span<int> shape = stackalloc int[x.Rank], strides = stackalloc int[x.Rank];
        int seen = 0;
        for (int i = 0; i < dims.Length; i++)
        {
            int d = ShapeMath.NormalizeAxis("Permute", dims[i], x.Rank);
            if ((seen & (1 << d)) != 0)
                throw new ShapeMismatchException("Permute", $"dimension {d} repeats in permutation {ShapeMath.Format(dims)}");
            seen |= 1 << d;
            shape[i] = x.Shape[d];
            strides[i] = x.Strides[d];
        }
        var y = Tensor.CreateView(x, x.Offset, shape, strides);
        if (y.Record(Instance, x))
        {
            int packed = 0;                                  // permutation packed 4 bits per axis (rank <= 8)
            for (int i = 0; i < dims.Length; i++) packed |= ShapeMath.NormalizeAxis("Permute", dims[i], x.Rank) << (4 * i);
            y.Int0 = packed;
        }
        return y;
    }

    public override void Backward(Tensor y)
    {
        var x = y.Input0!;
        x.GradBufferForOverwrite(out bool fresh);   // a first gradient is written through the view, not added to zeros
        var dx = x.Grad!;
        Span<int> shape = stackalloc int[x.Rank], strides = stackalloc int[x.Rank];
        for (int i = 0; i < x.Rank; i++)
        {
            int d = (y.Int0 >> (4 * i)) & 0xF;
            shape[i] = dx.Shape[d];
            strides[i] = dx.Strides[d];
        }
        var dxView = Tensor.CreateView(dx, dx.Offset, shape, strides);  // dx seen in y's layout
        if (fresh) StridedCopy.CopyInto(y.Grad!.AsSpan(), dxView);
        else StridedCopy.AccumulateInto(y.Grad!.AsSpan(), dxView);
    }
}

public static partial class TensorOps
{
    /// <summary>A view with dimensions reordered: result.shape[i] = x.shape[dims[i]].</summary>
    public static Tensor Permute(this Tensor x, params ReadOnlySpan<int> dims) => PermuteOp.Forward(x, dims);

    /// <summary>A view with dimensions <paramref name="axis0"/> and <paramref name="axis1"/> swapped (default: the last two).</summary>
    public static Tensor Transpose(this Tensor x, int axis0 = -2, int axis1 = -1)
    {
        int a = ShapeMath.NormalizeAxis("Transpose", axis0, x.Rank), b = ShapeMath.NormalizeAxis("Transpose", axis1, x.Rank);
        Span<int> dims = stackalloc int[x.Rank];
        for (int i = 0; i < dims.Length; i++) dims[i] = i;
        (dims[a], dims[b]) = (dims[b], dims[a]);
        return PermuteOp.Forward(x, dims);
    }
}
