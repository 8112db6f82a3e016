using EncDec.Kernels;
using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// y = gelu(x) elementwise, exact (x·Φ(x)) or tanh-approximated; one singleton per form.
/// Backward: dx += dy·gelu'(x), reading x (see <see cref="GeluBackwardOperator"/> and <see cref="GeluTanhBackwardOperator"/>).
/// </summary>
internal sealed class GeluOp : UnaryOp
{
    public static readonly GeluOp Exact = new(GeluApproximation.None);
    public static readonly GeluOp TanhForm = new(GeluApproximation.Tanh);

    private readonly GeluApproximation _approximation;
    private GeluOp(GeluApproximation approximation) => _approximation = approximation;

    public override string Name => _approximation == GeluApproximation.Tanh ? "GeluTanh" : "Gelu";
    protected override bool BackwardReadsOutput => false;

    public static GeluOp For(GeluApproximation approximation) => approximation switch
    {
        GeluApproximation.None => Exact,
        GeluApproximation.Tanh => TanhForm,
        _ => throw new ArgumentOutOfRangeException(nameof(approximation), approximation,
            $"Gelu: approximation {(int)approximation} is not {nameof(GeluApproximation.None)} or {nameof(GeluApproximation.Tanh)}"),
    };

    protected override void Forward(ReadOnlySpan<float> x, Span<float> y, float parameter)
    {
        if (_approximation == GeluApproximation.Tanh) UnaryKernel.Apply<GeluTanhOperator>(x, y);
        else UnaryKernel.Apply<GeluOperator>(x, y);
    }

    protected override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float parameter, bool overwrite)
    {
        if (_approximation == GeluApproximation.Tanh) BinaryKernel.ApplyOrAccumulate<GeluTanhBackwardOperator>(dy, x, dx, accumulate: !overwrite);
        else BinaryKernel.ApplyOrAccumulate<GeluBackwardOperator>(dy, x, dx, accumulate: !overwrite);
    }
}

public static partial class TensorOps
{
    /// <summary>Gaussian error linear unit elementwise: x·Φ(x), or its tanh approximation.</summary>
    /// <param name="x">any shape</param>
    /// <param name="approximation"><see cref="GeluApproximation.None"/> for the exact erf form (PyTorch's default).</param>
    /// <returns>x's shape</returns>
    public static Tensor Gelu(this Tensor x, GeluApproximation approximation = GeluApproximation.None) =>
        GeluOp.For(approximation).Apply(x);
}
