using EncDec.Autograd;
using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>z = a / b elementwise with broadcasting. Backward: da += reduce(dz / b), db += reduce(-dz * z / b).</summary>
internal sealed class DivideOp : Operation
{
    public static readonly DivideOp Instance = new();
    public override string Name => "Divide";

    public static Tensor Forward(Tensor a, Tensor b)
    {
        var z = Broadcasting.Apply<DivideOperator>("Divide", a, b);
        z.Record(Instance, a, b);
        return z;
    }

    public override void Backward(Tensor z)
    {
        var dz = z.Grad!;
        var a = z.Input0!;
        var b = z.Input1!;
        var quotient = Tensor.Allocate(dz.Shape);                        // dz / b, (broadcast shape)
        Broadcasting.Into<DivideOperator>(dz, b, quotient);
        if (a.RequiresGrad) GradientReduction.AccumulateBroadcast(a, quotient.AsSpan(), dz.Shape);
        if (b.RequiresGrad)
        {
            // d(a/b)/db = -a/b^2 = -z/b, so db += -(dz/b) * z.
            BinaryKernel.Apply<MultiplyOperator>(quotient.AsSpan(), z.AsSpan(), quotient.AsSpan());
            GradientReduction.AccumulateBroadcast(b, quotient.AsSpan(), dz.Shape, scale: -1f);
        }
    }
}

public static partial class TensorOps
{
    /// <summary>a / b elementwise, broadcasting.</summary>
    public static Tensor Divide(this Tensor a, Tensor b) => DivideOp.Forward(a, b);
}
