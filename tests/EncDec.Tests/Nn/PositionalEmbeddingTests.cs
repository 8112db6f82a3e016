using EncDec.Nn;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Nn;

public class PositionalEmbeddingTests
{
    [Fact]
    public void Sinusoidal_Interleaved_IsVaswanisFormula()
    {
        var table = new SinusoidalPositionalEmbedding(50, 6).Forward(50);
        Assert.Equal([50, 6], table.Shape.ToArray());
        foreach (int pos in new[] { 0, 1, 7, 49 })
            for (int i = 0; i < 3; i++)
            {
                double angle = pos * Math.Exp(-Math.Log(10000.0) * 2 * i / 6);
                Assert.Equal(Math.Sin(angle), table[pos, 2 * i], 5);
                Assert.Equal(Math.Cos(angle), table[pos, 2 * i + 1], 5);
            }
    }

    [Fact]
    public void Sinusoidal_Concatenated_PutsSinesThenCosines()
    {
        var table = new SinusoidalPositionalEmbedding(20, 4, SinusoidalLayout.Concatenated).Forward(20);
        foreach (int pos in new[] { 0, 3, 19 })
        {
            double slow = pos / 100.0;   // 10000^(2/4)
            Assert.Equal([Math.Sin(pos), Math.Sin(slow), Math.Cos(pos), Math.Cos(slow)],
                Enumerable.Range(0, 4).Select(c => Math.Round(table[pos, c], 5)),
                new RoundedComparer());
        }
    }

    [Fact]
    public void Sinusoidal_OpenNmt_CountsPositionsFromOne_WithFrequenciesDownToOneTenThousandth()
    {
        // dim 6: three frequencies 10000^(-i/2) = 1, 1/100, 1/10000; row p is position p + 1.
        var table = new SinusoidalPositionalEmbedding(30, 6, SinusoidalLayout.OpenNmt).Forward(30);
        foreach (int row in new[] { 0, 4, 29 })
        {
            double p = row + 1;
            Assert.Equal([Math.Sin(p), Math.Sin(p / 100), Math.Sin(p / 10000), Math.Cos(p), Math.Cos(p / 100), Math.Cos(p / 10000)],
                Enumerable.Range(0, 6).Select(c => Math.Round(table[row, c], 5)),
                new RoundedComparer());
        }
    }

    [Fact]
    public void Sinusoidal_OpenNmt_MatchesCTranslate2sSinglePrecisionFormula()
    {
        // CTranslate2's generator, written out in float: increment = ln(10000) / (depth/2 - 1),
        // inverse timescale i = exp(-increment * i), scaled time = (row + 1) * inverse, then [sin | cos].
        const int depth = 32, rows = 200;
        var table = new SinusoidalPositionalEmbedding(rows, depth, SinusoidalLayout.OpenNmt).Forward(rows);
        float increment = MathF.Log(10000f) / (depth / 2 - 1);
        for (int row = 0; row < rows; row++)
            for (int i = 0; i < depth / 2; i++)
            {
                float time = (row + 1) * MathF.Exp(-increment * i);
                // Single-precision angles of up to 200 radians carry ~1e-5 error; the table is computed in double.
                Assert.Equal(MathF.Sin(time), table[row, i], tolerance: 1e-4);
                Assert.Equal(MathF.Cos(time), table[row, depth / 2 + i], tolerance: 1e-4);
            }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    public void Sinusoidal_OpenNmt_RejectsDimensionsWithoutTwoFrequencies(int dim)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SinusoidalPositionalEmbedding(4, dim, SinusoidalLayout.OpenNmt));
        Assert.Contains($"got {dim}", error.Message);
    }

    [Fact]
    public void Sinusoidal_Offset_ReturnsLaterRows_AndHasNoParameters()
    {
        var embedding = new SinusoidalPositionalEmbedding(10, 4);
        Assert.Empty(embedding.Parameters());
        var all = embedding.Forward(10);
        var tail = embedding.Forward(3, offset: 7);
        Assert.Equal([3, 4], tail.Shape.ToArray());
        for (int d = 0; d < 4; d++) Assert.Equal(all[8, d], tail[1, d]);
    }

    [Fact]
    public void Sinusoidal_TooLong_NamesModuleAndLimit()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new SinusoidalPositionalEmbedding(10, 4).Forward(4, offset: 7));
        Assert.Contains("SinusoidalPositionalEmbedding", error.Message);
        Assert.Contains("maxLength 10", error.Message);
    }

    [Fact]
    public void Learned_ReadsRowsShiftedByOffset_LikeBart()
    {
        var embedding = new LearnedPositionalEmbedding(6, 3, new RandomGenerator(1), offset: 2);
        Assert.Equal(["weight"], embedding.NamedParameters().Select(p => p.Name));
        Assert.Equal([8, 3], embedding.Weight.Shape.ToArray());
        var positions = embedding.Forward(2, start: 4);
        Assert.Equal([2, 3], positions.Shape.ToArray());
        for (int d = 0; d < 3; d++) Assert.Equal(embedding.Weight[7, d], positions[1, d]);
        Assert.Contains("LearnedPositionalEmbedding",
            Assert.Throws<ArgumentOutOfRangeException>(() => embedding.Forward(3, start: 4)).Message);
    }

    [Fact]
    public void Learned_GradientReachesOnlyTheUsedRows()
    {
        var embedding = new LearnedPositionalEmbedding(4, 2, new RandomGenerator(2), offset: 1);
        GradientCheck.Verify(_ => embedding.Forward(2, start: 1), [embedding.Weight]);
        Assert.Equal([0f, 0f, 0f, 0f], embedding.Weight.Grad!.ToArray().Take(4));
    }

    private sealed class RoundedComparer : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= 1e-5;
        public int GetHashCode(double value) => 0;
    }
}
