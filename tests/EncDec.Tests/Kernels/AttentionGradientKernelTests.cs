using EncDec.Kernels;
using EncDec.Tests.Operations;

namespace EncDec.Tests.Kernels;

/// <summary>
/// <see cref="AttentionGradientKernel.Run"/> against <see cref="AttentionGradientKernel.Reference"/>: every key count
/// 1..40 (the 8- and 16-wide tails of the score products), several query counts, head shapes, with and without dropout
/// factors, a bias gradient, gradients added to or overwritten, operands interleaved (Q | K | V side by side, as a fused
/// projection leaves them) and padded, on every SIMD path and one or two threads. In the serial collection because it
/// changes the process-wide thread count.
/// </summary>
[Collection(nameof(GemmSerialCollection))]
public sealed unsafe class AttentionGradientKernelTests : IDisposable
{
    private static readonly int[] HeadDims = [1, 3, 16, 24, 64, 80];

    private readonly int _threads = Parallelism.ThreadCount;

    public void Dispose() => Parallelism.ThreadCount = _threads;

    [Theory]
    [MemberData(nameof(AttentionKernelTests.LevelsAndThreads), MemberType = typeof(AttentionKernelTests))]
    public void Run_MatchesReference_ForEveryKeyCount(SimdLevel level, int threads)
    {
        Parallelism.ThreadCount = threads;
        using var _ = SimdPath.Force(level);
        for (int keys = 1; keys <= 40; keys++)
            foreach (int queries in new[] { 1, 3, 17 })
                AssertMatchesReference(new Case(2, 1 + keys % 3, HeadDims[keys % HeadDims.Length], queries, keys,
                    Dropout: keys % 2 == 0, BiasGrad: keys % 3 == 0, Accumulate: keys % 4 < 2), seed: keys * 10 + queries);
    }

    [Theory]
    [MemberData(nameof(AttentionKernelTests.LevelsAndThreads), MemberType = typeof(AttentionKernelTests))]
    public void Run_MatchesReference_ForEveryHeadDim_WithAndWithoutDropout(SimdLevel level, int threads)
    {
        Parallelism.ThreadCount = threads;
        using var _ = SimdPath.Force(level);
        int seed = 0;
        foreach (int headDim in HeadDims)
            foreach (bool dropout in new[] { false, true })
                foreach (bool accumulate in new[] { false, true })
                    AssertMatchesReference(new Case(3, 4, headDim, 30, 30, dropout, BiasGrad: true, accumulate), seed++);
    }

    [Fact]
    public void Run_SkipsTheGradientsItIsNotAskedFor()
    {
        var c = new Case(2, 2, 16, 5, 7, Dropout: false, BiasGrad: false, Accumulate: false).Build(3);
        c.QGradBuffer = null;
        c.KGradBuffer = null;
        var (_, _, v, _) = c.Compute(reference: false);
        var (_, _, expectedV, _) = c.Compute(reference: true);
        OpTestData.AssertClose(expectedV!.Select(x => (double)x).ToArray(), v, 1e-4, 1e-5, "dV");
    }

    [Fact]
    public void Run_RejectsKeysStoredByDepthAndMissingWeights()
    {
        var problem = new AttentionProblem { Rows = 1, Heads = 1, HeadDim = 1, Queries = 1, Keys = 1, KeysTransposed = true };
        Assert.Throws<ArgumentException>(() => AttentionGradientKernel.Run(problem, default));
        problem.KeysTransposed = false;
        Assert.Throws<ArgumentException>(() => AttentionGradientKernel.Run(problem, default));   // no weights
    }

    private static void AssertMatchesReference(Case c, int seed)
    {
        c.Build(seed);
        var expected = c.Compute(reference: true);
        var actual = c.Compute(reference: false);
        string what = $"{c} seed {seed}";
        OpTestData.AssertClose(expected.Q!.Select(x => (double)x).ToArray(), actual.Q!, 1e-4, 1e-5, $"dQ of {what}");
        OpTestData.AssertClose(expected.K!.Select(x => (double)x).ToArray(), actual.K!, 1e-4, 1e-5, $"dK of {what}");
        OpTestData.AssertClose(expected.V!.Select(x => (double)x).ToArray(), actual.V!, 1e-4, 1e-5, $"dV of {what}");
        if (c.BiasGrad) OpTestData.AssertClose(expected.Bias!.Select(x => (double)x).ToArray(), actual.Bias!, 1e-4, 1e-5, $"dBias of {what}");
    }

    /// <summary>One backward problem: Q | K | V interleaved per position (3 · inner + 1 floats apart), the incoming
    /// gradient and the weights padded, the gradients of Q, K and V padded per position too.</summary>
    private sealed record Case(int Rows, int Heads, int HeadDim, int Queries, int Keys, bool Dropout, bool BiasGrad, bool Accumulate)
    {
        private int Inner => Heads * HeadDim;
        private int Positions => Math.Max(Queries, Keys);
        private int Width => 3 * Inner + 1;
        private int OutPosition => Inner + 2;
        private int GradPosition => HeadDim + 1;
        private int WeightsHead => Queries * Keys + 3;

        public float[] Operands = [], OutGrad = [], Weights = [], DropoutFactors = [], Start = [];
        public float[]? QGradBuffer = [], KGradBuffer = [], VGradBuffer = [];

        public Case Build(int seed)
        {
            var random = new Random(seed);
            float[] Uniform(int n) => Enumerable.Range(0, n).Select(_ => random.NextSingle() * 2f - 1f).ToArray();
            Operands = Uniform(Rows * Positions * Width);
            OutGrad = Uniform(Rows * Queries * OutPosition);
            Weights = Uniform(Rows * Heads * WeightsHead).Select(MathF.Abs).ToArray();
            DropoutFactors = Enumerable.Range(0, Rows * Heads * Queries * Keys).Select(_ => random.Next(3) == 0 ? 0f : 1.5f).ToArray();
            Start = Uniform(Rows * Heads * Positions * GradPosition);
            return this;
        }

        public (float[]? Q, float[]? K, float[]? V, float[]? Bias) Compute(bool reference)
        {
            float[]? q = QGradBuffer is null ? null : (float[])Start.Clone();
            float[]? k = KGradBuffer is null ? null : (float[])Start.Clone();
            float[]? v = VGradBuffer is null ? null : (float[])Start.Clone();
            float[]? bias = BiasGrad ? new float[Rows * Heads * Queries * Keys] : null;
            fixed (float* operands = Operands, outGrad = OutGrad, weights = Weights, dropout = DropoutFactors)
            fixed (float* pq = q, pk = k, pv = v, pBias = bias)
            {
                long headStride = (long)Positions * GradPosition, rowStride = Heads * headStride;
                var problem = new AttentionProblem
                {
                    Rows = Rows, Heads = Heads, HeadDim = HeadDim, Queries = Queries, Keys = Keys, Scale = 0.37f,
                    Format = KeyValueFormat.Float32,
                    Q = operands, K = operands + Inner, V = operands + 2 * Inner,
                    QRow = (long)Positions * Width, KRow = (long)Positions * Width, VRow = (long)Positions * Width,
                    QPosition = Width, KPosition = Width, VPosition = Width, QHead = HeadDim, KHead = HeadDim, VHead = HeadDim,
                    OutRow = (long)Queries * OutPosition, OutPosition = OutPosition,
                    Weights = weights, WeightsRow = (long)Heads * WeightsHead, WeightsHead = WeightsHead,
                    Dropout = Dropout ? dropout : null,
                };
                var gradients = new AttentionGradients
                {
                    OutGrad = outGrad, QGrad = pq, KGrad = pk, VGrad = pv, BiasGrad = pBias,
                    QGradRow = rowStride, QGradHead = headStride, QGradPosition = GradPosition,
                    KGradRow = rowStride, KGradHead = headStride, KGradPosition = GradPosition,
                    VGradRow = rowStride, VGradHead = headStride, VGradPosition = GradPosition,
                    AccumulateQ = Accumulate, AccumulateK = !Accumulate, AccumulateV = Accumulate,
                };
                if (reference) AttentionGradientKernel.Reference(problem, gradients);
                else AttentionGradientKernel.Run(problem, gradients);
            }
            return (q, k, v, bias);
        }
    }
}
