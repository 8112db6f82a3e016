using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

public class SelectKernelTests
{
    public static TheoryData<SimdLevel> Paths
    {
        get
        {
            var data = new TheoryData<SimdLevel>();
            foreach (var level in SimdPath.Available) data.Add(level);
            return data;
        }
    }

    /// <summary>Conditions mixing ones, zeros of both signs, NaN and ordinary values, so every lane pattern occurs.</summary>
    private static float[] Conditions(Random random, int length)
    {
        var values = new float[length];
        float[] choices = [0f, -0f, 1f, float.NaN, -3.5f, 0f, 1e-30f];
        for (int i = 0; i < length; i++) values[i] = choices[random.Next(choices.Length)];
        return values;
    }

    private static float[] Values(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = random.NextSingle() * 2f - 1f;
        return values;
    }

    [Theory, MemberData(nameof(Paths))]
    public void Apply_MatchesScalarReference_OnEveryLength(SimdLevel level)
    {
        using var path = SimdPath.Force(level);
        var random = new Random(1);
        for (int n = 0; n <= 256; n++)
        {
            float[] c = Conditions(random, n), t = Values(random, n), f = Values(random, n);
            var z = new float[n];
            SelectKernel.Apply(c, t, f, z);
            for (int i = 0; i < n; i++) Assert.Equal(c[i] != 0f ? t[i] : f[i], z[i]);
            SelectKernel.Apply(c, t, f, f);                   // in place over the false branch
            Assert.Equal(z, f);
        }
    }

    [Theory, MemberData(nameof(Paths))]
    public void ApplyScalar_MatchesScalarReference_OnEveryLength(SimdLevel level)
    {
        using var path = SimdPath.Force(level);
        var random = new Random(2);
        for (int n = 0; n <= 256; n++)
        {
            float[] c = Conditions(random, n), f = Values(random, n);
            var z = new float[n];
            SelectKernel.ApplyScalar(c, float.NegativeInfinity, f, z);
            for (int i = 0; i < n; i++) Assert.Equal(c[i] != 0f ? float.NegativeInfinity : f[i], z[i]);
        }
    }

    [Theory, MemberData(nameof(Paths))]
    public void Accumulate_MatchesScalarReference_OnEveryLength(SimdLevel level)
    {
        using var path = SimdPath.Force(level);
        var random = new Random(3);
        for (int n = 0; n <= 256; n++)
            foreach (bool whereNonzero in new[] { true, false })
            {
                float[] c = Conditions(random, n), source = Values(random, n), z = Values(random, n);
                if (n > 0) source[n / 2] = float.NaN;          // a NaN that must not leak where masked out
                var expected = (float[])z.Clone();
                for (int i = 0; i < n; i++) if ((c[i] != 0f) == whereNonzero) expected[i] += source[i];
                SelectKernel.Accumulate(c, source, whereNonzero, z);
                Assert.Equal(expected, z);
            }
    }

    [Fact]
    public void Kernels_RejectMismatchedLengths()
    {
        var error = Assert.Throws<ArgumentException>(() => SelectKernel.Apply(new float[3], new float[3], new float[2], new float[3]));
        Assert.Contains("Apply", error.Message);
        Assert.Throws<ArgumentException>(() => SelectKernel.Accumulate(new float[4], new float[3], true, new float[3]));
    }
}
