using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>y = max(x, 0) elementwise. Backward: dx += dy·[x &gt; 0] (slope 0 at the kink, as in PyTorch).</summary>
internal sealed class ReluOp : UnaryOp
{
    public static readonly ReluOp Instance = new();
    public override string Name => "Relu";
    protected override bool BackwardReadsOutput => false;

    protected override void Forward(ReadOnlySpan<float> x, Span<float> y, float parameter) => UnaryKernel.Apply<ReluOperator>(x, y);

    protected override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float parameter, bool overwrite) =>
        BinaryKernel.ApplyOrAccumulate<ReluBackwardOperator>(dy, x, dx, accumulate: !overwrite);
}

public static partial class TensorOps
{
    /// <summary>Rectified linear unit, max(x, 0), elementwise.</summary>
    /// <param name="x">any shape</param>
    /// <returns>x's shape</returns>
    public static Tensor Relu(this Tensor x) => ReluOp.Instance.Apply(x);
}
