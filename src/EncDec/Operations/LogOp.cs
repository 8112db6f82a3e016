using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>y = ln x elementwise (NaN for x &lt; 0, −∞ at 0, as in IEEE). Backward: dx += dy / x.</summary>
internal sealed class LogOp : UnaryOp
{
    public static readonly LogOp Instance = new();
    public override string Name => "Log";
    protected override bool BackwardReadsOutput => false;

    protected override void Forward(ReadOnlySpan<float> x, Span<float> y, float parameter) => TensorPrimitives.Log(x, y);

    protected override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float parameter, bool overwrite) =>
        BinaryKernel.ApplyOrAccumulate<DivideOperator>(dy, x, dx, accumulate: !overwrite);
}

public static partial class TensorOps
{
    /// <summary>Natural logarithm elementwise.</summary>
    /// <param name="x">any shape</param>
    /// <returns>x's shape</returns>
    public static Tensor Log(this Tensor x) => LogOp.Instance.Apply(x);
}
