using System.Runtime.Intrinsics;
using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>Accuracy of our erf/Φ approximation (float) against the double-precision <see cref="ReferenceMath"/>.</summary>
public class NormalCdfTests
{
    private const double Step = 1.0 / 1024;

    [Fact]
    public void Reference_MatchesTabulatedValues()
    {
        // Values from A&S Table 7.1 and Wolfram|Alpha, to 16 digits.
        Assert.Equal(0.5204998778130465, ReferenceMath.Erf(0.5), tolerance: 1e-14);
        Assert.Equal(0.8427007929497149, ReferenceMath.Erf(1.0), tolerance: 1e-14);
        Assert.Equal(0.9953222650189527, ReferenceMath.Erf(2.0), tolerance: 1e-14);
        Assert.Equal(-0.9999779095030014, ReferenceMath.Erf(-3.0), tolerance: 1e-14);
        Assert.Equal(1.0, ReferenceMath.Erfc(3.0) / 2.209049699858544e-05, tolerance: 1e-12);
        Assert.Equal(1.0, ReferenceMath.Erfc(5.0) / 1.537459794428035e-12, tolerance: 1e-12);
        Assert.Equal(1.0, ReferenceMath.Phi(-8.0) / 6.220960574271784e-16, tolerance: 1e-12);
    }

    [Fact]
    public void Erf_IsWithin3e7Absolute_OnEveryForm()
    {
        double worst = 0;
        for (double x = -6; x <= 6; x += Step)
        {
            float f = (float)x;
            double expected = ReferenceMath.Erf(f);
            foreach (float actual in Forms(f, NormalCdf.Erf, NormalCdf.Erf, NormalCdf.Erf))
                worst = Math.Max(worst, Math.Abs(actual - expected));
        }
        Assert.True(worst < 3e-7, $"max |erf error| {worst:E3}");
    }

    [Theory]
    [InlineData(0.0, 6.0, 5e-7)]
    [InlineData(-3.0, 0.0, 7e-7)]
    [InlineData(-6.0, -3.0, 1.5e-6)]
    [InlineData(-12.0, -6.0, 5e-6)]    // the rounding of −x²/2 (ulp 8e-6 near 70) dominates here
    public void Phi_IsRelativelyAccurate_IncludingTheLeftTail(double low, double high, double bound)
    {
        double worst = 0;
        for (double x = low; x <= high; x += Step)
        {
            float f = (float)x;
            double expected = ReferenceMath.Phi(f);
            foreach (float actual in Forms(f, NormalCdf.Phi, NormalCdf.Phi, NormalCdf.Phi))
                worst = Math.Max(worst, Math.Abs(actual - expected) / expected);
        }
        Assert.True(worst < bound, $"max relative Φ error on [{low}, {high}]: {worst:E3}");
    }

    [Fact]
    public void Phi_HandlesInfinitiesAndNaN()
    {
        foreach (float x in new[] { float.PositiveInfinity, float.NegativeInfinity, float.NaN, 0f, -0f, 1e30f, -1e30f })
        {
            float expected = float.IsNaN(x) ? float.NaN : (float)ReferenceMath.Phi(x);
            foreach (float actual in Forms(x, NormalCdf.Phi, NormalCdf.Phi, NormalCdf.Phi))
                Assert.Equal(expected, actual, tolerance: 1e-6f);
        }
    }

    private static float[] Forms(float x, Func<float, float> scalar,
        Func<Vector256<float>, Vector256<float>> v256, Func<Vector512<float>, Vector512<float>> v512) =>
        [scalar(x), v256(Vector256.Create(x))[3], v512(Vector512.Create(x))[11]];
}
