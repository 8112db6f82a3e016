using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>
/// Long elementwise loops are split over the kernel threads (<see cref="ElementwiseSplit"/>): on lengths around
/// and above the threshold, with one and two threads, in place and not, every element equals the operator's scalar
/// form exactly (the chunks are whole vectors, so no element takes a different code path than it would serially).
/// </summary>
[Collection(nameof(GemmSerialCollection))]
public class ElementwiseSplitTests
{
    public static TheoryData<int, int> Cases()
    {
        var data = new TheoryData<int, int>();
        foreach (int threads in new[] { 1, 2 })
            foreach (int length in new[] { ElementwiseSplit.MinimumLength - 1, ElementwiseSplit.MinimumLength, ElementwiseSplit.MinimumLength + 1, 200_003 })
                data.Add(threads, length);
        return data;
    }

    [Theory, MemberData(nameof(Cases))]
    public void UnaryAndBinaryKernels_MatchTheScalarOperator_WhenSplit(int threads, int length)
    {
        using var scope = ThreadCountScope.Use(threads);
        var rng = new Random(length);
        var x = Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() * 20 - 10)).ToArray();
        var y = Enumerable.Range(0, length).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        foreach (var level in SimdPath.Available)
        {
            using var _ = SimdPath.Force(level);
            var exp = new float[length];
            UnaryKernel.Apply<ExpOperator>(x, exp);
            var product = new float[length];
            BinaryKernel.Apply<MultiplyOperator>(x, y, product);
            var accumulated = (float[])y.Clone();
            BinaryKernel.Accumulate<AddOperator>(x, y, accumulated);
            var inPlace = (float[])x.Clone();
            UnaryKernel.Apply<ReluOperator>(inPlace, inPlace);
            var scaled = new float[length];
            BinaryKernel.ApplyScalar<MultiplyOperator>(x, -3f, scaled);
            var copy = new float[length];
            UnaryKernel.Apply<IdentityOperator>(x, copy);
            for (int i = 0; i < length; i++)
            {
                Assert.Equal(ExpOperator.Invoke(x[i]), exp[i]);
                Assert.Equal(x[i] * y[i], product[i]);
                Assert.Equal(y[i] + (x[i] + y[i]), accumulated[i]);
                Assert.Equal(MathF.Max(x[i], 0f), inPlace[i]);
                Assert.Equal(x[i] * -3f, scaled[i]);
                Assert.Equal(x[i], copy[i]);
            }
        }
    }
}
