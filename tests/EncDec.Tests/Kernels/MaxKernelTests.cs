using System.Numerics.Tensors;
using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary><see cref="MaxKernel"/> gives the bits of its scalar fold and of TensorPrimitives.Max (NaN wins, +0 above
/// −0) on every SIMD path and every length 1..256.</summary>
public class MaxKernelTests
{
    public static TheoryData<SimdLevel> Paths() => new(SimdPath.Available);

    [Theory, MemberData(nameof(Paths))]
    public void Max_MatchesReferenceAndTensorPrimitives_OnEveryLength(SimdLevel level)
    {
        using var path = SimdPath.Force(level);
        var random = new Random(1);
        float[] specials = [0f, -0f, -0f, float.NegativeInfinity, -1f, float.PositiveInfinity, float.NaN];
        foreach (int n in Enumerable.Range(1, 256).Append(8000))
            for (int kind = 0; kind < 4; kind++)
            {
                var x = Enumerable.Range(0, n).Select(_ => kind switch
                {
                    0 => random.NextSingle() * 20f - 10f,
                    1 => specials[random.Next(3)],                                    // zeros of both signs only
                    2 => specials[random.Next(5)],
                    _ => random.Next(50) == 0 ? specials[5 + random.Next(2)] : -random.NextSingle(),
                }).ToArray();
                float expected = MaxKernel.Reference(x), actual = MaxKernel.Max(x), library = TensorPrimitives.Max(x);
                Assert.True(Same(expected, actual), $"{level}, length {n}, kind {kind}: expected {expected}, got {actual}");
                Assert.True(Same(library, expected), $"length {n}, kind {kind}: TensorPrimitives {library}, reference {expected}");
            }
    }

    [Theory, MemberData(nameof(Paths))]
    public void Max_FindsTheLargestAtEveryPosition(SimdLevel level)
    {
        using var path = SimdPath.Force(level);
        foreach (int n in new[] { 8, 16, 17, 64, 65, 100 })
            for (int at = 0; at < n; at++)
            {
                var x = Enumerable.Range(0, n).Select(i => -(float)i).ToArray();
                x[at] = 1f;
                Assert.Equal(1f, MaxKernel.Max(x));
            }
    }

    /// <summary>Both NaN (of any payload), or the same value with the same sign (so −0 is not +0).</summary>
    private static bool Same(float a, float b) =>
        float.IsNaN(a) ? float.IsNaN(b) : a.Equals(b) && float.IsNegative(a) == float.IsNegative(b);

    [Fact]
    public void Max_RejectsAnEmptySpan() => Assert.Throws<ArgumentException>(() => MaxKernel.Max([]));
}
