using EncDec.Autograd;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>y = x with a new shape, same row-major element order (a view when x is contiguous). Backward: dx += dy.</summary>
internal sealed class ReshapeOp : Operation
{
    public static readonly ReshapeOp Instance = new();
    public override string Name => "Reshape";

    public static Tensor Forward(Tensor x, ReadOnlySpan<int> requested)
    {
        Span<int> shape = stackalloc int[requested.Length];
        Resolve(x, requested, shape);
        Span<int> strides = stackalloc int[shape.Length];
        ShapeMath.RowMajorStrides(shape, strides);
        var source = x.IsContiguous ? x : x.Contiguous();
        var y = Tensor.CreateView(source, source.Offset, shape, strides);
        y.Record(Instance, source);
        return y;
    }

    public override void Backward(Tensor y)
    {
        GradientReduction.AccumulateDense(y.Input0!, y.Grad!.AsSpan());
    }

    private static void Resolve(Tensor x, ReadOnlySpan<int> requested, Span<int> shape)
    {
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < requested.Length; i++)
        {
            if (requested[i] == -1)
            {
                if (inferred >= 0) throw new ShapeMismatchException("Reshape", $"shape {ShapeMath.Format(requested)} has more than one -1");
                inferred = i;
                continue;
            }
            if (requested[i] < 0) throw new ShapeMismatchException("Reshape", $"shape {ShapeMath.Format(requested)} has a negative dimension");
            known *= requested[i];
        }
        requested.CopyTo(shape);
        if (inferred >= 0)
        {
            if (known == 0 || x.Count % known != 0)
                throw new ShapeMismatchException("Reshape", $"cannot reshape {x.Describe()} to {ShapeMath.Format(requested)}");
            shape[inferred] = (int)(x.Count / known);
            known *= shape[inferred];
        }
        if (known != x.Count)
            throw new ShapeMismatchException("Reshape",
                $"cannot reshape {x.Describe()} ({x.Count} elements) to {ShapeMath.Format(requested)} ({known} elements)");
    }
}

public static partial class TensorOps
{
    /// <summary>x with a new shape holding the same elements in row-major order; one dimension may be -1 (inferred).
    /// A view when x is contiguous, otherwise a copy.</summary>
    public static Tensor Reshape(this Tensor x, params ReadOnlySpan<int> shape) => ReshapeOp.Forward(x, shape);
}
