namespace EncDec.Kernels;

/// <summary>
/// C = A · B (+ beta · C) (+ bias) (then ReLU) with B a <see cref="PackedMatrix"/>: the GEMM of inference,
/// where B is a weight packed once. Each thread owns a rectangle of C and packs only its rows of A:
/// short problems (up to four micro-kernel rows per thread, such as a decoder step) split the columns, so
/// every panel of B is read by one thread only; tall ones split the rows. The bias and the ReLU are
/// applied to each finished rectangle while it is still in cache.
/// </summary>
public static unsafe class PackedGemm
{
    /// <summary>Computes C (m, n) = A (m, k) · B + beta · C, then adds <paramref name="bias"/> to every row and
    /// applies ReLU when asked.</summary>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="a">(m, k) row-major, rows <paramref name="lda"/> apart.</param>
    /// <param name="lda">Elements between rows of A.</param>
    /// <param name="b">The packed (k, n) operand.</param>
    /// <param name="c">(m, n) row-major, rows <paramref name="ldc"/> apart.</param>
    /// <param name="ldc">Elements between rows of C.</param>
    /// <param name="beta">0 (C's old contents are ignored) or 1 (the product is added to them).</param>
    /// <param name="bias">(n) added to every row, or empty.</param>
    /// <param name="relu">Whether to apply max(0, x) last.</param>
    public static void Multiply(int m, ReadOnlySpan<float> a, int lda, PackedMatrix b, Span<float> c, int ldc,
        float beta = 0f, ReadOnlySpan<float> bias = default, bool relu = false)
    {
        ArgumentNullException.ThrowIfNull(b);
        GemmValidation.CheckPacked("PackedGemm", m, b.N, b.K, a.Length, lda, c.Length, ldc, beta, bias.Length);
        if (m == 0) return;
        var kernel = GemmKernels.Select(SimdPath.Current);
        if (kernel != b.Kernel)
        {
            Gemm.Multiply(false, false, m, b.N, b.K, 1f, a, lda, b.Unpack(), b.N, beta, c, ldc);
            Epilogue(c, ldc, 0, m, 0, b.N, bias, relu);
            return;
        }
        fixed (float* pa = a, pc = c, pBias = bias)
        {
            var work = PackedGemmWork.Current;
            work.Prepare(m, pa, lda, b, pc, ldc, beta, bias.IsEmpty ? null : pBias, relu);
            double flops = 2.0 * m * b.N * b.K;
            int threads = flops < Gemm.ParallelFlops ? 1 : Parallelism.ThreadCount;
            work.Run(threads);
        }
    }

    /// <summary>Adds the bias to, and applies ReLU on, rows [r0, r1) x columns [c0, c1) of C.</summary>
    internal static void Epilogue(Span<float> c, int ldc, int r0, int r1, int c0, int c1, ReadOnlySpan<float> bias, bool relu)
    {
        if (bias.IsEmpty && !relu) return;
        for (int i = r0; i < r1; i++)
        {
            var row = c.Slice(i * ldc + c0, c1 - c0);
            if (!bias.IsEmpty) System.Numerics.Tensors.TensorPrimitives.Add(row, bias[c0..c1], row);
            if (relu) UnaryKernel.Apply<ReluOperator>(row, row);
        }
    }
}
