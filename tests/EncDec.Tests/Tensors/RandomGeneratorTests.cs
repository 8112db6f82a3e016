using EncDec.Tensors;

namespace EncDec.Tests.Tensors;

public class RandomGeneratorTests
{
    /// <summary>xoshiro256** and SplitMix64 transcribed independently from the reference C code
    /// (https://prng.di.unimi.it/xoshiro256starstar.c, https://prng.di.unimi.it/splitmix64.c) as the oracle.</summary>
    private sealed class ReferenceXoshiro
    {
        private readonly ulong[] _s = new ulong[4];

        public ReferenceXoshiro(ulong s0, ulong s1, ulong s2, ulong s3) => (_s[0], _s[1], _s[2], _s[3]) = (s0, s1, s2, s3);

        public static ReferenceXoshiro Seeded(ulong seed)
        {
            var words = new ulong[4];
            for (int i = 0; i < 4; i++) words[i] = SplitMix(ref seed);
            return new ReferenceXoshiro(words[0], words[1], words[2], words[3]);
        }

        public static ulong SplitMix(ref ulong x)
        {
            unchecked
            {
                x += 0x9e3779b97f4a7c15;
                ulong z = x;
                z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
                z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
                return z ^ (z >> 31);
            }
        }

        private static ulong Rotl(ulong x, int k) => (x << k) | (x >> (64 - k));

        public ulong Next()
        {
            unchecked
            {
                ulong result = Rotl(_s[1] * 5, 7) * 9;
                ulong t = _s[1] << 17;
                _s[2] ^= _s[0];
                _s[3] ^= _s[1];
                _s[1] ^= _s[2];
                _s[0] ^= _s[3];
                _s[2] ^= t;
                _s[3] = Rotl(_s[3], 45);
                return result;
            }
        }
    }

    [Fact]
    public void StateOneTwoThreeFour_MatchesPublishedXoshiro256StarStarVector()
    {
        // The reference outputs for state {1, 2, 3, 4}, as in rand_xoshiro's test (produced with the C reference).
        ulong[] expected =
        [
            11520, 0, 1509978240, 1215971899390074240, 1216172134540287360,
            607988272756665600, 16172922978634559625, 8476171486693032832,
            10595114339597558777, 2904607092377533576,
        ];
        var rng = new RandomGenerator(new RandomGeneratorState(1, 2, 3, 4));
        foreach (ulong value in expected) Assert.Equal(value, rng.NextUInt64());
    }

    [Fact]
    public void SplitMix64_MatchesPublishedVectorForSeed1234567()
    {
        ulong[] expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821];
        ulong state = 1234567;
        foreach (ulong value in expected) Assert.Equal(value, RandomGenerator.SplitMix64(ref state));
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(42UL)]
    [InlineData(ulong.MaxValue)]
    public void Seeded_MatchesIndependentReference(ulong seed)
    {
        var rng = new RandomGenerator(seed);
        var reference = ReferenceXoshiro.Seeded(seed);
        for (int i = 0; i < 1000; i++) Assert.Equal(reference.Next(), rng.NextUInt64());
    }

    [Fact]
    public void NextSingleAndNextDouble_UseTheTopBitsOfOneDraw()
    {
        var rng = new RandomGenerator(9);
        var reference = ReferenceXoshiro.Seeded(9);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal((reference.Next() >> 40) / 16777216f, rng.NextSingle());
            Assert.Equal((reference.Next() >> 11) / 9007199254740992.0, rng.NextDouble());
        }
    }

    [Fact]
    public void SameSeed_GivesSameSequence()
    {
        var a = new RandomGenerator(123);
        var b = new RandomGenerator(123);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
            Assert.Equal(a.NextNormal(), b.NextNormal());
            Assert.Equal(a.NextInt(17), b.NextInt(17));
        }
    }

    [Fact]
    public void DifferentSeeds_GiveDifferentSequences()
    {
        var a = new RandomGenerator(1);
        var b = new RandomGenerator(2);
        int equal = 0;
        for (int i = 0; i < 100; i++) if (a.NextUInt64() == b.NextUInt64()) equal++;
        Assert.Equal(0, equal);
    }

    [Fact]
    public void RestoredState_ContinuesIdentically_IncludingTheSpareNormal()
    {
        var rng = new RandomGenerator(77);
        for (int i = 0; i < 5; i++) rng.NextNormal();     // odd count: a spare deviate is cached
        var state = rng.GetState();
        Assert.True(state.HasSpareNormal);
        var expected = new double[50];
        for (int i = 0; i < expected.Length; i++) expected[i] = i % 3 == 0 ? rng.NextNormal() : rng.NextDouble();

        var resumed = new RandomGenerator(0);
        resumed.SetState(state);
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], i % 3 == 0 ? resumed.NextNormal() : resumed.NextDouble());
        Assert.Equal(rng.GetState(), resumed.GetState());
    }

    [Fact]
    public void SetState_AllZero_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new RandomGenerator(1).SetState(new RandomGeneratorState(0, 0, 0, 0)));
        Assert.Contains("all-zero", error.Message);
    }

    [Fact]
    public void NextInt_StaysInRangeAndIsUniform()
    {
        var rng = new RandomGenerator(5);
        var counts = new int[7];
        const int draws = 70_000;
        for (int i = 0; i < draws; i++) counts[rng.NextInt(7)]++;
        // Chi-square with 6 degrees of freedom; 22.5 is the 0.999 quantile.
        double chiSquare = counts.Sum(c => Math.Pow(c - draws / 7.0, 2) / (draws / 7.0));
        Assert.True(chiSquare < 22.5, $"chi-square {chiSquare}: counts {string.Join(", ", counts)}");
        Assert.Equal(0, rng.NextInt(1));
        for (int i = 0; i < 1000; i++) Assert.InRange(rng.NextInt(int.MaxValue), 0, int.MaxValue - 1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void NextInt_NonPositiveBound_Throws(int bound) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomGenerator(1).NextInt(bound));

    [Fact]
    public void FillUniform_HasUniformMeanAndVariance()
    {
        var values = new float[100_000];
        new RandomGenerator(11).FillUniform(values, -2f, 6f);
        Assert.All(values, v => Assert.InRange(v, -2f, 6f));
        var (mean, variance) = Moments(values);
        Assert.Equal(2.0, mean, 0.05);                         // SE of the mean ≈ 0.007
        Assert.Equal(64.0 / 12.0, variance, 0.1);              // (high - low)² / 12
    }

    [Fact]
    public void FillNormal_HasRequestedMeanAndStd()
    {
        var values = new float[100_000];
        new RandomGenerator(12).FillNormal(values, 1.5f, 0.5f);
        var (mean, variance) = Moments(values);
        Assert.Equal(1.5, mean, 0.01);                         // SE ≈ 0.0016
        Assert.Equal(0.5, Math.Sqrt(variance), 0.01);          // relative SE ≈ 0.2%
        double fourthMoment = values.Average(v => Math.Pow((v - mean) / 0.5, 4));
        Assert.Equal(3.0, fourthMoment, 0.1);                  // a normal's kurtosis, not a uniform's 1.8
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    [InlineData(0.9f)]
    public void FillBernoulli_HasProbabilityMean(float p)
    {
        var values = new float[100_000];
        new RandomGenerator(13).FillBernoulli(values, p);
        Assert.All(values, v => Assert.True(v is 0f or 1f));
        Assert.Equal(p, Moments(values).Mean, 0.01);
    }

    [Fact]
    public void FillBernoulli_EdgeProbabilities_AreDeterministic()
    {
        var values = new float[1000];
        var rng = new RandomGenerator(14);
        rng.FillBernoulli(values, 0f);
        Assert.All(values, v => Assert.Equal(0f, v));
        rng.FillBernoulli(values, 1f);
        Assert.All(values, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Fillers_RejectInvalidParameters()
    {
        var rng = new RandomGenerator(1);
        var values = new float[4];
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.FillBernoulli(values, 1.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.FillBernoulli(values, float.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.FillNormal(values, 0f, -1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.FillUniform(values, 2f, 1f));
    }

    [Fact]
    public void TensorFactories_HaveShapeAndMatchTheFillers()
    {
        var tensor = new RandomGenerator(3).Normal(0f, 2f, 4, 5);
        Assert.Equal([4, 5], tensor.Shape.ToArray());
        var expected = new float[20];
        new RandomGenerator(3).FillNormal(expected, 0f, 2f);
        Assert.Equal(expected, tensor.ToArray());
        Assert.Equal([3], new RandomGenerator(3).Uniform(0f, 1f, 3).Shape.ToArray());
        Assert.All(new RandomGenerator(3).Bernoulli(1f, 2, 2).ToArray(), v => Assert.Equal(1f, v));
    }

    private static (double Mean, double Variance) Moments(float[] values)
    {
        double mean = values.Average(v => (double)v);
        double variance = values.Average(v => (v - mean) * (v - mean));
        return (mean, variance);
    }
}
