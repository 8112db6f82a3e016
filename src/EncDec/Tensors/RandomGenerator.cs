using System.Numerics;

namespace EncDec.Tensors;

/// <summary>
/// A seeded, reproducible pseudo-random generator: xoshiro256** (Blackman and Vigna, "Scrambled Linear
/// Pseudorandom Number Generators", ACM TOMS 2021; reference code at https://prng.di.unimi.it/), with its
/// 256-bit state filled from the 64-bit seed by SplitMix64 (Steele, Lea and Flood, "Fast Splittable
/// Pseudorandom Number Generators", OOPSLA 2014), as the xoshiro authors recommend.
/// Written by hand rather than using <see cref="Random"/> because the sequence must be fixed by this
/// code (not by a runtime version) and its state must be saved in checkpoints (<see cref="GetState"/>).
/// Not thread-safe: give each thread or each component its own generator.
/// </summary>
public sealed class RandomGenerator
{
    private const double TwoPi = 2.0 * Math.PI;

    private ulong _s0, _s1, _s2, _s3;
    private bool _hasSpareNormal;
    private double _spareNormal;

    /// <summary>A generator whose sequence is determined by <paramref name="seed"/> alone.</summary>
    public RandomGenerator(ulong seed)
    {
        ulong mix = seed;
        _s0 = SplitMix64(ref mix);
        _s1 = SplitMix64(ref mix);
        _s2 = SplitMix64(ref mix);
        _s3 = SplitMix64(ref mix);
    }

    /// <summary>A generator that continues from a state captured by <see cref="GetState"/>.</summary>
    public RandomGenerator(RandomGeneratorState state) => SetState(state);

    /// <summary>The next 64 uniformly distributed bits (one xoshiro256** step).</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform float in [0, 1): the top 24 bits of one <see cref="NextUInt64"/> times 2^-24,
    /// so every value is exactly representable and 1 is never returned.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>A uniform double in [0, 1): the top 53 bits of one <see cref="NextUInt64"/> times 2^-53.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// A uniform integer in [0, <paramref name="maxExclusive"/>) without modulo bias: Lemire's multiply-and-reject
    /// method ("Fast Random Integer Generation in an Interval", ACM TOMS 2019) on the top 32 bits of each draw.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> is not positive.</exception>
    public int NextInt(int maxExclusive)
    {
        if (maxExclusive <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxExclusive), maxExclusive, "NextInt: the exclusive upper bound must be positive");
        uint range = (uint)maxExclusive;
        ulong product = (NextUInt64() >> 32) * range;
        uint low = (uint)product;
        if (low < range)
        {
            // 2^32 mod range: the low words below it belong to an over-represented bucket; redraw them.
            uint threshold = (0u - range) % range;
            while (low < threshold)
            {
                product = (NextUInt64() >> 32) * range;
                low = (uint)product;
            }
        }
        return (int)(product >> 32);
    }

    /// <summary>
    /// A standard normal deviate (mean 0, variance 1) by the Box–Muller transform. Each transform yields two
    /// independent deviates; the second is cached and returned by the next call (and saved by <see cref="GetState"/>).
    /// </summary>
    public double NextNormal()
    {
        if (_hasSpareNormal)
        {
            _hasSpareNormal = false;
            return _spareNormal;
        }
        double u1 = 1.0 - NextDouble();            // (0, 1]: keeps Log finite
        double u2 = NextDouble();
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        (double sin, double cos) = Math.SinCos(TwoPi * u2);
        _spareNormal = radius * sin;
        _hasSpareNormal = true;
        return radius * cos;
    }

    /// <summary>The complete state; <see cref="SetState"/> with it replays the sequence from this point exactly.</summary>
    public RandomGeneratorState GetState() => new(_s0, _s1, _s2, _s3, _hasSpareNormal, _spareNormal);

    /// <summary>Continues from a state captured by <see cref="GetState"/>.</summary>
    /// <exception cref="ArgumentException">All four state words are zero (xoshiro would then only ever return 0).</exception>
    public void SetState(RandomGeneratorState state)
    {
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
            throw new ArgumentException("RandomGenerator: the all-zero xoshiro256** state is invalid (the generator would return only zeros)", nameof(state));
        (_s0, _s1, _s2, _s3) = (state.S0, state.S1, state.S2, state.S3);
        _hasSpareNormal = state.HasSpareNormal;
        _spareNormal = state.SpareNormal;
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with low + (high - low) * u, u uniform in [0, 1) from
    /// <see cref="NextSingle"/> (one draw per element, in order). The result lies in [low, high] (high is
    /// reachable only through float rounding of the product).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The bounds are not finite or <paramref name="low"/> &gt; <paramref name="high"/>.</exception>
    public void FillUniform(Span<float> destination, float low, float high)
    {
        if (!float.IsFinite(low) || !float.IsFinite(high) || low > high)
            throw new ArgumentOutOfRangeException(nameof(low), $"FillUniform: bounds [{low}, {high}) must be finite with low <= high");
        float width = high - low;
        for (int i = 0; i < destination.Length; i++) destination[i] = low + width * NextSingle();
    }

    /// <summary>Fills <paramref name="destination"/> with mean + std * z, z from <see cref="NextNormal"/> (one deviate per element, in order).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="std"/> is negative or a parameter is not finite.</exception>
    public void FillNormal(Span<float> destination, float mean, float std)
    {
        if (!float.IsFinite(mean) || !float.IsFinite(std) || std < 0f)
            throw new ArgumentOutOfRangeException(nameof(std), $"FillNormal: mean {mean} and std {std} must be finite with std >= 0");
        for (int i = 0; i < destination.Length; i++) destination[i] = (float)(mean + std * NextNormal());
    }

    /// <summary>Fills <paramref name="destination"/> with 1 where <see cref="NextSingle"/> &lt; <paramref name="p"/>
    /// (probability p, in steps of 2^-24) and 0 elsewhere; one draw per element, in order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    public void FillBernoulli(Span<float> destination, float p)
    {
        if (!(p >= 0f && p <= 1f))
            throw new ArgumentOutOfRangeException(nameof(p), p, "FillBernoulli: the probability must be in [0, 1]");
        for (int i = 0; i < destination.Length; i++) destination[i] = NextSingle() < p ? 1f : 0f;
    }

    /// <summary>A new tensor of <paramref name="shape"/> filled by <see cref="FillUniform"/>.</summary>
    public Tensor Uniform(float low, float high, params ReadOnlySpan<int> shape)
    {
        var tensor = Tensor.Allocate(shape);
        FillUniform(tensor.AsSpan(), low, high);
        return tensor;
    }

    /// <summary>A new tensor of <paramref name="shape"/> filled by <see cref="FillNormal"/>.</summary>
    public Tensor Normal(float mean, float std, params ReadOnlySpan<int> shape)
    {
        var tensor = Tensor.Allocate(shape);
        FillNormal(tensor.AsSpan(), mean, std);
        return tensor;
    }

    /// <summary>A new tensor of <paramref name="shape"/> filled by <see cref="FillBernoulli"/> (ones with probability <paramref name="p"/>).</summary>
    public Tensor Bernoulli(float p, params ReadOnlySpan<int> shape)
    {
        var tensor = Tensor.Allocate(shape);
        FillBernoulli(tensor.AsSpan(), p);
        return tensor;
    }

    /// <summary>One SplitMix64 step: advances <paramref name="state"/> by the golden-ratio increment and returns its mixed value.</summary>
    internal static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
