using System.Runtime.Intrinsics;

namespace EncDec.Kernels;

/// <summary>Exact GELU: gelu(x) = x·Φ(x) = ½x(1 + erf(x/√2)), with Φ from <see cref="NormalCdf"/> (accurate in both tails).</summary>
public readonly struct GeluOperator : IUnaryOperator
{
    /// <inheritdoc />
    public static float Invoke(float x) => x * NormalCdf.Phi(x);
    /// <inheritdoc />
    public static Vector256<float> Invoke(Vector256<float> x) => x * NormalCdf.Phi(x);
    /// <inheritdoc />
    public static Vector512<float> Invoke(Vector512<float> x) => x * NormalCdf.Phi(x);
}

/// <summary>Exact GELU's backward product dy·(Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π), with (dy, x) as the operands.</summary>
public readonly struct GeluBackwardOperator : IBinaryOperator
{
    private const float InvSqrt2Pi = 0.39894228040143268f;

    /// <inheritdoc />
    public static float Invoke(float dy, float x)
    {
        float density = InvSqrt2Pi * ExpOperator.Invoke(x * -0.5f * x);
        return dy * MathF.FusedMultiplyAdd(x, density, NormalCdf.Phi(x));
    }

    /// <inheritdoc />
    public static Vector256<float> Invoke(Vector256<float> dy, Vector256<float> x)
    {
        var density = InvSqrt2Pi * ExpOperator.Invoke(x * -0.5f * x);
        return dy * Vector256.FusedMultiplyAdd(x, density, NormalCdf.Phi(x));
    }

    /// <inheritdoc />
    public static Vector512<float> Invoke(Vector512<float> dy, Vector512<float> x)
    {
        var density = InvSqrt2Pi * ExpOperator.Invoke(x * -0.5f * x);
        return dy * Vector512.FusedMultiplyAdd(x, density, NormalCdf.Phi(x));
    }
}

/// <summary>
/// Tanh-approximated GELU: ½x(1 + tanh(√(2/π)(x + 0.044715x³))), evaluated as x·σ(2u) = x / (1 + e^(−2u))
/// (the same function, since ½(1 + tanh u) = σ(2u)), which needs one exp and cannot produce NaN for large |x|.
/// </summary>
public readonly struct GeluTanhOperator : IUnaryOperator
{
    /// <summary>2·√(2/π): 2u = x·(K0 + K1·x²).</summary>
    internal const float K0 = 1.5957691216057308f;
    /// <summary>2·√(2/π)·0.044715.</summary>
    internal const float K1 = 0.0713548162726009f;

    /// <inheritdoc />
    public static float Invoke(float x) => x / (1f + ExpOperator.Invoke(-x * MathF.FusedMultiplyAdd(K1, x * x, K0)));
    /// <inheritdoc />
    public static Vector256<float> Invoke(Vector256<float> x) =>
        x / (Vector256<float>.One + ExpOperator.Invoke(-x * Vector256.FusedMultiplyAdd(Vector256.Create(K1), x * x, Vector256.Create(K0))));
    /// <inheritdoc />
    public static Vector512<float> Invoke(Vector512<float> x) =>
        x / (Vector512<float>.One + ExpOperator.Invoke(-x * Vector512.FusedMultiplyAdd(Vector512.Create(K1), x * x, Vector512.Create(K0))));
}

/// <summary>
/// Tanh-approximated GELU's backward product, with (dy, x) as the operands: for y = x·s, s = σ(2u),
/// dy·(s + x·s(1 − s)·d(2u)/dx), d(2u)/dx = K0 + 3·K1·x². Equal to PyTorch's
/// ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²) with t = tanh u.
/// </summary>
public readonly struct GeluTanhBackwardOperator : IBinaryOperator
{
    private const float K0 = GeluTanhOperator.K0, K1x3 = 3f * GeluTanhOperator.K1;

    /// <inheritdoc />
    public static float Invoke(float dy, float x)
    {
        float x2 = x * x;
        float s = 1f / (1f + ExpOperator.Invoke(-x * MathF.FusedMultiplyAdd(GeluTanhOperator.K1, x2, K0)));
        return dy * MathF.FusedMultiplyAdd(x * s * (1f - s), MathF.FusedMultiplyAdd(K1x3, x2, K0), s);
    }

    /// <inheritdoc />
    public static Vector256<float> Invoke(Vector256<float> dy, Vector256<float> x)
    {
        var one = Vector256<float>.One;
        var x2 = x * x;
        var s = one / (one + ExpOperator.Invoke(-x * Vector256.FusedMultiplyAdd(Vector256.Create(GeluTanhOperator.K1), x2, Vector256.Create(K0))));
        return dy * Vector256.FusedMultiplyAdd(x * s * (one - s), Vector256.FusedMultiplyAdd(Vector256.Create(K1x3), x2, Vector256.Create(K0)), s);
    }

    /// <inheritdoc />
    public static Vector512<float> Invoke(Vector512<float> dy, Vector512<float> x)
    {
        var one = Vector512<float>.One;
        var x2 = x * x;
        var s = one / (one + ExpOperator.Invoke(-x * Vector512.FusedMultiplyAdd(Vector512.Create(GeluTanhOperator.K1), x2, Vector512.Create(K0))));
        return dy * Vector512.FusedMultiplyAdd(x * s * (one - s), Vector512.FusedMultiplyAdd(Vector512.Create(K1x3), x2, Vector512.Create(K0)), s);
    }
}
