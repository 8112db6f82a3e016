using EncDec.Autograd;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>y = a dense row-major copy of x (x itself when already dense). Backward: dx += dy.</summary>
internal sealed class ContiguousOp : Operation
{
    public static readonly ContiguousOp Instance = new();
    public override string Name => "Contiguous";

    public static Tensor Forward(Tensor x)
    {
        if (x.IsContiguous) return x;
        var y = Tensor.Allocate(x.Shape);
        StridedCopy.ToDense(x, y.AsSpan());
        y.Record(Instance, x);
        return y;
    }

    public override void Backward(Tensor y)
    {
        GradientReduction.AccumulateDense(y.Input0!, y.Grad!.AsSpan());
    }
}

public static partial class TensorOps
{
    /// <summary>x if it is already dense row-major, otherwise a dense copy.</summary>
    public static Tensor Contiguous(this Tensor x) => ContiguousOp.Forward(x);
}
