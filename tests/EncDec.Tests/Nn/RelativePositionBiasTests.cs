using EncDec.Nn;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Nn;

public class RelativePositionBiasTests
{
    /// <summary>An independent transcription of T5's bucket formula, in double.</summary>
    private static int ReferenceBucket(int relative, bool bidirectional, int numBuckets, int maxDistance)
    {
        int offset = 0;
        int n = numBuckets;
        int distance;
        if (bidirectional)
        {
            n = numBuckets / 2;
            offset = relative > 0 ? n : 0;
            distance = Math.Abs(relative);
        }
        else distance = Math.Max(-relative, 0);
        int exact = n / 2;
        if (distance < exact) return offset + distance;
        double large = exact + Math.Floor(Math.Log(distance / (double)exact) / Math.Log(maxDistance / (double)exact) * (n - exact));
        return offset + (int)Math.Min(large, n - 1);
    }

    [Theory]
    [InlineData(true, 32, 128)]
    [InlineData(false, 32, 128)]
    [InlineData(true, 8, 20)]
    [InlineData(false, 16, 50)]
    public void Bucket_MatchesTheReferenceFormula_ForDistancesUpTo200(bool bidirectional, int numBuckets, int maxDistance)
    {
        for (int relative = -200; relative <= 200; relative++)
            Assert.Equal(ReferenceBucket(relative, bidirectional, numBuckets, maxDistance),
                RelativePositionBias.Bucket(relative, bidirectional, numBuckets, maxDistance));
    }

    [Fact]
    public void Bucket_KnownValues_ForT5Defaults()
    {
        // Bidirectional: keys before (or at) the query use buckets 0..15, keys after use 16..31.
        Assert.Equal(0, RelativePositionBias.Bucket(0, true, 32, 128));
        Assert.Equal(7, RelativePositionBias.Bucket(-7, true, 32, 128));
        Assert.Equal(17, RelativePositionBias.Bucket(1, true, 32, 128));
        Assert.Equal(10, RelativePositionBias.Bucket(-16, true, 32, 128));   // 8 + ⌊log 2 / log 16 · 8⌋ = 10
        Assert.Equal(15, RelativePositionBias.Bucket(-1000, true, 32, 128));
        Assert.Equal(31, RelativePositionBias.Bucket(1000, true, 32, 128));
        // Unidirectional (decoder): every key after the query shares bucket 0.
        Assert.Equal(0, RelativePositionBias.Bucket(5, false, 32, 128));
        Assert.Equal(15, RelativePositionBias.Bucket(-15, false, 32, 128));
        Assert.Equal(31, RelativePositionBias.Bucket(-500, false, 32, 128));
    }

    [Fact]
    public void Forward_GathersOneScalarPerHeadAndPair()
    {
        var bias = new RelativePositionBias(3, new RandomGenerator(1), bidirectional: true, numBuckets: 8, maxDistance: 20);
        Assert.Equal(["weight"], bias.NamedParameters().Select(p => p.Name));
        Assert.Equal([8, 3], bias.Weight.Shape.ToArray());
        var values = bias.Forward(2, 5, queryOffset: 1);
        Assert.Equal([1, 3, 2, 5], values.Shape.ToArray());
        for (int h = 0; h < 3; h++)
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 5; j++)
                    Assert.Equal(bias.Weight[ReferenceBucket(j - (i + 1), true, 8, 20), h], values[0, h, i, j]);
    }

    [Fact]
    public void Gradient_MatchesFiniteDifferences()
    {
        var bias = new RelativePositionBias(2, new RandomGenerator(2), bidirectional: false, numBuckets: 6, maxDistance: 10);
        GradientCheck.Verify(_ => bias.Forward(3, 4), [bias.Weight]);
    }

    [Fact]
    public void InvalidConfiguration_NamesModule() =>
        Assert.Contains("RelativePositionBias",
            Assert.Throws<ArgumentOutOfRangeException>(() => new RelativePositionBias(2, new RandomGenerator(1), true, numBuckets: 2)).Message);
}
