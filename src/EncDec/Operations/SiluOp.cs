using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>y = x·σ(x) (SiLU, a.k.a. swish) elementwise. Backward: dx += dy·σ(x)(1 + x(1 − σ(x))).</summary>
internal sealed class SiluOp : UnaryOp
{
    public static readonly SiluOp Instance = new();
    public override string Name => "Silu";
    protected override bool BackwardReadsOutput => false;

    protected override void Forward(ReadOnlySpan<float> x, Span<float> y, float parameter) => UnaryKernel.Apply<SiluOperator>(x, y);

    protected override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float parameter, bool overwrite) =>
        BinaryKernel.ApplyOrAccumulate<SiluBackwardOperator>(dy, x, dx, accumulate: !overwrite);
}

public static partial class TensorOps
{
    /// <summary>SiLU (swish), x·sigmoid(x), elementwise.</summary>
    /// <param name="x">any shape</param>
    /// <returns>x's shape</returns>
    public static Tensor Silu(this Tensor x) => SiluOp.Instance.Apply(x);
}
