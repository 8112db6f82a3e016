using EncDec.Autograd;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// y = x · Wᵀ + b, the affine map of <see cref="Nn.Linear"/>, as one operation: the output starts as the bias and
/// the GEMM adds the product, instead of a product followed by a broadcast add over the whole output.
/// Backward: dx = dy · W and dW = dyᵀ · x (<see cref="MatMulOp.BackwardProduct"/>), db = Σ over rows of dy.
/// </summary>
internal sealed class LinearOp : Operation
{
    public static readonly LinearOp Instance = new();
    public override string Name => "Linear";

    /// <param name="x">(..., in)</param>
    /// <param name="weight">(out, in)</param>
    /// <param name="bias">(out)</param>
    /// <returns>(..., out)</returns>
    public static Tensor Forward(Tensor x, Tensor weight, Tensor bias)
    {
        if (bias.Rank != 1 || weight.Rank != 2 || bias.Dim(0) != weight.Dim(0))
            throw new ShapeMismatchException("Linear", weight.Shape, bias.Shape, "bias must be (out) for a weight (out, in)");
        var y = MatMulOp.Product(ref x, ref weight, transposeA: false, transposeB: true, bias);
        y.Record(Instance, x, weight, bias);
        return y;
    }

    public override void Backward(Tensor y)
    {
        Tensor x = y.Input0!, weight = y.Input1!, bias = y.Input2!;
        if (x.RequiresGrad || weight.RequiresGrad) MatMulOp.BackwardProduct(y, x, weight, transposeA: false, transposeB: true);
        if (bias.RequiresGrad) GradientReduction.AccumulateBroadcast(bias, y.Grad!.AsSpan(), y.Shape);
    }
}

public static partial class TensorOps
{
    /// <summary>x · weightᵀ + bias: x (..., in), weight (out, in), bias (out) → (..., out).</summary>
    public static Tensor Linear(this Tensor x, Tensor weight, Tensor bias) => LinearOp.Forward(x, weight, bias);
}
