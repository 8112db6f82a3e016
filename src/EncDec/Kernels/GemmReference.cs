namespace EncDec.Kernels;

/// <summary>
/// The test oracle for <see cref="Gemm"/>: the same contract written as three nested loops that
/// accumulate in double. Slow on purpose; never used on a hot path.
/// </summary>
public static class GemmReference
{
    /// <summary>
    /// For b in [0, batch): C_b = alpha * A_b * B_b + beta * C_b, the contract of
    /// <see cref="Gemm"/>'s strided Multiply, computed element by element in double and rounded once.
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
    public static void Multiply(int batch, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, MatrixStrides aStrides, ReadOnlySpan<float> b, MatrixStrides bStrides,
        float beta, Span<float> c, MatrixStrides cStrides)
    {
        GemmValidation.Check(batch, m, n, k, a.Length, aStrides, b.Length, bStrides, c.Length, cStrides);
        for (int t = 0; t < batch; t++)
        {
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++)
                    {
                        sum += (double)a[(int)(t * aStrides.Batch + (long)i * aStrides.Row + (long)p * aStrides.Col)]
                             * b[(int)(t * bStrides.Batch + (long)p * bStrides.Row + (long)j * bStrides.Col)];
                    }
                    int at = (int)(t * cStrides.Batch + (long)i * cStrides.Row + j);
                    double old = beta == 0f ? 0 : beta * (double)c[at];
                    c[at] = (float)(alpha * sum + old);
                }
            }
        }
    }
}
