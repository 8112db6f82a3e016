using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EncDec.Kernels;

/// <summary>
/// Register tiles of four output rows for the small products of attention with several queries (training and
/// encoding): four rows share every load of the operand they all read, so the loop issues four fused multiply-adds
/// per load instead of one and runs at the FMA units' rate rather than the load ports'. AVX-512 only; the callers fall
/// back to one row at a time elsewhere.
/// </summary>
internal static unsafe class AttentionTiles
{
    /// <summary>Rows per tile.</summary>
    public const int Rows = 4;

    /// <summary>
    /// output[i · outputRow + d] = Σₙ weights[i · weightRow + n] · source[n · sourceRow + d] for rows i below
    /// <paramref name="count"/> (at most <see cref="Rows"/>) and d below <paramref name="dim"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void WeightedSums(float* weights, long weightRow, int terms, float* source, long sourceRow,
        float* output, long outputRow, int count, int dim)
    {
        // Missing rows repeat row 0 and their sums are dropped, so the loop body has one shape.
        float* w0 = weights, w1 = count > 1 ? weights + weightRow : weights;
        float* w2 = count > 2 ? weights + 2 * weightRow : weights, w3 = count > 3 ? weights + 3 * weightRow : weights;
        int d = 0;
        for (; d + 32 <= dim; d += 32)
        {
            Vector512<float> a0 = default, a1 = default, b0 = default, b1 = default;
            Vector512<float> c0 = default, c1 = default, e0 = default, e1 = default;
            float* row = source + d;
            for (int n = 0; n < terms; n++, row += sourceRow)
            {
                var x0 = Vector512.Load(row);
                var x1 = Vector512.Load(row + 16);
                var u = Vector512.Create(w0[n]);
                a0 = Vector512.FusedMultiplyAdd(u, x0, a0);
                a1 = Vector512.FusedMultiplyAdd(u, x1, a1);
                u = Vector512.Create(w1[n]);
                b0 = Vector512.FusedMultiplyAdd(u, x0, b0);
                b1 = Vector512.FusedMultiplyAdd(u, x1, b1);
                u = Vector512.Create(w2[n]);
                c0 = Vector512.FusedMultiplyAdd(u, x0, c0);
                c1 = Vector512.FusedMultiplyAdd(u, x1, c1);
                u = Vector512.Create(w3[n]);
                e0 = Vector512.FusedMultiplyAdd(u, x0, e0);
                e1 = Vector512.FusedMultiplyAdd(u, x1, e1);
            }
            StoreRows(output + d, outputRow, count, a0, b0, c0, e0);
            StoreRows(output + d + 16, outputRow, count, a1, b1, c1, e1);
        }
        for (; d + 16 <= dim; d += 16)
        {
            Vector512<float> a = default, b = default, c = default, e = default;
            float* row = source + d;
            for (int n = 0; n < terms; n++, row += sourceRow)
            {
                var x = Vector512.Load(row);
                a = Vector512.FusedMultiplyAdd(Vector512.Create(w0[n]), x, a);
                b = Vector512.FusedMultiplyAdd(Vector512.Create(w1[n]), x, b);
                c = Vector512.FusedMultiplyAdd(Vector512.Create(w2[n]), x, c);
                e = Vector512.FusedMultiplyAdd(Vector512.Create(w3[n]), x, e);
            }
            StoreRows(output + d, outputRow, count, a, b, c, e);
        }
        for (; d < dim; d++)
            for (int i = 0; i < count; i++)
            {
                float total = 0f;
                for (int n = 0; n < terms; n++) total = MathF.FusedMultiplyAdd(weights[i * weightRow + n], source[n * sourceRow + d], total);
                output[i * outputRow + d] = total;
            }
    }

    /// <summary>
    /// scores[i · scoreRow + j] = Σ_d queries[i · queryRow + d] · byDepth[d · depth + j] for rows i below
    /// <paramref name="count"/> and j below <paramref name="keys"/>, written in whole vectors up to the next multiple of
    /// 16 (the operand's rows must be readable that far, the score rows that long).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Scores(float* queries, long queryRow, float* byDepth, long depth, int dim, int keys,
        float* scores, long scoreRow, int count)
    {
        float* q0 = queries, q1 = count > 1 ? queries + queryRow : queries;
        float* q2 = count > 2 ? queries + 2 * queryRow : queries, q3 = count > 3 ? queries + 3 * queryRow : queries;
        for (int j = 0; j < keys; j += 32)
        {
            bool two = j + 16 < keys;
            Vector512<float> a0 = default, a1 = default, b0 = default, b1 = default;
            Vector512<float> c0 = default, c1 = default, e0 = default, e1 = default;
            float* column = byDepth + j;
            for (int d = 0; d < dim; d++, column += depth)
            {
                var x0 = Vector512.Load(column);
                var x1 = two ? Vector512.Load(column + 16) : default;
                var u = Vector512.Create(q0[d]);
                a0 = Vector512.FusedMultiplyAdd(u, x0, a0);
                a1 = Vector512.FusedMultiplyAdd(u, x1, a1);
                u = Vector512.Create(q1[d]);
                b0 = Vector512.FusedMultiplyAdd(u, x0, b0);
                b1 = Vector512.FusedMultiplyAdd(u, x1, b1);
                u = Vector512.Create(q2[d]);
                c0 = Vector512.FusedMultiplyAdd(u, x0, c0);
                c1 = Vector512.FusedMultiplyAdd(u, x1, c1);
                u = Vector512.Create(q3[d]);
                e0 = Vector512.FusedMultiplyAdd(u, x0, e0);
                e1 = Vector512.FusedMultiplyAdd(u, x1, e1);
            }
            StoreRows(scores + j, scoreRow, count, a0, b0, c0, e0);
            if (two) StoreRows(scores + j + 16, scoreRow, count, a1, b1, c1, e1);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRows(float* output, long outputRow, int count, Vector512<float> a, Vector512<float> b,
        Vector512<float> c, Vector512<float> e)
    {
        a.Store(output);
        if (count > 1) b.Store(output + outputRow);
        if (count > 2) c.Store(output + 2 * outputRow);
        if (count > 3) e.Store(output + 3 * outputRow);
    }
}
