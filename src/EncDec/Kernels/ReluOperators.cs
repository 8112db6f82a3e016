using System.Runtime.Intrinsics;

namespace EncDec.Kernels;

/// <summary>relu(x) = max(x, 0); NaN propagates and relu(−0) = +0, as in <see cref="MathF.Max(float, float)"/>.</summary>
public readonly struct ReluOperator : IUnaryOperator
{
    /// <inheritdoc />
    public static float Invoke(float x) => MathF.Max(x, 0f);
    /// <inheritdoc />
    public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);
    /// <inheritdoc />
    public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero);
}

/// <summary>Relu's backward product dy · [x &gt; 0], with (dy, x) as the operands; the kink at 0 gets slope 0, as in PyTorch.</summary>
public readonly struct ReluBackwardOperator : IBinaryOperator
{
    /// <inheritdoc />
    public static float Invoke(float dy, float x) => x > 0f ? dy : 0f;
    /// <inheritdoc />
    public static Vector256<float> Invoke(Vector256<float> dy, Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), dy, Vector256<float>.Zero);
    /// <inheritdoc />
    public static Vector512<float> Invoke(Vector512<float> dy, Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), dy, Vector512<float>.Zero);
}
