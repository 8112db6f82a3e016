using EncDec.Tensors;
using Xunit.Sdk;

namespace EncDec.Tests.Operations;

/// <summary>Small helpers shared by the elementwise, softmax and normalisation op tests.</summary>
internal static class OpTestData
{
    /// <summary>Random values whose magnitude is in [low, high) with random sign: keeps gradient checks off kinks at 0.</summary>
    public static Tensor AwayFromZero(int seed, float low, float high, params int[] shape)
    {
        var random = new Random(seed);
        var values = new float[ShapeMath.Count(shape)];
        for (int i = 0; i < values.Length; i++)
            values[i] = (random.Next(2) == 0 ? -1 : 1) * (low + (high - low) * random.NextSingle());
        return Tensor.FromArray(values, shape);
    }

    /// <summary>Asserts |actual − expected| ≤ absolute + relative·|expected| elementwise (NaN matches NaN, ∞ matches ∞).</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double relative, double absolute, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            if ((double.IsNaN(e) && double.IsNaN(a)) || e == a) continue;
            if (!(Math.Abs(a - e) <= absolute + relative * Math.Abs(e)))
                throw new XunitException($"{what} element {i}: expected {e:G10}, got {a:G10} (error {Math.Abs(a - e):E2})");
        }
    }

    /// <summary>f applied to each element of <paramref name="x"/> in double.</summary>
    public static double[] Map(Tensor x, Func<double, double> f) => x.ToArray().Select(v => f(v)).ToArray();
}
