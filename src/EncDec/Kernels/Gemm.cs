namespace EncDec.Kernels;

/// <summary>
/// Single-precision matrix multiply (GEMM), the engine's hot loop: BLIS-style packing of A and B from
/// arbitrary strides, cache blocking, register-tiled FMA micro-kernels for the calling thread's
/// <see cref="SimdPath"/>, and threads over rows, columns or the batch. Allocation-free after warm-up.
/// </summary>
public static class Gemm
{
    private static int s_preferredVectorWidth = 512;

    /// <summary>
    /// Problems smaller than this many flops run on the calling thread only: waking a worker costs a
    /// few microseconds, the time of a few million flops. Tests lower it to exercise the splits.
    /// </summary>
    internal static double ParallelFlops { get; set; } = 4e6;

    /// <summary>
    /// Vector width (512 or 256 bits) that the <see cref="SimdLevel.Avx512"/> path multiplies with:
    /// the 12 x 32 zmm kernel, or the 12 x 16 ymm kernel (which uses the same 32 registers). Chosen
    /// by measurement on AMD EPYC Zen 5 (2 cores) with
    /// <c>encdec bench gemm --vector-width W --threads T --repeat 5</c>, GFLOP/s, best of 5 x 0.3 s:
    /// <code>
    /// m x n x k          1 thread: 512   256    2 threads: 512   256
    /// 256^3                       202.8 107.2              383.5 185.5
    /// 512^3                       219.9 112.4              404.8 220.2
    /// 1024^3                      203.0 108.2              377.8 209.5
    /// 2048^3                      202.4 109.8              389.4 214.9
    /// 1920 x 256 x 256            214.8 113.9              415.1 221.3
    /// 1920 x 1024 x 256           210.5 113.5              418.6 217.5
    /// 1920 x 256 x 1024           211.3 107.8              388.6 211.7
    /// 1920 x 8000 x 256           216.0 114.4              413.7 225.3
    /// </code>
    /// Zen 5 runs 512-bit FMAs at full width, so 512 bits are 1.9x faster and the default. Set 256
    /// on a CPU where that measurement comes out the other way.
    /// </summary>
    public static int PreferredVectorWidth
    {
        get => s_preferredVectorWidth;
        set
        {
            if (value is not (256 or 512))
                throw new ArgumentOutOfRangeException(nameof(value), value, "the preferred vector width is 256 or 512 bits");
            s_preferredVectorWidth = value;
        }
    }

    /// <summary>
    /// For b in [0, batch): C_b = alpha * A_b * B_b + beta * C_b, where
    /// A_b(i,p) = a[b*aS.Batch + i*aS.Row + p*aS.Col] (i &lt; m, p &lt; k),
    /// B_b(p,j) = b[b*bS.Batch + p*bS.Row + j*bS.Col] (p &lt; k, j &lt; n),
    /// C_b(i,j) = c[b*cS.Batch + i*cS.Row + j] (cS.Col must be 1: C rows are contiguous).
    /// Transposed operands are expressed purely through strides (A^T: Row = 1, Col = lda); batch stride 0
    /// broadcasts an operand. beta == 0 means C's old contents are ignored (may be NaN).
    /// </summary>
    /// <param name="batch">Matrices in the batch.</param>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="n">Columns of B and C.</param>
    /// <param name="k">Columns of A, rows of B.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A: (batch, m, k) addressed through <paramref name="aStrides"/>.</param>
    /// <param name="aStrides">Strides of A.</param>
    /// <param name="b">B: (batch, k, n) addressed through <paramref name="bStrides"/>.</param>
    /// <param name="bStrides">Strides of B.</param>
    /// <param name="beta">Scale of C's old contents; 0 ignores them.</param>
    /// <param name="c">C: (batch, m, n) addressed through <paramref name="cStrides"/>.</param>
    /// <param name="cStrides">Strides of C; Col must be 1.</param>
    /// <exception cref="ArgumentException">An addressed element lies outside its span, a size is
    /// negative, C's rows are not contiguous or C's elements overlap; the message names the operand,
    /// (batch, m, n, k) and the strides.</exception>
    public static unsafe void Multiply(int batch, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, MatrixStrides aStrides, ReadOnlySpan<float> b, MatrixStrides bStrides,
        float beta, Span<float> c, MatrixStrides cStrides)
    {
        GemmValidation.Check(batch, m, n, k, a.Length, aStrides, b.Length, bStrides, c.Length, cStrides);
        if (batch == 0 || m == 0 || n == 0) return;
        fixed (float* pa = a, pb = b, pc = c)
        {
            var problem = new GemmProblem
            {
                Batch = batch, M = m, N = n, K = k, Alpha = alpha, Beta = beta,
                A = pa, B = pb, C = pc, AStrides = aStrides, BStrides = bStrides, CStrides = cStrides,
            };
            FoldBatchIntoRows(ref problem);
            if (k == 0)
            {
                ScaleC(problem);
                return;
            }
            var level = SimdPath.Current;
            if (GemmVector.TryRun(problem, level)) return;
            int threads = problem.Flops < ParallelFlops ? 1 : Parallelism.ThreadCount;
            GemmWork.Run(problem, GemmKernels.Select(level), threads);
        }
    }

    /// <summary>
    /// Row-major 2-D convenience form: C (m x n, rows ldc apart) = alpha * op(A) * op(B) + beta * C,
    /// where op(A) is (m x k) and is stored as A (m x k, rows lda apart) or, when
    /// <paramref name="transposeA"/>, as A^T (k x m, rows lda apart); likewise op(B) (k x n) with ldb.
    /// </summary>
    /// <param name="transposeA">A is stored transposed, as (k, m).</param>
    /// <param name="transposeB">B is stored transposed, as (n, k).</param>
    /// <param name="m">Rows of op(A) and C.</param>
    /// <param name="n">Columns of op(B) and C.</param>
    /// <param name="k">Columns of op(A), rows of op(B).</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">(m, k) row-major, or (k, m) when <paramref name="transposeA"/>.</param>
    /// <param name="lda">Elements between rows of the stored A.</param>
    /// <param name="b">(k, n) row-major, or (n, k) when <paramref name="transposeB"/>.</param>
    /// <param name="ldb">Elements between rows of the stored B.</param>
    /// <param name="beta">Scale of C's old contents; 0 ignores them.</param>
    /// <param name="c">(m, n) row-major with row stride <paramref name="ldc"/>.</param>
    /// <param name="ldc">Elements between rows of C.</param>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        var aStrides = transposeA ? MatrixStrides.Transposed(lda) : MatrixStrides.RowMajor(lda);
        var bStrides = transposeB ? MatrixStrides.Transposed(ldb) : MatrixStrides.RowMajor(ldb);
        Multiply(1, m, n, k, alpha, a, aStrides, b, bStrides, beta, c, MatrixStrides.RowMajor(ldc));
    }

    /// <summary>
    /// A batch that shares one B, with A and C batches stacked row after row, is one taller matrix:
    /// (batch x m x k) * (k x n) becomes (batch*m x k) * (k x n), which blocks and threads better.
    /// </summary>
    private static void FoldBatchIntoRows(ref GemmProblem p)
    {
        if (p.Batch <= 1 || p.BStrides.Batch != 0) return;
        if (p.AStrides.Batch != (long)p.M * p.AStrides.Row || p.CStrides.Batch != (long)p.M * p.CStrides.Row) return;
        if ((long)p.Batch * p.M > int.MaxValue) return;
        p.M *= p.Batch;
        p.Batch = 1;
    }

    /// <summary>k == 0: the product is empty, so C = beta * C (zero when beta == 0).</summary>
    private static unsafe void ScaleC(in GemmProblem p)
    {
        for (int t = 0; t < p.Batch; t++)
        {
            for (int i = 0; i < p.M; i++)
            {
                var row = new Span<float>(p.C + t * p.CStrides.Batch + (long)i * p.CStrides.Row, p.N);
                if (p.Beta == 0f) row.Clear();
                else for (int j = 0; j < row.Length; j++) row[j] *= p.Beta;
            }
        }
    }
}
