using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>
/// One GEMM call with its operands laid out in memory: transposes, padded rows, spread columns and
/// batch strides (including 0, a broadcast) are all expressed as strides over flat buffers. The
/// expected result comes from <see cref="GemmReference"/>.
/// </summary>
/// <param name="PadA">Extra elements after every stored row of A (row stride &gt; width).</param>
/// <param name="SpreadA">Distance between consecutive stored elements of a row of A (1: dense).</param>
/// <param name="BroadcastA">A has batch stride 0 (one matrix shared by the batch).</param>
/// <param name="Alpha">Scale of the product.</param>
/// <param name="Beta">Scale of C; 0 fills C with NaN, which must not leak into the result.</param>
/// <param name="InterleaveC">C's batch sits inside its rows, like attention heads: (m, batch, n).</param>
internal sealed record GemmCase(
    int Batch, int M, int N, int K,
    bool TransposeA = false, bool TransposeB = false,
    int PadA = 0, int PadB = 0, int PadC = 0,
    int SpreadA = 1, int SpreadB = 1,
    bool BroadcastA = false, bool BroadcastB = false, bool InterleaveC = false,
    float Alpha = 1f, float Beta = 0f)
{
    public float[] A = [], B = [], C = [];
    public MatrixStrides AStrides, BStrides, CStrides;

    /// <summary>Allocates and fills the operands from <paramref name="seed"/>.</summary>
    public GemmCase Build(int seed)
    {
        var random = new Random(seed);
        (A, AStrides) = Operand(random, M, K, TransposeA, PadA, SpreadA, BroadcastA);
        (B, BStrides) = Operand(random, K, N, TransposeB, PadB, SpreadB, BroadcastB);
        int ldc = InterleaveC ? Batch * (N + PadC) : N + PadC;
        CStrides = new MatrixStrides(InterleaveC ? N + PadC : (long)M * ldc, ldc, 1);
        C = new float[Math.Max(1, InterleaveC ? M * ldc : Batch * M * ldc)];
        for (int i = 0; i < C.Length; i++) C[i] = Beta == 0f ? float.NaN : Uniform(random);
        return this;
    }

    /// <summary>
    /// Stores the logical (rows x cols) matrix row-major or, when <paramref name="transpose"/>,
    /// column-major, with padding and spread, and returns strides that read it back logically.
    /// </summary>
    private (float[] Data, MatrixStrides Strides) Operand(Random random, int rows, int cols, bool transpose, int pad, int spread, bool broadcast)
    {
        int storedRows = transpose ? cols : rows, storedCols = transpose ? rows : cols;
        int ld = storedCols * spread + pad;
        int perMatrix = storedRows * ld;
        int matrices = broadcast ? 1 : Batch;
        var data = new float[Math.Max(1, matrices * perMatrix)];
        for (int i = 0; i < data.Length; i++) data[i] = Uniform(random);
        long batchStride = broadcast ? 0 : perMatrix;
        var strides = transpose ? new MatrixStrides(batchStride, spread, ld) : new MatrixStrides(batchStride, ld, spread);
        return (data, strides);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"(batch={Batch}, m={M}, n={N}, k={K}, transA={TransposeA}, transB={TransposeB}, pad={PadA}/{PadB}/{PadC}, " +
        $"spread={SpreadA}/{SpreadB}, broadcast={BroadcastA}/{BroadcastB}, interleaveC={InterleaveC}, alpha={Alpha}, beta={Beta}, " +
        $"simd={SimdPath.Current}, threads={Parallelism.ThreadCount})";

    private static float Uniform(Random random) => random.NextSingle() * 2f - 1f;

    /// <summary>C after the call, per <see cref="GemmReference"/>.</summary>
    public float[] Expected()
    {
        var c = (float[])C.Clone();
        GemmReference.Multiply(Batch, M, N, K, Alpha, A, AStrides, B, BStrides, Beta, c, CStrides);
        return c;
    }

    /// <summary>C after <see cref="Gemm.Multiply(int,int,int,int,float,ReadOnlySpan{float},MatrixStrides,ReadOnlySpan{float},MatrixStrides,float,Span{float},MatrixStrides)"/>.</summary>
    public float[] Actual()
    {
        var c = (float[])C.Clone();
        Gemm.Multiply(Batch, M, N, K, Alpha, A, AStrides, B, BStrides, Beta, c, CStrides);
        return c;
    }

    /// <summary>
    /// Per element of C, the error a float computation may make: (k + 4) * 2^-23 * (|alpha| sum |a||b| +
    /// |beta c|), twice the classic bound for a k-term dot product, computed by the reference on
    /// absolute values. Elements the call does not address get 0 (they must stay bit-identical).
    /// </summary>
    public double[] Tolerance()
    {
        float[] Abs(float[] x) => x.Select(v => float.IsNaN(v) ? 0f : Math.Abs(v)).ToArray();
        var magnitude = Abs(C);
        GemmReference.Multiply(Batch, M, N, K, Math.Abs(Alpha), Abs(A), AStrides, Abs(B), BStrides, Math.Abs(Beta), magnitude, CStrides);
        var touched = new bool[C.Length];
        for (int t = 0; t < Batch; t++)
            for (int i = 0; i < M; i++)
                for (int j = 0; j < N; j++) touched[t * CStrides.Batch + (long)i * CStrides.Row + j] = true;
        double factor = (K + 4) * Math.Pow(2, -23);
        return magnitude.Select((v, i) => touched[i] ? factor * v + 1e-30 : 0.0).ToArray();
    }

    /// <summary>Asserts that <see cref="Gemm"/> agrees with the reference within <see cref="Tolerance"/>.</summary>
    public void AssertMatchesReference(string context = "")
    {
        AssertClose(Expected(), Actual(), Tolerance(), $"{this} {context}");
    }

    /// <summary>Asserts |expected - actual| &lt;= tolerance everywhere (NaN only where both are NaN).</summary>
    public static void AssertClose(float[] expected, float[] actual, double[] tolerance, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            bool bothNaN = float.IsNaN(expected[i]) && float.IsNaN(actual[i]);
            if (bothNaN || Math.Abs((double)expected[i] - actual[i]) <= tolerance[i]) continue;
            Assert.Fail($"C[{i}]: expected {expected[i]}, got {actual[i]} (tolerance {tolerance[i]:E2}) for {context}");
        }
    }
}
