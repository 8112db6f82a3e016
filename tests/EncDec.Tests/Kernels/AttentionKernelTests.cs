using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>
/// <see cref="AttentionKernel.Run"/> against <see cref="AttentionKernel.Reference"/> on both key layouts, every
/// key count 1..40 (the 8- and 16-wide score tails), several head shapes, masks, biases, shared key rows,
/// every SIMD path and one or two threads. Runs in the serial collection because it changes the
/// process-wide thread count, and so that its two-thread cases really get a second thread.
/// </summary>
[Collection(nameof(GemmSerialCollection))]
public sealed class AttentionKernelTests : IDisposable
{
    private static readonly int[] HeadDims = [1, 3, 16, 24, 64, 80];

    private readonly int _threads = Parallelism.ThreadCount;

    public void Dispose() => Parallelism.ThreadCount = _threads;

    public static TheoryData<SimdLevel> Levels() => new(SimdPath.Available);

    public static TheoryData<SimdLevel, int> LevelsAndThreads()
    {
        var data = new TheoryData<SimdLevel, int>();
        foreach (var level in SimdPath.Available)
            foreach (int threads in new[] { 1, 2 }) data.Add(level, threads);
        return data;
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Run_MatchesReference_ForEveryKeyCount(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        for (int keys = 1; keys <= 40; keys++)
            foreach (bool transposed in new[] { false, true })
                // Several queries over keys stored by position take the kernel's transpose path.
                foreach (int queries in new[] { 1, 3 })
                {
                    var attention = new AttentionCase(2, 1 + keys % 4, HeadDims[keys / 4 % HeadDims.Length], queries, keys,
                        KeysTransposed: transposed, Weights: keys % 2 == 0);
                    attention.Build(keys).AssertRunMatchesReference();
                }
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Run_MatchesReference_ForEveryHeadDimAndHeadCount(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        int seed = 0;
        foreach (int headDim in HeadDims)
            for (int heads = 1; heads <= 4; heads++)
                foreach (bool transposed in new[] { false, true })
                    foreach (int queries in new[] { 1, 4 })
                        new AttentionCase(3, heads, headDim, queries, 19, KeysTransposed: transposed).Build(seed++).AssertRunMatchesReference();
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Run_TwoKeys_MatchesHandComputedSoftmax(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        foreach (bool transposed in new[] { false, true })
        {
            // One head of width 1 (scale 1): scores 0 and ln 3, so weights 1/4 and 3/4 and out = 1/4·1 + 3/4·5 = 4.
            var attention = new AttentionCase(1, 1, 1, 1, 2, KeysTransposed: transposed).Build(0);
            attention.QBuffer[attention.QOffset] = 1f;
            SetKey(attention, 0, 0f, 1f);
            SetKey(attention, 1, MathF.Log(3f), 5f);
            foreach (bool reference in new[] { true, false })
            {
                var (output, weights) = attention.Compute(reference);
                Assert.Equal(4f, output[0], 1e-5f);
                Assert.Equal(0.25f, weights[0], 1e-6f);
                Assert.Equal(0.75f, weights[1], 1e-6f);
            }
        }
    }

    /// <summary>Sets key <paramref name="j"/> (head 0, dimension 0, row 0) and its value.</summary>
    private static void SetKey(AttentionCase attention, int j, float key, float value)
    {
        attention.KBuffer[attention.KOffset + (attention.KeysTransposed ? j : j * attention.KPosition)] = key;
        attention.VBuffer[attention.VOffset + j * attention.VPosition] = value;
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Run_MaskedKeys_GetZeroWeight_AndAFullyMaskedRowGetsUniformWeights(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        int seed = 0;
        foreach (bool transposed in new[] { false, true })
            foreach (int keys in new[] { 1, 7, 16, 33 })
            {
                var attention = new AttentionCase(3, 2, 16, 2, keys, KeysTransposed: transposed, Mask: true, FullyMaskedSource: 1,
                    Bias: true).Build(seed++);
                attention.AssertRunMatchesReference();
                var (_, weights) = attention.Compute(reference: false);
                for (int r = 0; r < 3; r++)
                {
                    // Row 1 is masked by construction; a short random row may be too.
                    bool allMasked = Enumerable.Range(0, keys).All(j => attention.IsMasked(r, j));
                    Assert.True(allMasked || r != 1);
                    for (int h = 0; h < 2; h++)
                        for (int t = 0; t < 2; t++)
                            for (int j = 0; j < keys; j++)
                            {
                                float weight = weights[attention.WeightAt(r, h, t, j)];
                                if (allMasked) Assert.Equal(1f / keys, weight, 1e-6f);
                                else if (attention.IsMasked(r, j)) Assert.Equal(0f, weight);
                            }
                }
            }
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Run_AddsTheBiasOfEachHeadAndQuery(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        int seed = 0;
        foreach (bool transposed in new[] { false, true })
            foreach (int queries in new[] { 1, 5 })
                foreach (int keys in new[] { 3, 17, 40 })
                    new AttentionCase(2, 3, 16, queries, keys, KeysTransposed: transposed, Bias: true).Build(seed++).AssertRunMatchesReference();
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Run_KeyRows_ReadKeysValuesAndMaskOfTheSourceRow(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        int seed = 0;
        foreach (bool transposed in new[] { false, true })
            foreach (int queries in new[] { 1, 3 })
            {
                var attention = new AttentionCase(4, 2, 16, queries, 21, KeysTransposed: transposed, Mask: true, FullyMaskedSource: 0,
                    KeyRows: [2, 0, 2, 1]).Build(seed++);
                attention.AssertRunMatchesReference();
                var (_, weights) = attention.Compute(reference: false);
                // Row 1 reads source row 0, the fully masked one; no other row does.
                Assert.Equal(1f / 21, weights[attention.WeightAt(1, 1, queries - 1, 20)], 1e-6f);
            }
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Run_TransposedKeys_IgnoreWhatThePaddingColumnsHold(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        int seed = 0;
        foreach (float garbage in new[] { float.NaN, 1e30f, -1e30f, float.PositiveInfinity })
            foreach (int keys in new[] { 1, 5, 8, 9, 15, 17, 31, 33 })
                foreach (int extraDepth in new[] { 0, 16 })
                {
                    var attention = new AttentionCase(2, 2, 3 + keys % 2 * 13, 1 + keys % 3, keys, KeysTransposed: true, Mask: true,
                        ExtraDepth: extraDepth, Garbage: garbage).Build(seed++);
                    attention.AssertRunMatchesReference();
                }
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Run_WeightsOfEveryQuery_SumToOne(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        int seed = 0;
        foreach (bool transposed in new[] { false, true })
            foreach (int keys in new[] { 1, 2, 15, 16, 17, 40 })
            {
                var attention = new AttentionCase(2, 3, 3, 4, keys, KeysTransposed: transposed, Mask: true, Bias: true).Build(seed++);
                var (_, weights) = attention.Compute(reference: false);
                for (int r = 0; r < 2; r++)
                    for (int h = 0; h < 3; h++)
                        for (int t = 0; t < 4; t++)
                        {
                            double sum = 0;
                            for (int j = 0; j < keys; j++) sum += weights[attention.WeightAt(r, h, t, j)];
                            Assert.Equal(1.0, sum, 1e-5);
                        }
            }
    }

    [Theory]
    [MemberData(nameof(LevelsAndThreads))]
    public void Run_MatchesReference_OnOneAndTwoThreads(SimdLevel level, int threads)
    {
        using var _ = SimdPath.Force(level);
        Parallelism.ThreadCount = threads;
        // Each case is above the kernel's 1e5-flop threshold, so two threads split the (row, head) pairs.
        AttentionCase[] cases =
        [
            new(3, 4, 16, 8, 37, Mask: true, Bias: true),                                  // several queries: transpose path
            new(8, 4, 64, 1, 40, KeysTransposed: true, Mask: true, FullyMaskedSource: 5),  // decoder step over a cache
            new(5, 3, 64, 2, 33, KeyRows: [2, 0, 2, 1, 4], Mask: true),
            new(7, 1, 64, 6, 29, KeysTransposed: true, Bias: true, Garbage: 1e30f),        // one head: rows alone split
            new(8, 4, 64, 1, 30, KeysTransposed: true, Mask: true, KeyRows: [7, 6, 5, 4, 3, 2, 1, 0],
                Format: KeyValueFormat.BFloat16),                                           // int8 inference's caches
        ];
        int seed = 0;
        foreach (var attention in cases) attention.Build(seed++).AssertRunMatchesReference();
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Run_BFloat16KeysAndValues_MatchReference_ForEveryKeyCountAndHeadDim(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        for (int keys = 1; keys <= 40; keys++)
            foreach (int queries in new[] { 1, 3 })
            {
                var attention = new AttentionCase(3, 1 + keys % 4, HeadDims[keys / 4 % HeadDims.Length], queries, keys,
                    KeysTransposed: true, Mask: keys % 3 == 0, Bias: keys % 5 == 0, KeyRows: keys % 2 == 0 ? [1, 1, 0] : null,
                    Garbage: keys % 4 == 0 ? float.PositiveInfinity : float.NaN, Format: KeyValueFormat.BFloat16);
                attention.Build(keys).AssertRunMatchesReference();
            }
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Run_BFloat16_StaysWithinItsRoundingOfFloat32(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        foreach (int keys in new[] { 1, 7, 16, 30, 40 })
        {
            var exact = new AttentionCase(4, 4, 64, 1, keys, KeysTransposed: true, Mask: true).Build(keys).Compute(reference: false);
            var rounded = new AttentionCase(4, 4, 64, 1, keys, KeysTransposed: true, Mask: true, Format: KeyValueFormat.BFloat16)
                .Build(keys).Compute(reference: false);
            double worst = 0;
            for (int i = 0; i < exact.Out.Length; i++)
                if (!float.IsNaN(exact.Out[i])) worst = Math.Max(worst, Math.Abs(exact.Out[i] - rounded.Out[i]));
            // Keys and values in [-1, 1] carry at most 2^-8 relative rounding each; outputs are weighted means of values.
            Assert.InRange(worst, 1e-7, 1e-2);
        }
    }

    [Fact]
    public void Run_BFloat16KeysStoredByPosition_AreRejected()
    {
        var attention = new AttentionCase(2, 1, 16, 1, 5, Format: KeyValueFormat.BFloat16).Build(1);
        var error = Assert.Throws<ArgumentException>(() => attention.Compute(reference: false));
        Assert.Contains("transposed", error.Message);
    }
}
