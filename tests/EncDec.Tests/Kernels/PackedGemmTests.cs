using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>
/// <see cref="PackedMatrix"/> and <see cref="PackedGemm.Multiply"/> against a double-precision triple loop, on
/// every micro-kernel this CPU can run, across register-tile tails, KC depth blocks and both thread splits.
/// Runs in the serial collection because it changes the process-wide thread count and parallel threshold.
/// </summary>
[Collection(nameof(GemmSerialCollection))]
public sealed class PackedGemmTests : IDisposable
{
    private readonly int _threads = Parallelism.ThreadCount;
    private readonly double _parallelFlops = Gemm.ParallelFlops;

    /// <summary>
    /// (m, n, k) covering every m in {0,1,5,11,12,13,25,64,97,200}, n in {1,2,31,32,33,64,100,257,768} and
    /// k in {1,7,8,255,256,513,1030}: tile remainders around 12 rows and 16/32 columns, depths on both sides
    /// of the 256 (scalar) and 512 (vector) KC limits, and row counts above 4 tiles per thread.
    /// </summary>
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (0, 33, 7),        // no rows: nothing to do
        (1, 768, 1030),    // a decoder step: columns split, 3 depth blocks (5 on the scalar kernel)
        (5, 257, 513),     // one past KC = 512: 2 depth blocks, one column past a panel
        (11, 31, 256),
        (12, 32, 255),
        (13, 33, 8),
        (25, 64, 1),
        (64, 100, 7),
        (97, 2, 513),      // 9 tiles of 12 rows: more than 4 per thread on 2 threads, so rows split
        (200, 1, 1030),    // rows split, one column, several depth blocks
        (200, 257, 255),
        (64, 768, 8),
        (13, 100, 1030),
        (32, 64, 255),     // a decoding step's rows per thread: 12 + 12 + an 8-row short tile
        (20, 96, 17),      // 12 + an 8-row short tile on every column panel
    ];

    public void Dispose()
    {
        Parallelism.ThreadCount = _threads;
        Gemm.ParallelFlops = _parallelFlops;
    }

    /// <summary>Kernel names (the enum is internal, so theories take its name).</summary>
    public static TheoryData<string> Kernels()
    {
        var data = new TheoryData<string>();
        foreach (var kind in GemmKernels.Available) data.Add(kind.ToString());
        return data;
    }

    public static TheoryData<string, int> KernelsAndThreads()
    {
        var data = new TheoryData<string, int>();
        foreach (var kind in GemmKernels.Available)
            foreach (int threads in new[] { 1, 2 }) data.Add(kind.ToString(), threads);
        return data;
    }

    [Theory]
    [MemberData(nameof(KernelsAndThreads))]
    public void Multiply_MatchesReference_OnEveryKernelAndThreadCount(string kernel, int threads)
    {
        using var _ = GemmKernels.Force(Enum.Parse<GemmKernelKind>(kernel));
        Parallelism.ThreadCount = threads;
        Gemm.ParallelFlops = 0;   // split even tiny problems
        int seed = 0;
        foreach (var (m, n, k) in Shapes)
        {
            var gemm = new PackedGemmCase(m, n, k).Build(seed++);
            gemm.AssertMatchesReference(gemm.Pack(), $"kernel {kernel}");
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Multiply_Beta1_AddsTheProductToC(string kernel)
    {
        using var _ = GemmKernels.Force(Enum.Parse<GemmKernelKind>(kernel));
        int seed = 100;
        foreach (var (m, n, k) in Shapes)
        {
            var gemm = new PackedGemmCase(m, n, k, Beta: 1f).Build(seed++);
            gemm.AssertMatchesReference(gemm.Pack(), $"kernel {kernel}");
        }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void Multiply_AddsBiasThenAppliesRelu(string kernel)
    {
        using var _ = GemmKernels.Force(Enum.Parse<GemmKernelKind>(kernel));
        int seed = 200;
        foreach (var (m, n, k) in Shapes)
        {
            foreach (var (bias, relu, beta) in new[] { (true, false, 0f), (false, true, 0f), (true, true, 1f) })
            {
                var gemm = new PackedGemmCase(m, n, k, Beta: beta, Bias: bias, Relu: relu).Build(seed++);
                gemm.AssertMatchesReference(gemm.Pack(), $"kernel {kernel}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(KernelsAndThreads))]
    public void Multiply_PaddedRows_MatchReference_AndLeaveThePaddingOfCUntouched(string kernel, int threads)
    {
        using var _ = GemmKernels.Force(Enum.Parse<GemmKernelKind>(kernel));
        Parallelism.ThreadCount = threads;
        Gemm.ParallelFlops = 0;
        int seed = 300;
        foreach (var (m, n, k) in Shapes)
        {
            // PackedGemmCase.AssertMatchesReference checks the ldc - n padding columns bit for bit.
            var gemm = new PackedGemmCase(m, n, k, PadA: 3, PadC: 5, Beta: seed % 2, Bias: true, Relu: seed % 3 == 0).Build(seed++);
            gemm.AssertMatchesReference(gemm.Pack(), $"kernel {kernel}");
        }
    }

    [Fact]
    public void Multiply_UnderAnotherKernelThanThePacking_FallsBackAndMatchesReference()
    {
        int seed = 400;
        foreach (var packKind in GemmKernels.Available)
            foreach (var runKind in GemmKernels.Available.Where(kind => kind != packKind))
                foreach (var (m, n, k) in new[] { (1, 33, 513), (13, 100, 7), (97, 31, 256) })
                {
                    var gemm = new PackedGemmCase(m, n, k, PadA: 2, PadC: 1, Beta: seed % 2, Bias: true, Relu: true).Build(seed++);
                    PackedMatrix packed;
                    using (GemmKernels.Force(packKind)) packed = gemm.Pack();
                    using (GemmKernels.Force(runKind)) gemm.AssertMatchesReference(packed, $"packed {packKind}, run {runKind}");
                }
    }

    [Theory]
    [MemberData(nameof(Kernels))]
    public void IndexerAndUnpack_EqualTheTransposedWeight(string kernel)
    {
        using var _ = GemmKernels.Force(Enum.Parse<GemmKernelKind>(kernel));
        foreach (var (n, k) in new[] { (1, 1), (2, 7), (33, 8), (31, 255), (17, 513), (100, 1030) })
        {
            var weight = new PackedGemmCase(1, n, k).Build(n * k).W;
            var packed = new PackedMatrix(weight, n, k);
            Assert.Equal((n, k), (packed.N, packed.K));
            var dense = packed.Unpack();
            Assert.Equal(k * n, dense.Length);
            for (int p = 0; p < k; p++)
                for (int j = 0; j < n; j++)
                {
                    Assert.Equal(weight[j * k + p], packed[p, j]);
                    Assert.Equal(weight[j * k + p], dense[p * n + j]);
                }
        }
    }

    [Fact]
    public void Indexer_OutsideTheMatrix_Throws()
    {
        var packed = new PackedMatrix(new float[6], 2, 3);
        foreach (var (p, j) in new[] { (-1, 0), (3, 0), (0, -1), (0, 2) })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => packed[p, j]);
            Assert.Contains($"({p}, {j}) is outside (3, 2)", error.Message);
        }
    }

    [Fact]
    public void Constructor_WeightOfWrongLength_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new PackedMatrix(new float[11], 3, 4));
        Assert.Equal("weight", error.ParamName);
        Assert.Contains("weight has 11 values, expected n 3 x k 4", error.Message);
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(-1, 4)]
    [InlineData(3, 0)]
    [InlineData(3, -2)]
    public void Constructor_NonPositiveSize_Throws(int n, int k)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new PackedMatrix(new float[12], n, k));
        Assert.Contains($"n and k must be positive, got n {n}, k {k}", error.Message);
    }

    [Fact]
    public void Multiply_BiasOfWrongLength_Throws()
    {
        var gemm = new PackedGemmCase(2, 3, 4).Build(1);
        var error = Assert.Throws<ArgumentException>(() =>
            PackedGemm.Multiply(2, gemm.A, 4, gemm.Pack(), new float[6], 3, bias: new float[4]));
        Assert.Equal("bias", error.ParamName);
        Assert.Contains("bias has 4 values, B has 3 columns", error.Message);
    }

    [Theory]
    [InlineData(0.5f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void Multiply_BetaOtherThanZeroOrOne_Throws(float beta)
    {
        var gemm = new PackedGemmCase(2, 3, 4).Build(1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            PackedGemm.Multiply(2, gemm.A, 4, gemm.Pack(), new float[6], 3, beta));
        Assert.Equal("beta", error.ParamName);
        Assert.Contains("beta must be 0 or 1", error.Message);
    }

    [Fact]
    public void Multiply_SpansTooShort_Throw()
    {
        var gemm = new PackedGemmCase(2, 3, 4, PadA: 1, PadC: 2).Build(1);   // A needs 9 values, C 8
        var packed = gemm.Pack();
        var shortA = Assert.Throws<ArgumentException>(() => PackedGemm.Multiply(2, new float[8], 5, packed, new float[8], 5));
        Assert.Equal("a", shortA.ParamName);
        Assert.Contains("operand A", shortA.Message);
        var shortC = Assert.Throws<ArgumentException>(() => PackedGemm.Multiply(2, gemm.A, 5, packed, new float[7], 5));
        Assert.Equal("c", shortC.ParamName);
        Assert.Contains("operand C", shortC.Message);
    }

    [Fact]
    public void Multiply_RowsOfCOverlapping_Throws()
    {
        var gemm = new PackedGemmCase(2, 3, 4).Build(1);
        var error = Assert.Throws<ArgumentException>(() => PackedGemm.Multiply(2, gemm.A, 4, gemm.Pack(), new float[6], 2));
        Assert.Contains("share memory", error.Message);
    }

    [Fact]
    public void Multiply_NegativeRows_Throws()
    {
        var gemm = new PackedGemmCase(2, 3, 4).Build(1);
        var error = Assert.Throws<ArgumentException>(() => PackedGemm.Multiply(-1, gemm.A, 4, gemm.Pack(), new float[6], 3));
        Assert.Contains("m=-1", error.Message);
    }

    [Fact]
    public void Multiply_NullMatrix_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => PackedGemm.Multiply(1, new float[4], 4, null!, new float[3], 3));
    }
}
