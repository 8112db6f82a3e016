using EncDec.Autograd;
using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>z = a * b elementwise with broadcasting. Backward: da += reduce(dz * b), db += reduce(dz * a).</summary>
internal sealed class MultiplyOp : Operation
{
    public static readonly MultiplyOp Instance = new();
    public override string Name => "Multiply";

    public static Tensor Forward(Tensor a, Tensor b)
    {
        var z = Broadcasting.Apply<MultiplyOperator>("Multiply", a, b);
        z.Record(Instance, a, b);
        return z;
    }

    public override void Backward(Tensor z)
    {
        var dz = z.Grad!;
        if (z.Input0!.RequiresGrad) AccumulateProduct(z.Input0, dz, z.Input1!);
        if (z.Input1!.RequiresGrad) AccumulateProduct(z.Input1, dz, z.Input0);
    }

    /// <summary>target.Grad += reduce(dz * other).</summary>
    internal static void AccumulateProduct(Tensor target, Tensor dz, Tensor other)
    {
        if (other.IsContiguous && ShapeMath.Same(target.Shape, dz.Shape) && ShapeMath.Same(other.Shape, dz.Shape))
        {
            BinaryKernel.Accumulate<MultiplyOperator>(dz.AsSpan(), other.AsSpan(), target.GradBuffer());
            return;
        }
        var product = Tensor.Allocate(dz.Shape);
        Broadcasting.Into<MultiplyOperator>(dz, other, product);
        GradientReduction.AccumulateBroadcast(target, product.AsSpan(), dz.Shape);
    }
}

public static partial class TensorOps
{
    /// <summary>a * b elementwise, broadcasting.</summary>
    public static Tensor Multiply(this Tensor a, Tensor b) => MultiplyOp.Forward(a, b);
}
