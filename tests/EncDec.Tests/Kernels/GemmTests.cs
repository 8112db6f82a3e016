using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>
/// <see cref="Gemm"/> against <see cref="GemmReference"/> on every SIMD path this CPU has: shapes that
/// hit every edge of the register tiles and cache blocks, all transposes, strided and batched operands,
/// alpha and beta.
/// </summary>
public class GemmTests
{
    private static readonly int[] Sizes = [1, 7, 33, 65];

    public static TheoryData<SimdLevel> Levels()
    {
        var data = new TheoryData<SimdLevel>();
        foreach (var level in SimdPath.Available) data.Add(level);
        return data;
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void AllSmallShapes_AllTransposes_MatchReference(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        int seed = 0;
        foreach (int m in Sizes)
            foreach (int n in Sizes)
                foreach (int k in Sizes)
                    for (int transposes = 0; transposes < 4; transposes++)
                    {
                        new GemmCase(1, m, n, k, TransposeA: (transposes & 1) != 0, TransposeB: (transposes & 2) != 0)
                            .Build(seed++).AssertMatchesReference();
                    }
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void ShapesWith1000_AndBlockBoundaries_MatchReference(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        (int M, int N, int K)[] shapes =
        [
            (1000, 7, 33), (33, 1000, 65), (65, 33, 1000), (7, 65, 1000), (1000, 65, 7), (1, 1000, 1000), (1000, 1, 65),
            (400, 70, 300), (13, 4200, 20), (97, 129, 513),
        ];
        int seed = 100;
        foreach (var (m, n, k) in shapes)
        {
            for (int transposes = 0; transposes < 4; transposes++)
            {
                new GemmCase(1, m, n, k, TransposeA: (transposes & 1) != 0, TransposeB: (transposes & 2) != 0)
                    .Build(seed++).AssertMatchesReference();
            }
        }
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void StridedOperands_RowStrideLargerThanWidth_AndSpreadColumns_MatchReference(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        int seed = 200;
        foreach (var (m, n, k) in new[] { (7, 33, 65), (65, 7, 33), (33, 65, 7), (1, 40, 9), (40, 1, 9) })
        {
            for (int transposes = 0; transposes < 4; transposes++)
            {
                bool ta = (transposes & 1) != 0, tb = (transposes & 2) != 0;
                new GemmCase(1, m, n, k, ta, tb, PadA: 3, PadB: 5, PadC: 2).Build(seed++).AssertMatchesReference("padded");
                new GemmCase(1, m, n, k, ta, tb, SpreadA: 2, SpreadB: 3, PadC: 1).Build(seed++).AssertMatchesReference("spread");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void Batched_IncludingBroadcastAndInterleavedC_MatchesReference(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        int seed = 300;
        foreach (int batch in new[] { 1, 2, 3, 5 })
        {
            foreach (var (m, n, k) in new[] { (7, 33, 65), (33, 7, 17), (1, 33, 20), (20, 1, 33), (65, 40, 9) })
            {
                new GemmCase(batch, m, n, k).Build(seed++).AssertMatchesReference("dense");
                new GemmCase(batch, m, n, k, BroadcastA: true).Build(seed++).AssertMatchesReference("broadcast A");
                new GemmCase(batch, m, n, k, BroadcastB: true).Build(seed++).AssertMatchesReference("broadcast B");
                new GemmCase(batch, m, n, k, BroadcastB: true, PadA: 1).Build(seed++).AssertMatchesReference("broadcast B, padded A");
                new GemmCase(batch, m, n, k, TransposeA: true, TransposeB: true, PadB: 2, InterleaveC: true)
                    .Build(seed++).AssertMatchesReference("interleaved C");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Levels))]
    public void AlphaAndBeta_IncludingBetaZeroOverNaN_MatchReference(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        int seed = 400;
        foreach (var (alpha, beta) in new[] { (1f, 0f), (0.5f, 0f), (-2f, 1f), (1f, -0.75f), (0.25f, 2f), (0f, 0.5f) })
        {
            foreach (var (m, n, k) in new[] { (33, 65, 7), (1, 65, 33), (65, 1, 33), (13, 35, 300), (2, 3, 0) })
            {
                new GemmCase(1, m, n, k, Alpha: alpha, Beta: beta).Build(seed++).AssertMatchesReference();
                new GemmCase(2, m, n, k, TransposeA: true, PadC: 3, Alpha: alpha, Beta: beta).Build(seed++).AssertMatchesReference();
            }
        }
    }

    [Fact]
    public void BetaZero_IgnoresNaNAndInfinityInC()
    {
        float[] a = [1, 2, 3, 4], b = [1, 0, 0, 1];
        float[] c = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.NaN];
        Gemm.Multiply(false, false, 2, 2, 2, 1f, a, 2, b, 2, 0f, c, 2);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, c);
    }

    [Fact]
    public void TransposeOverload_ComputesKnownProduct()
    {
        // A = [[1, 2, 3], [4, 5, 6]] stored transposed (3 x 2); B = [[1, 2], [3, 4], [5, 6]].
        float[] aT = [1, 4, 2, 5, 3, 6], b = [1, 2, 3, 4, 5, 6], c = new float[4];
        Gemm.Multiply(transposeA: true, transposeB: false, 2, 2, 3, 1f, aT, 2, b, 2, 0f, c, 2);
        Assert.Equal(new float[] { 22, 28, 49, 64 }, c);
    }

    [Fact]
    public void EmptyShapes_LeaveCUntouchedOrScaleIt()
    {
        float[] c = [1, 2, 3, 4];
        Gemm.Multiply(1, 0, 2, 3, 1f, [], default, [], default, 0f, c, new MatrixStrides(0, 2, 1));
        Gemm.Multiply(1, 2, 0, 3, 1f, [], default, [], default, 0f, c, new MatrixStrides(0, 2, 1));
        Assert.Equal(new float[] { 1, 2, 3, 4 }, c);
        Gemm.Multiply(1, 2, 2, 0, 1f, [], default, [], default, 2f, c, new MatrixStrides(0, 2, 1));
        Assert.Equal(new float[] { 2, 4, 6, 8 }, c);
        Gemm.Multiply(1, 2, 2, 0, 1f, [], default, [], default, 0f, c, new MatrixStrides(0, 2, 1));
        Assert.Equal(new float[4], c);
    }
}
