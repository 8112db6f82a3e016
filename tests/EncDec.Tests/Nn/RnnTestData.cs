using EncDec.Tensors;
using Xunit.Sdk;

namespace EncDec.Tests.Nn;

/// <summary>Helpers for the recurrent layer and RNN attention tests.</summary>
internal static class RnnTestData
{
    /// <summary>Uniform random values in [low, high) of the given shape.</summary>
    public static Tensor Random(int seed, float low, float high, params int[] shape)
    {
        var random = new Random(seed);
        var values = new float[ShapeMath.Count(shape)];
        for (int i = 0; i < values.Length; i++) values[i] = low + (high - low) * random.NextSingle();
        return Tensor.FromArray(values, shape);
    }

    /// <summary>A (batch, len) mask: 1 for the first lengths[b] positions, 0 after.</summary>
    public static Tensor LengthMask(int length, params int[] lengths)
    {
        var values = new float[lengths.Length * length];
        for (int b = 0; b < lengths.Length; b++)
            for (int t = 0; t < lengths[b]; t++) values[b * length + t] = 1f;
        return Tensor.FromArray(values, lengths.Length, length);
    }

    /// <summary>x[b, t, :] as doubles.</summary>
    public static double[] Row(Tensor x, int b, int t)
    {
        int width = x.Shape[2];
        var all = x.ToArray();
        return all.Skip((b * x.Shape[1] + t) * width).Take(width).Select(v => (double)v).ToArray();
    }

    /// <summary>Asserts elementwise |a − b| ≤ tolerance.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance))
                throw new XunitException($"{what} element {i}: expected {expected[i]:G9}, got {actual[i]:G9}");
    }

    /// <summary>Asserts elementwise |a − b| ≤ tolerance against double references.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (!(Math.Abs(expected[i] - actual[i]) <= tolerance))
                throw new XunitException($"{what} element {i}: expected {expected[i]:G9}, got {actual[i]:G9}");
    }

    /// <summary>y = W x + b in double, W (rows, cols) row-major.</summary>
    public static double[] Affine(Tensor weight, Tensor? bias, double[] x)
    {
        int rows = weight.Shape[0], cols = weight.Shape[1];
        var w = weight.ToArray();
        var b = bias?.ToArray();
        var y = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double sum = b is null ? 0 : b[r];
            for (int c = 0; c < cols; c++) sum += (double)w[r * cols + c] * x[c];
            y[r] = sum;
        }
        return y;
    }

    /// <summary>The logistic function in double.</summary>
    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
