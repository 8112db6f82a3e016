using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>y = √x elementwise. Backward: dx += dy / (2y).</summary>
internal sealed class SqrtOp : UnaryOp
{
    public static readonly SqrtOp Instance = new();
    public override string Name => "Sqrt";
    protected override bool BackwardReadsOutput => true;

    protected override void Forward(ReadOnlySpan<float> x, Span<float> y, float parameter) => TensorPrimitives.Sqrt(x, y);

    protected override void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float parameter, bool overwrite) =>
        BinaryKernel.ApplyOrAccumulate<SqrtBackwardOperator>(dy, y, dx, accumulate: !overwrite);
}

public static partial class TensorOps
{
    /// <summary>Square root elementwise.</summary>
    /// <param name="x">any shape</param>
    /// <returns>x's shape</returns>
    public static Tensor Sqrt(this Tensor x) => SqrtOp.Instance.Apply(x);
}
