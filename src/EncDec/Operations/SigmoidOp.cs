using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>y = σ(x) = 1 / (1 + e⁻ˣ) elementwise. Backward: dx += dy·y·(1 − y).</summary>
internal sealed class SigmoidOp : UnaryOp
{
    public static readonly SigmoidOp Instance = new();
    public override string Name => "Sigmoid";
    protected override bool BackwardReadsOutput => true;

    protected override void Forward(ReadOnlySpan<float> x, Span<float> y, float parameter) => TensorPrimitives.Sigmoid(x, y);

    protected override void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float parameter, bool overwrite) =>
        BinaryKernel.ApplyOrAccumulate<SigmoidBackwardOperator>(dy, y, dx, accumulate: !overwrite);
}

public static partial class TensorOps
{
    /// <summary>Logistic sigmoid elementwise.</summary>
    /// <param name="x">any shape</param>
    /// <returns>x's shape</returns>
    public static Tensor Sigmoid(this Tensor x) => SigmoidOp.Instance.Apply(x);
}
