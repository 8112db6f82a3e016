using EncDec.Tensors;

namespace EncDec.Operations;

/// <summary>
/// y = x^p elementwise for a scalar exponent p (NaN for negative x and non-integer p, as in IEEE pow).
/// Backward: dx += dy·p·x^(p−1); for p = 0 the gradient is 0 everywhere (PyTorch does the same, which
/// avoids 0·∞ = NaN at x = 0).
/// </summary>
internal sealed class PowOp : UnaryOp
{
    public static readonly PowOp Instance = new();
    public override string Name => "Pow";
    protected override bool BackwardReadsOutput => false;

    // Backward streams through a stack buffer of this many floats instead of allocating x^(p-1).
    private const int Chunk = 256;

    protected override void Forward(ReadOnlySpan<float> x, Span<float> y, float exponent) => TensorPrimitives.Pow(x, exponent, y);

    protected override void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float exponent, bool overwrite)
    {
        if (exponent == 0f)
        {
            if (overwrite) dx.Clear();
            return;
        }
        Span<float> slope = stackalloc float[Chunk];
        for (int start = 0; start < x.Length; start += Chunk)
        {
            int n = Math.Min(Chunk, x.Length - start);
            var s = slope[..n];
            var target = dx.Slice(start, n);
            TensorPrimitives.Pow(x.Slice(start, n), exponent - 1f, s);       // x^(p-1)
            TensorPrimitives.Multiply(s, dy.Slice(start, n), s);             // dy·x^(p-1)
            if (overwrite) TensorPrimitives.Multiply(s, exponent, target);   // dx = p·dy·x^(p-1)
            else TensorPrimitives.MultiplyAdd(s, exponent, target, target); // dx += p·dy·x^(p-1)
        }
    }
}

public static partial class TensorOps
{
    /// <summary>x raised to a scalar power elementwise.</summary>
    /// <param name="x">any shape</param>
    /// <param name="exponent">the power p; any float (x^0 = 1, including 0^0)</param>
    /// <returns>x's shape</returns>
    public static Tensor Pow(this Tensor x, float exponent) => PowOp.Instance.Apply(x, exponent);
}
