using System.Runtime.Intrinsics;

namespace EncDec.Kernels;

/// <summary>silu(x) = x·σ(x) = x / (1 + e^−x); for very negative x the denominator overflows to ∞ and the result is −0, not NaN.</summary>
public readonly struct SiluOperator : IUnaryOperator
{
    /// <inheritdoc />
    public static float Invoke(float x) => x / (1f + ExpOperator.Invoke(-x));
    /// <inheritdoc />
    public static Vector256<float> Invoke(Vector256<float> x) => x / (Vector256<float>.One + ExpOperator.Invoke(-x));
    /// <inheritdoc />
    public static Vector512<float> Invoke(Vector512<float> x) => x / (Vector512<float>.One + ExpOperator.Invoke(-x));
}

/// <summary>SiLU's backward product dy·silu'(x) = dy·σ(x)·(1 + x·(1 − σ(x))), with (dy, x) as the operands.</summary>
public readonly struct SiluBackwardOperator : IBinaryOperator
{
    /// <inheritdoc />
    public static float Invoke(float dy, float x)
    {
        float s = 1f / (1f + ExpOperator.Invoke(-x));
        return dy * s * MathF.FusedMultiplyAdd(x, 1f - s, 1f);
    }

    /// <inheritdoc />
    public static Vector256<float> Invoke(Vector256<float> dy, Vector256<float> x)
    {
        var one = Vector256<float>.One;
        var s = one / (one + ExpOperator.Invoke(-x));
        return dy * s * Vector256.FusedMultiplyAdd(x, one - s, one);
    }

    /// <inheritdoc />
    public static Vector512<float> Invoke(Vector512<float> dy, Vector512<float> x)
    {
        var one = Vector512<float>.One;
        var s = one / (one + ExpOperator.Invoke(-x));
        return dy * s * Vector512.FusedMultiplyAdd(x, one - s, one);
    }
}
