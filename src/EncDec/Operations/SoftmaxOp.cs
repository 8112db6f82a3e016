using EncDec.Autograd;
using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// y = softmax(x) along one axis, max-subtracted (see <see cref="SoftmaxKernel"/>). Saves the output.
/// Backward: dx += y ⊙ (dy − Σ dy⊙y) along the axis.
/// </summary>
internal sealed class SoftmaxOp : Operation
{
    public static readonly SoftmaxOp Instance = new();
    public override string Name => "Softmax";

    public static Tensor Forward(Tensor x, int axis)
    {
        int a = ShapeMath.NormalizeAxis("Softmax", axis, x.Rank);
        var y = Tensor.Allocate(x.Shape);
        var (outer, n, inner) = SoftmaxKernel.Split(x.Shape, a);
        if (y.Count > 0)
        {
            var scratch = Scratch(inner);
            SoftmaxKernel.Forward(DenseInput(x, y), y.AsSpan(), outer, n, inner, ScratchSpan(scratch));
        }
        if (y.Record(Instance, x)) y.Int0 = a;
        return y;
    }

    public override void Backward(Tensor y)
    {
        var x = y.Input0!;
        if (!x.RequiresGrad || y.Count == 0) return;
        var (outer, n, inner) = SoftmaxKernel.Split(y.Shape, y.Int0);
        var scratch = Scratch(inner);
        SoftmaxKernel.Backward(y.AsSpan(), y.Grad!.AsSpan(), x.GradBuffer(), outer, n, inner, ScratchSpan(scratch));
    }

    /// <summary>x's elements densely: x's own span, or a copy written into <paramref name="y"/> (the kernels allow y = x).</summary>
    internal static ReadOnlySpan<float> DenseInput(Tensor x, Tensor y)
    {
        if (x.IsContiguous) return x.AsSpan();
        StridedCopy.ToDense(x, y.AsSpan());
        return y.AsSpan();
    }

    /// <summary>The column path's scratch (null for the last-axis path, which needs none).</summary>
    internal static Tensor? Scratch(int inner)
    {
        int length = SoftmaxKernel.ScratchLength(inner);
        return length == 0 ? null : Tensor.Allocate([length]);
    }

    internal static Span<float> ScratchSpan(Tensor? scratch) => scratch is null ? Span<float>.Empty : scratch.AsSpan();
}

public static partial class TensorOps
{
    /// <summary>Softmax along <paramref name="axis"/> (default the last): exp(x − max) / Σ exp(x − max).</summary>
    /// <param name="x">any shape of rank ≥ 1</param>
    /// <param name="axis">the axis to normalise over; negative counts from the end</param>
    /// <returns>x's shape; each slice along <paramref name="axis"/> sums to 1</returns>
    public static Tensor Softmax(this Tensor x, int axis = -1) => SoftmaxOp.Forward(x, axis);
}
