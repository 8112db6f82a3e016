using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>
/// Every micro-kernel this CPU can run (including the ones the default selection skips here), swept
/// over every remainder of its register tile and across cache-block boundaries: tails are where the
/// bugs live.
/// </summary>
public class GemmKernelTests
{
    /// <summary>Kernel names (the enum is internal, so theories take its name).</summary>
    public static TheoryData<string> Kernels()
    {
        var data = new TheoryData<string>();
        foreach (var kind in GemmKernels.Available) data.Add(kind.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void EveryColumnRemainder_MatchesReference(string kernel)
    {
        var kind = Enum.Parse<GemmKernelKind>(kernel);
        using var _ = GemmKernels.Force(kind);
        for (int n = 2; n <= 70; n++)
        {
            new GemmCase(1, 13, n, 9).Build(n).AssertMatchesReference($"kernel {kind}");
            new GemmCase(1, 5, n, 8, TransposeB: true, Beta: 0.5f).Build(n).AssertMatchesReference($"kernel {kind}");
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void ShortProblems_ReadingBInPlace_MatchReference(string kernel)
    {
        var kind = Enum.Parse<GemmKernelKind>(kernel);
        using var _ = GemmKernels.Force(kind);
        // At most Mr rows with contiguous B rows: the driver skips packing B except for a ragged last panel.
        for (int n = 2; n <= 70; n++)
        {
            new GemmCase(1, 3, n, 11, PadB: 3, Beta: 1f).Build(n).AssertMatchesReference($"kernel {kind}");
            new GemmCase(2, 2, n, 300, TransposeA: true).Build(n).AssertMatchesReference($"kernel {kind}");
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void EveryRowRemainder_MatchesReference(string kernel)
    {
        var kind = Enum.Parse<GemmKernelKind>(kernel);
        using var _ = GemmKernels.Force(kind);
        for (int m = 2; m <= 30; m++)
        {
            new GemmCase(1, m, 35, 17).Build(m).AssertMatchesReference($"kernel {kind}");
            new GemmCase(1, m, 33, 16, TransposeA: true, Alpha: -1f, Beta: 1f).Build(m).AssertMatchesReference($"kernel {kind}");
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void EveryDepth_MatchesReference(string kernel)
    {
        var kind = Enum.Parse<GemmKernelKind>(kernel);
        using var _ = GemmKernels.Force(kind);
        for (int k = 0; k <= 20; k++)
        {
            new GemmCase(1, 13, 19, k).Build(k).AssertMatchesReference($"kernel {kind}");
            new GemmCase(1, 14, 17, k, TransposeA: true, TransposeB: true).Build(k).AssertMatchesReference($"kernel {kind}");
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void AcrossCacheBlocks_MatchesReference(string kernel)
    {
        var kind = Enum.Parse<GemmKernelKind>(kernel);
        using var _ = GemmKernels.Force(kind);
        var blocking = GemmBlocking.For(kind);
        // One past each block size: a second, thin block in every loop of the driver.
        new GemmCase(1, blocking.Mc + 1, 40, blocking.Kc + 1, Beta: 1f).Build(1).AssertMatchesReference($"kernel {kind}");
        new GemmCase(1, 9, blocking.Nc + 1, 12, TransposeB: true).Build(2).AssertMatchesReference($"kernel {kind}");
    }

    [Fact]
    public void PackedPanels_MatchThePanelDefinition_ForEveryLayout()
    {
        var random = new Random(5);
        var source = Enumerable.Range(0, 40 * 40).Select(_ => random.NextSingle()).ToArray();
        foreach (int width in new[] { 4, 6, 12, 16, 32 })
        {
            foreach (var (laneStride, depthStride) in new[] { (1, 40), (40, 1), (3, 80), (1, 1 + width) })
            {
                foreach (var (count, kc) in new[] { (width, 17), (width - 1, 8), (width + 3, 9), (1, 1) })
                    AssertPackMatchesDefinition(source, laneStride, depthStride, count, kc, width);
            }
        }
    }

    private static unsafe void AssertPackMatchesDefinition(float[] source, int laneStride, int depthStride, int count, int kc, int width)
    {
        int panels = (count + width - 1) / width;
        var packed = new float[panels * kc * width];
        var expected = new float[packed.Length];
        fixed (float* src = source, dst = packed, reference = expected)
        {
            GemmPacking.Pack(src, laneStride, depthStride, count, kc, width, dst, simd: true);
            for (int q = 0; q < panels; q++)
            {
                int lanes = Math.Min(width, count - q * width);
                GemmPacking.PackGeneric(src + q * width * laneStride, laneStride, depthStride, lanes, kc, width, reference + q * width * kc);
            }
        }
        Assert.Equal(expected, packed);
    }
}
