using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary><see cref="BFloat16"/>: rounding to nearest even, special values, and the vector narrowing against the
/// scalar one on every length 0..256 at every SIMD path.</summary>
public sealed class BFloat16Tests
{
    public static TheoryData<SimdLevel> Levels() => new(SimdPath.Available);

    [Theory]
    [InlineData(0x3F800000u, (ushort)0x3F80)]   // 1
    [InlineData(0x3F807FFFu, (ushort)0x3F80)]   // just below half way: down
    [InlineData(0x3F808000u, (ushort)0x3F80)]   // half way, even below: down
    [InlineData(0x3F818000u, (ushort)0x3F82)]   // half way, odd below: up to even
    [InlineData(0x3F808001u, (ushort)0x3F81)]   // just above half way: up
    [InlineData(0xBF808001u, (ushort)0xBF81)]   // negative: the same on the magnitude
    [InlineData(0x80000000u, (ushort)0x8000)]   // -0
    [InlineData(0x7F800000u, (ushort)0x7F80)]   // +infinity
    [InlineData(0xFF800000u, (ushort)0xFF80)]   // -infinity
    [InlineData(0x7F7FFFFFu, (ushort)0x7F80)]   // float.MaxValue is past bfloat16's largest half way: infinity
    [InlineData(0x00000001u, (ushort)0x0000)]   // the smallest subnormal rounds to 0
    public void FromSingle_RoundsToNearestEven(uint bits, ushort expected) =>
        Assert.Equal(expected, BFloat16.FromSingle(BitConverter.UInt32BitsToSingle(bits)));

    [Fact]
    public void FromSingle_KeepsNaN_EvenWhenOnlyLowMantissaBitsAreSet()
    {
        foreach (uint bits in new[] { 0x7FC00000u, 0x7F800001u, 0xFF800001u, 0x7FFFFFFFu })
            Assert.True(float.IsNaN(BFloat16.ToSingle(BFloat16.FromSingle(BitConverter.UInt32BitsToSingle(bits)))), $"{bits:X8}");
    }

    [Fact]
    public void RoundTrip_ErrsByAtMostTheUnitRoundoff()
    {
        var random = new Random(3);
        for (int i = 0; i < 100_000; i++)
        {
            float value = (random.NextSingle() - 0.5f) * MathF.Pow(2, random.Next(-60, 60));
            float back = BFloat16.ToSingle(BFloat16.FromSingle(value));
            Assert.True(Math.Abs(back - value) <= Math.Abs(value) * (1.0 / 256), $"{value} came back as {back}");
        }
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Narrow_MatchesFromSingle_OnEveryLength(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        var random = new Random(5);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, float.MaxValue, float.Epsilon,
            BitConverter.UInt32BitsToSingle(0x3F808000u), BitConverter.UInt32BitsToSingle(0x3F818000u)];
        for (int length = 0; length <= 256; length++)
        {
            var source = new float[length];
            for (int i = 0; i < length; i++)
                source[i] = random.Next(8) == 0 ? specials[random.Next(specials.Length)] : (random.NextSingle() - 0.5f) * 1000f;
            var narrowed = new ushort[length + 1];
            narrowed[length] = 0xABCD;
            BFloat16.Narrow(source, narrowed);
            for (int i = 0; i < length; i++) Assert.Equal(BFloat16.FromSingle(source[i]), narrowed[i]);
            Assert.Equal(0xABCD, narrowed[length]);
        }
    }

    [Fact]
    public void Narrow_RejectsAShortDestination() =>
        Assert.Throws<ArgumentException>(() => BFloat16.Narrow(new float[5], new ushort[4]));
}
