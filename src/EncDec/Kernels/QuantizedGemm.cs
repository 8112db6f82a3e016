namespace EncDec.Kernels;

/// <summary>
/// C = A · B (+ beta · C) (+ bias) (then ReLU) with B a <see cref="QuantizedMatrix"/>: the int8 GEMM of inference.
/// Each row of A is quantized on the fly with its own scale (<see cref="Int8Quantization"/>, stored as q + 128), the
/// products are summed exactly in 32-bit integers, and each output is scaled back:
/// <code>
///   C[i, j] = (acc[i, j] − 128 · Σₚ B(p, j)) · (rowScale[i] · columnScale[j]) + bias[j] + beta · C[i, j]
/// </code>
/// With AVX-VNNI (<c>vpdpbusd</c>: 32 byte products summed into eight 32-bit lanes per instruction) the arithmetic
/// runs at twice the rate of float32 fused multiply-adds here, and B streams a quarter of the bytes. Without it a
/// scalar loop computes the same integers (slow: a fallback, not a speed path). Columns are split across threads.
/// <see cref="Reference"/> is the naive definition the kernel is tested against.
/// </summary>
public static class QuantizedGemm
{
    /// <summary>Computes C (m, n) = A (m, k) · B + beta · C, then adds <paramref name="bias"/> to every row and applies
    /// ReLU when asked.</summary>
    /// <param name="m">Rows of A and C.</param>
    /// <param name="a">(m, k) row-major, rows <paramref name="lda"/> apart.</param>
    /// <param name="lda">Elements between rows of A.</param>
    /// <param name="b">The quantized (k, n) operand.</param>
    /// <param name="c">(m, n) row-major, rows <paramref name="ldc"/> apart.</param>
    /// <param name="ldc">Elements between rows of C.</param>
    /// <param name="beta">0 (C's old contents are ignored) or 1 (the product is added to them).</param>
    /// <param name="bias">(n) added to every row, or empty.</param>
    /// <param name="relu">Whether to apply max(0, x) last.</param>
    public static void Multiply(int m, ReadOnlySpan<float> a, int lda, QuantizedMatrix b, Span<float> c, int ldc,
        float beta = 0f, ReadOnlySpan<float> bias = default, bool relu = false)
    {
        Validate(m, a, lda, b, c, ldc, beta, bias);
        if (m == 0) return;
        QuantizedGemmWork.Current.Run(m, a, lda, b, c, ldc, beta, bias, relu);
    }

    /// <summary>The definition: the same row quantization, then a plain triple loop over the quantized values and the
    /// same scaling, in the same order of float operations as the kernel.</summary>
    public static void Reference(int m, ReadOnlySpan<float> a, int lda, QuantizedMatrix b, Span<float> c, int ldc,
        float beta = 0f, ReadOnlySpan<float> bias = default, bool relu = false)
    {
        Validate(m, a, lda, b, c, ldc, beta, bias);
        var shifted = new byte[b.K];
        for (int i = 0; i < m; i++)
        {
            float rowScale = Int8Quantization.QuantizeShifted(a.Slice(i * lda, b.K), shifted);
            for (int j = 0; j < b.N; j++)
            {
                int acc = 0;
                for (int p = 0; p < b.K; p++) acc += shifted[p] * b[p, j];
                c[i * ldc + j] = Finish(acc, b.ColumnSums[j], rowScale, b.Scales[j], bias.IsEmpty ? 0f : bias[j],
                    beta == 0f ? 0f : c[i * ldc + j], !bias.IsEmpty, beta != 0f, relu);
            }
        }
    }

    /// <summary>One output from its integer sum: the float operations every path performs, in this order.</summary>
    internal static float Finish(int acc, int columnSum, float rowScale, float columnScale, float bias, float old,
        bool hasBias, bool accumulate, bool relu)
    {
        float value = (acc - Int8Quantization.UnsignedOffset * columnSum) * (rowScale * columnScale);
        if (hasBias) value += bias;
        if (accumulate) value += old;
        return relu ? MathF.Max(value, 0f) : value;
    }

    private static void Validate(int m, ReadOnlySpan<float> a, int lda, QuantizedMatrix b, Span<float> c, int ldc,
        float beta, ReadOnlySpan<float> bias)
    {
        ArgumentNullException.ThrowIfNull(b);
        GemmValidation.CheckPacked("QuantizedGemm", m, b.N, b.K, a.Length, lda, c.Length, ldc, beta, bias.Length);
    }
}
