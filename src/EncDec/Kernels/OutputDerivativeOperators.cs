using System.Runtime.Intrinsics;

namespace EncDec.Kernels;

// Backward products of functions whose derivative is cheapest written in terms of their own output
// y, so backward keeps y instead of x. Operands are (dy, y).

/// <summary>Sigmoid's backward product dy·y·(1 − y), with y = σ(x).</summary>
public readonly struct SigmoidBackwardOperator : IBinaryOperator
{
    /// <inheritdoc />
    public static float Invoke(float dy, float y) => dy * y * (1f - y);
    /// <inheritdoc />
    public static Vector256<float> Invoke(Vector256<float> dy, Vector256<float> y) => dy * y * (Vector256<float>.One - y);
    /// <inheritdoc />
    public static Vector512<float> Invoke(Vector512<float> dy, Vector512<float> y) => dy * y * (Vector512<float>.One - y);
}

/// <summary>Tanh's backward product dy·(1 − y²), with y = tanh(x).</summary>
public readonly struct TanhBackwardOperator : IBinaryOperator
{
    /// <inheritdoc />
    public static float Invoke(float dy, float y) => dy * (1f - y * y);
    /// <inheritdoc />
    public static Vector256<float> Invoke(Vector256<float> dy, Vector256<float> y) => dy * (Vector256<float>.One - y * y);
    /// <inheritdoc />
    public static Vector512<float> Invoke(Vector512<float> dy, Vector512<float> y) => dy * (Vector512<float>.One - y * y);
}

/// <summary>Sqrt's backward product dy / (2y), with y = √x (∞ at x = 0, as in PyTorch).</summary>
public readonly struct SqrtBackwardOperator : IBinaryOperator
{
    /// <inheritdoc />
    public static float Invoke(float dy, float y) => 0.5f * dy / y;
    /// <inheritdoc />
    public static Vector256<float> Invoke(Vector256<float> dy, Vector256<float> y) => 0.5f * dy / y;
    /// <inheritdoc />
    public static Vector512<float> Invoke(Vector512<float> dy, Vector512<float> y) => 0.5f * dy / y;
}
