using EncDec.Autograd;
using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>z = a + b with broadcasting. Backward: da += reduce(dz), db += reduce(dz).</summary>
internal sealed class AddOp : Operation
{
    public static readonly AddOp Instance = new();
    public override string Name => "Add";

    public static Tensor Forward(Tensor a, Tensor b)
    {
        var z = Broadcasting.Apply<AddOperator>("Add", a, b);
        z.Record(Instance, a, b);
        return z;
    }

    public override void Backward(Tensor z)
    {
        var dz = z.Grad!.AsSpan();
        if (z.Input0!.RequiresGrad) GradientReduction.AccumulateBroadcast(z.Input0, dz, z.Shape);
        if (z.Input1!.RequiresGrad) GradientReduction.AccumulateBroadcast(z.Input1, dz, z.Shape);
    }
}

public static partial class TensorOps
{
    /// <summary>a + b, broadcasting.</summary>
    public static Tensor Add(this Tensor a, Tensor b) => AddOp.Forward(a, b);
}
