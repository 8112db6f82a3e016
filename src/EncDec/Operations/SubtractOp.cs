using EncDec.Autograd;
using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>z = a - b with broadcasting. Backward: da += reduce(dz), db -= reduce(dz).</summary>
internal sealed class SubtractOp : Operation
{
    public static readonly SubtractOp Instance = new();
    public override string Name => "Subtract";

    public static Tensor Forward(Tensor a, Tensor b)
    {
        var z = Broadcasting.Apply<SubtractOperator>("Subtract", a, b);
        z.Record(Instance, a, b);
        return z;
    }

    public override void Backward(Tensor z)
    {
        var dz = z.Grad!.AsSpan();
        if (z.Input0!.RequiresGrad) GradientReduction.AccumulateBroadcast(z.Input0, dz, z.Shape);
        if (z.Input1!.RequiresGrad) GradientReduction.AccumulateBroadcast(z.Input1, dz, z.Shape, scale: -1f);
    }
}

public static partial class TensorOps
{
    /// <summary>a - b, broadcasting.</summary>
    public static Tensor Subtract(this Tensor a, Tensor b) => SubtractOp.Forward(a, b);
}
