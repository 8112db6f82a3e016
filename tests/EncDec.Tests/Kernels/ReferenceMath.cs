namespace EncDec.Tests.Kernels;

/// <summary>
/// Double-precision references for the special functions the float kernels approximate, written
/// independently of them (.NET has no erf). Each is accurate to ~1e-15 relative, far below the
/// float errors under test.
/// </summary>
public static class ReferenceMath
{
    /// <summary>erf by the series erf(x) = (2/√π)·e^(−x²)·Σₙ 2ⁿx^(2n+1)/(1·3·…·(2n+1)) (A&amp;S 7.1.6), whose
    /// terms are all positive, so nothing cancels; |x| ≥ 6 gives ±1 (erfc(6) ≈ 2e-17).</summary>
    public static double Erf(double x)
    {
        double z = Math.Abs(x);
        if (double.IsNaN(x)) return double.NaN;
        if (z >= 6) return Math.Sign(x);
        double term = z, sum = z;
        for (int n = 1; n < 1000 && term > 1e-18 * sum; n++)
        {
            term *= 2 * z * z / (2 * n + 1);
            sum += term;
        }
        return Math.Sign(x) * 2 / Math.Sqrt(Math.PI) * Math.Exp(-z * z) * sum;
    }

    /// <summary>erfc(z) for z ≥ 0: 1 − erf below 3, else the continued fraction
    /// erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))) (A&amp;S 7.1.14), which keeps
    /// full relative precision in the tail where 1 − erf would cancel.</summary>
    public static double Erfc(double z)
    {
        if (z < 3) return 1 - Erf(z);
        double fraction = z;
        for (int k = 200; k >= 1; k--) fraction = z + k / 2.0 / fraction;
        return Math.Exp(-z * z) / Math.Sqrt(Math.PI) / fraction;
    }

    /// <summary>The standard normal CDF Φ(x), relatively accurate in both tails.</summary>
    public static double Phi(double x) =>
        x < 0 ? 0.5 * Erfc(-x / Math.Sqrt(2)) : 1 - 0.5 * Erfc(x / Math.Sqrt(2));

    /// <summary>Exact GELU x·Φ(x).</summary>
    public static double Gelu(double x) => x * Phi(x);

    /// <summary>d/dx of exact GELU: Φ(x) + x·φ(x).</summary>
    public static double GeluDerivative(double x) => Phi(x) + x * Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI);

    /// <summary>Tanh GELU as PyTorch writes it: ½x(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
    public static double GeluTanh(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    /// <summary>d/dx of tanh GELU as PyTorch's backward writes it.</summary>
    public static double GeluTanhDerivative(double x)
    {
        double k = Math.Sqrt(2 / Math.PI), t = Math.Tanh(k * (x + 0.044715 * x * x * x));
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x);
    }

    /// <summary>Logistic sigmoid 1/(1 + e^−x), computed without overflow.</summary>
    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    /// <summary>SiLU x·σ(x).</summary>
    public static double Silu(double x) => x * Sigmoid(x);

    /// <summary>d/dx of SiLU: σ(x)(1 + x(1 − σ(x))).</summary>
    public static double SiluDerivative(double x) => Sigmoid(x) * (1 + x * (1 - Sigmoid(x)));
}
