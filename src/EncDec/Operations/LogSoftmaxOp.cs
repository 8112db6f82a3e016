using EncDec.Autograd;
using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// y = log softmax(x) along one axis, in the log domain (see <see cref="LogSoftmaxKernel"/>). Saves the output.
/// Backward: dx += dy − exp(y) ⊙ Σ dy along the axis.
/// </summary>
internal sealed class LogSoftmaxOp : Operation
{
    public static readonly LogSoftmaxOp Instance = new();
    public override string Name => "LogSoftmax";

    public static Tensor Forward(Tensor x, int axis)
    {
        int a = ShapeMath.NormalizeAxis("LogSoftmax", axis, x.Rank);
        var y = Tensor.Allocate(x.Shape);
        var (outer, n, inner) = SoftmaxKernel.Split(x.Shape, a);
        if (y.Count > 0)
        {
            var scratch = SoftmaxOp.Scratch(inner);
            LogSoftmaxKernel.Forward(SoftmaxOp.DenseInput(x, y), y.AsSpan(), outer, n, inner, SoftmaxOp.ScratchSpan(scratch));
        }
        if (y.Record(Instance, x)) y.Int0 = a;
        return y;
    }

    public override void Backward(Tensor y)
    {
        var x = y.Input0!;
        if (!x.RequiresGrad || y.Count == 0) return;
        var (outer, n, inner) = SoftmaxKernel.Split(y.Shape, y.Int0);
        var scratch = SoftmaxOp.Scratch(inner);
        LogSoftmaxKernel.Backward(y.AsSpan(), y.Grad!.AsSpan(), x.GradBuffer(), outer, n, inner, SoftmaxOp.ScratchSpan(scratch));
    }
}

public static partial class TensorOps
{
    /// <summary>Log-softmax along <paramref name="axis"/> (default the last): x − max − log Σ exp(x − max).</summary>
    /// <param name="x">any shape of rank ≥ 1</param>
    /// <param name="axis">the axis to normalise over; negative counts from the end</param>
    /// <returns>x's shape; exp of each slice along <paramref name="axis"/> sums to 1</returns>
    public static Tensor LogSoftmax(this Tensor x, int axis = -1) => LogSoftmaxOp.Forward(x, axis);
}
