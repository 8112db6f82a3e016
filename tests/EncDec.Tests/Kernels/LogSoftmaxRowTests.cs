using System.Numerics.Tensors;
using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>
/// <see cref="LogSoftmaxRow"/> (fused: max, Σ exp, subtract) against its scalar definition on every SIMD path and
/// every length 1..256 (and 8,000, a vocabulary); against the five-pass form search used before it; and its results on
/// −∞, +∞, NaN and empty rows, which must not change.
/// </summary>
public class LogSoftmaxRowTests
{
    // The paths add the exponentials in a different order from the reference: a few ulp of the log-sum. A row of
    // values in [−4, 4] has every exponential above e⁻⁸ of the largest, so dropping or doubling one element moves the
    // log-sum by more than 3e-4/n, well above this tolerance for n ≤ 256.
    private const float Absolute = 2e-6f, Relative = 1e-6f;

    public static TheoryData<SimdLevel> Paths() => new(SimdPath.Available);

    /// <summary>TokenRules.LogSoftmaxInPlace as it was before LogSoftmaxRow (commit 67b213b).</summary>
    private static void FivePassDefinition(Span<float> row)
    {
        float max = TensorPrimitives.Max(row);
        var shifted = new float[row.Length];
        TensorPrimitives.Subtract(row, max, shifted);
        UnaryKernel.Apply<ExpOperator>(shifted, shifted);
        float logSum = max + MathF.Log(TensorPrimitives.Sum(shifted));
        TensorPrimitives.Subtract(row, logSum, row);
    }

    private static float[] Uniform(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => random.NextSingle() * 8f - 4f).ToArray();

    /// <summary>Same NaN and infinity positions, finite values within the tolerance.</summary>
    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            bool close = float.IsFinite(expected[i])
                ? Math.Abs(expected[i] - actual[i]) <= Absolute + Relative * Math.Abs(expected[i])
                : expected[i].Equals(actual[i]);   // Equals: NaN equals NaN, and −∞ only −∞
            Assert.True(close, $"{what}, element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    [Theory, MemberData(nameof(Paths))]
    public void InPlace_MatchesReference_OnEveryLength(SimdLevel level)
    {
        using var path = SimdPath.Force(level);
        var random = new Random(1);
        foreach (int n in Enumerable.Range(1, 256).Append(8000))
        {
            var expected = Uniform(random, n);
            if (n % 3 == 0) expected[random.Next(n)] = float.NegativeInfinity;   // a masked token
            var actual = expected.ToArray();
            LogSoftmaxRow.Reference(expected);
            LogSoftmaxRow.InPlace(actual);
            AssertClose(expected, actual, $"{level}, length {n}");
        }
    }

    [Fact]
    public void InPlace_MatchesTheFivePassDefinition_IncludingSpecialValues()
    {
        var random = new Random(2);
        float[] specials = [float.NegativeInfinity, float.PositiveInfinity, float.NaN];
        foreach (int n in new[] { 1, 7, 16, 33, 100, 255, 8000 })
            for (int kind = 0; kind < 5; kind++)
            {
                var expected = Uniform(random, n);
                if (kind < specials.Length) expected[random.Next(n)] = specials[kind];
                if (kind == 3) Array.Fill(expected, float.NegativeInfinity);
                var actual = expected.ToArray();
                FivePassDefinition(expected);
                LogSoftmaxRow.InPlace(actual);
                AssertClose(expected, actual, $"length {n}, kind {kind}");
            }
    }

    [Theory, MemberData(nameof(Paths))]
    public void SpecialValues_GiveTheSameResultsAsBefore(SimdLevel level)
    {
        using var path = SimdPath.Force(level);
        float nan = float.NaN, inf = float.PositiveInfinity, ninf = float.NegativeInfinity;
        foreach (int copies in new[] { 1, 20 })   // 20 copies reach the vector bodies and their tails
        {
            Assert.Equal(Repeat([nan, nan, nan], copies), Run(Repeat([ninf, ninf, ninf], copies)));   // −∞ − (−∞)
            Assert.Equal(Repeat([nan, nan, nan], copies), Run(Repeat([1f, inf, 2f], copies)));
            Assert.Equal(Repeat([nan, nan, nan], copies), Run(Repeat([1f, nan, 2f], copies)));
            var masked = Run(Repeat([1f, ninf, 2f], copies));
            Assert.All(Enumerable.Range(0, masked.Length), i => Assert.Equal(i % 3 == 1, float.IsNegativeInfinity(masked[i])));
            Assert.True(masked.All(v => !float.IsNaN(v)));
        }
        Assert.Equal([0f], Run([5f]));
        var oneHot = Enumerable.Range(0, 40).Select(i => i == 17 ? 3f : -200f).ToArray();   // exp(−203) is 0: Σ = 1
        Assert.Equal(oneHot.Select(v => v - 3f), Run(oneHot.ToArray()));                     // log-probability 0 exactly
        Assert.Throws<ArgumentException>(() => LogSoftmaxRow.InPlace([]));
    }

    [Fact]
    public void Reference_IsCloseToDoublePrecision()
    {
        var random = new Random(3);
        foreach (int n in new[] { 1, 2, 10, 256, 8000 })
        {
            var row = Uniform(random, n);
            double max = row.Max(), logSum = max + Math.Log(row.Sum(v => Math.Exp(v - max)));
            var expected = row.Select(v => (float)(v - logSum)).ToArray();
            LogSoftmaxRow.Reference(row);
            for (int i = 0; i < n; i++) Assert.True(Math.Abs(expected[i] - row[i]) <= 1e-5, $"length {n}, element {i}: {expected[i]} vs {row[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Into_WritesWhatInPlaceWould_AndLeavesTheLogitsAlone(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        var random = new Random(11);
        foreach (int n in new[] { 1, 7, 16, 33, 8000 })
        {
            var logits = Enumerable.Range(0, n).Select(_ => random.NextSingle() * 20f - 10f).ToArray();
            var original = (float[])logits.Clone();
            var destination = new float[n];
            LogSoftmaxRow.Into(logits, destination);
            Assert.Equal(original, logits);
            Assert.Equal(Run((float[])original.Clone()), destination);
        }
        Assert.Throws<ArgumentException>(() => LogSoftmaxRow.Into(new float[4], new float[3]));
    }

    private static float[] Run(float[] row)
    {
        LogSoftmaxRow.InPlace(row);
        return row;
    }

    private static float[] Repeat(float[] pattern, int copies) =>
        Enumerable.Range(0, pattern.Length * copies).Select(i => pattern[i % pattern.Length]).ToArray();
}
