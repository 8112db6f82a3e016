using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

public class ExpOperatorTests
{
    [Fact]
    public void IsWithinOneUlpOfDoubleExp_AcrossTheWholeRange_OnEveryPath()
    {
        var x = Sweep();
        var expected = x.Select(v => Math.Exp(v)).ToArray();
        var y = new float[x.Length];
        foreach (var level in SimdPath.Available)
        {
            using var _ = SimdPath.Force(level);
            UnaryKernel.Apply<ExpOperator>(x, y);
            double worst = 0;
            for (int i = 0; i < x.Length; i++) worst = Math.Max(worst, Ulps(y[i], expected[i]));
            Assert.True(worst <= 1.0, $"{level}: max error {worst:F3} ulp");
        }
    }

    [Fact]
    public void ExactAndSpecialValues()
    {
        float[] x = [0f, -0f, 1f, 88.7229f, 1000f, float.PositiveInfinity, -104f, -1000f, float.NegativeInfinity, float.NaN];
        float[] expected = [1f, 1f, (float)Math.E, float.PositiveInfinity, float.PositiveInfinity, float.PositiveInfinity, 0f, 0f, 0f, float.NaN];
        foreach (var level in SimdPath.Available)
        {
            using var _ = SimdPath.Force(level);
            var y = new float[x.Length];
            UnaryKernel.Apply<ExpOperator>(x, y);
            Assert.Equal(expected, y);
        }
    }

    [Fact]
    public void UnderflowsGraduallyThroughSubnormals()
    {
        float[] x = [-87.5f, -95f, -100f, -103f];
        var y = new float[x.Length];
        UnaryKernel.Apply<ExpOperator>(x, y);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(float.IsSubnormal(y[i]), $"exp({x[i]}) = {y[i]:R}");
            Assert.True(Ulps(y[i], Math.Exp(x[i])) <= 0.5 + 1e-9, $"exp({x[i]}) = {y[i]:R}, expected {Math.Exp(x[i]):R}");
        }
    }

    /// <summary>Every 613th float bit pattern in [−104, 0] and [0, 89]: about 3.6 million inputs.</summary>
    private static float[] Sweep()
    {
        var values = new List<float>();
        for (long bits = 0; bits <= BitConverter.SingleToInt32Bits(104f); bits += 613) values.Add(-BitConverter.Int32BitsToSingle((int)bits));
        for (long bits = 0; bits <= BitConverter.SingleToInt32Bits(89f); bits += 613) values.Add(BitConverter.Int32BitsToSingle((int)bits));
        return values.ToArray();
    }

    /// <summary>|actual − expected| in units of the float spacing at the correctly rounded result (the subnormal spacing near 0).</summary>
    private static double Ulps(float actual, double expected)
    {
        float rounded = (float)expected;
        if (float.IsInfinity(rounded)) return actual == rounded ? 0 : double.PositiveInfinity;
        double spacing = Math.Max(MathF.BitIncrement(MathF.Abs(rounded)) - MathF.Abs(rounded), float.Epsilon);
        return Math.Abs(actual - expected) / spacing;
    }
}
