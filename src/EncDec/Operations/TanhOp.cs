using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>y = tanh x elementwise. Backward: dx += dy·(1 − y²).</summary>
internal sealed class TanhOp : UnaryOp
{
    public static readonly TanhOp Instance = new();
    public override string Name => "Tanh";
    protected override bool BackwardReadsOutput => true;

    protected override void Forward(ReadOnlySpan<float> x, Span<float> y, float parameter) => TensorPrimitives.Tanh(x, y);

    protected override void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, float parameter, bool overwrite) =>
        BinaryKernel.ApplyOrAccumulate<TanhBackwardOperator>(dy, y, dx, accumulate: !overwrite);
}

public static partial class TensorOps
{
    /// <summary>Hyperbolic tangent elementwise.</summary>
    /// <param name="x">any shape</param>
    /// <returns>x's shape</returns>
    public static Tensor Tanh(this Tensor x) => TanhOp.Instance.Apply(x);
}
