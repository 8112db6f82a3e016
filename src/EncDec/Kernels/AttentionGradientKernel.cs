using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EncDec.Kernels;

/// <summary>
/// Where <see cref="AttentionGradientKernel"/> writes the gradients of one attention batch. The incoming gradient has
/// the layout of the forward's output (<see cref="AttentionProblem.Out"/>); the gradients of q, k and v are addressed
/// like their operands, dq(r, t, h, d) = QGrad[r·QGradRow + h·QGradHead + t·QGradPosition + d] (likewise K and V over
/// keys); the bias gradient is dense (rows, heads, queries, keys). A null pointer skips that gradient. Each of Q, K and
/// V is either added to (<c>Accumulate…</c>) or overwritten.
/// </summary>
internal unsafe struct AttentionGradients
{
    public float* OutGrad, QGrad, KGrad, VGrad, BiasGrad;
    public long QGradRow, QGradHead, QGradPosition, KGradRow, KGradHead, KGradPosition, VGradRow, VGradHead, VGradPosition;
    public bool AccumulateQ, AccumulateK, AccumulateV;
}

/// <summary>
/// The backward of <see cref="AttentionKernel"/> for training (float32 operands, keys stored position by position,
/// no key-row indirection), from the weights P the forward saved. For each row, head and query t, with
/// dO = the incoming gradient, D = the dropout factors (1 without dropout) and s = the scale:
/// <code>
/// dV[j]    += Σ_t P[t, j] D[t, j] dO[t]
/// dP[t, j]  = (dO[t] · V[j]) D[t, j]
/// dS[t, j]  = P[t, j] (dP[t, j] - Σ_j' P[t, j'] dP[t, j'])     (the bias gradient; 0 at masked keys, where P is 0)
/// dQ[t]    += s Σ_j dS[t, j] K[j]
/// dK[j]    += s Σ_t dS[t, j] Q[t]
/// </code>
/// (row, head) pairs are spread over the threads; a pair's operands stay in L1 while all five products run, four
/// output rows at a time on the AVX-512 path (<see cref="AttentionTiles"/>).
/// <see cref="Reference"/> is the scalar definition it is tested against.
/// </summary>
internal sealed unsafe class AttentionGradientKernel : IParallelWork
{
    [ThreadStatic] private static AttentionGradientKernel? t_current;
    [ThreadStatic] private static float[]? t_scratch;

    private AttentionProblem _problem;
    private AttentionGradients _gradients;
    private SimdLevel _level;

    /// <summary>Runs the backward of <paramref name="problem"/> (whose <see cref="AttentionProblem.Weights"/> hold the
    /// forward's P) on up to <see cref="Parallelism.ThreadCount"/> threads.</summary>
    public static void Run(in AttentionProblem problem, in AttentionGradients gradients)
    {
        if (problem.Rows == 0 || problem.Heads == 0 || problem.Queries == 0) return;
        if (problem.Format != KeyValueFormat.Float32 || problem.KeysTransposed || problem.KeyRows is not null || problem.Weights is null)
            throw new ArgumentException("AttentionGradientKernel: needs float32 keys by position, no key rows, and the forward's weights");
        var work = t_current ??= new AttentionGradientKernel();
        (work._problem, work._gradients, work._level) = (problem, gradients, SimdPath.Current);
        double flops = 8.0 * problem.Rows * problem.Heads * problem.Queries * problem.Keys * problem.HeadDim;
        try
        {
            ParallelRunner.For(problem.Rows * problem.Heads, work, flops < 2e5 ? 1 : 0);
        }
        finally
        {
            (work._problem, work._gradients) = (default, default);
        }
    }

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Execute(int begin, int end)
    {
        ref readonly var p = ref _problem;
        int queries = p.Queries, keys = p.Keys, dim = p.HeadDim, padded = (keys + 15) & ~15;
        int width = _level == SimdLevel.Avx512 && Vector512.IsHardwareAccelerated ? 16
            : _level >= SimdLevel.Avx2 && Vector256.IsHardwareAccelerated ? 8 : 1;
        // vᵀ (dim, padded) | dS (queries, padded) | dSᵀ (keys, queries) | (P·D)ᵀ (keys, queries) | a tile of rows (4, dim)
        int floats = dim * padded + queries * padded + 2 * keys * queries + AttentionTiles.Rows * dim;
        var scratch = t_scratch is { } s && s.Length >= floats ? s : t_scratch = new float[Math.Max(floats, 1024)];
        fixed (float* buffer = scratch)
        {
            float* valuesByDepth = buffer, scoreGrads = valuesByDepth + dim * padded, scoreGradsByKey = scoreGrads + queries * padded;
            float* keptByKey = scoreGradsByKey + keys * queries, rows = keptByKey + keys * queries;
            for (int pair = begin; pair < end; pair++)
            {
                int r = pair / p.Heads, h = pair % p.Heads;
                float* q = p.Q + r * p.QRow + h * p.QHead;
                float* k = (float*)p.K + r * p.KRow + h * p.KHead;
                float* v = (float*)p.V + r * p.VRow + h * p.VHead;
                AttentionKernel.Transpose(v, p.VPosition, keys, dim, valuesByDepth, padded);
                ScoreGradients(in p, pair, r, h, valuesByDepth, padded, scoreGrads, scoreGradsByKey, keptByKey, width);
                float* outGrad = _gradients.OutGrad + r * p.OutRow + h * dim;
                if (_gradients.VGrad is not null)   // dV[j] = Σ_t (P·D)[t, j] dO[t]
                    WeightedRows(keptByKey, queries, keys, queries, outGrad, p.OutPosition, rows, dim, width, 1f,
                        _gradients.VGrad + r * _gradients.VGradRow + h * _gradients.VGradHead, _gradients.VGradPosition, _gradients.AccumulateV);
                if (_gradients.QGrad is not null)   // dQ[t] = s Σ_j dS[t, j] K[j]
                    WeightedRows(scoreGrads, padded, queries, keys, k, p.KPosition, rows, dim, width, p.Scale,
                        _gradients.QGrad + r * _gradients.QGradRow + h * _gradients.QGradHead, _gradients.QGradPosition, _gradients.AccumulateQ);
                if (_gradients.KGrad is not null)   // dK[j] = s Σ_t dS[t, j] Q[t]
                    WeightedRows(scoreGradsByKey, queries, keys, queries, q, p.QPosition, rows, dim, width, p.Scale,
                        _gradients.KGrad + r * _gradients.KGradRow + h * _gradients.KGradHead, _gradients.KGradPosition, _gradients.AccumulateK);
            }
        }
    }

    /// <summary>gradient row i (i below <paramref name="count"/>, <paramref name="gradientRow"/> apart) =
    /// (itself when <paramref name="accumulate"/>) + scale · Σₙ weights[i · weightRow + n] · source[n · sourceRow],
    /// four rows at a time on the AVX-512 path; <paramref name="rows"/> is scratch of four rows of dim.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WeightedRows(float* weights, long weightRow, int count, int terms, float* source, long sourceRow,
        float* rows, int dim, int width, float scale, float* gradient, long gradientRow, bool accumulate)
    {
        for (int i = 0; i < count; i += AttentionTiles.Rows)
        {
            int tile = Math.Min(AttentionTiles.Rows, count - i);
            if (width == 16)
                AttentionTiles.WeightedSums(weights + i * weightRow, weightRow, terms, source, sourceRow, rows, dim, tile, dim);
            else
                for (int row = 0; row < tile; row++)
                    AttentionKernel.WeightedSum<Float32Elements>(weights + (i + row) * weightRow, terms, (byte*)source, sourceRow,
                        rows + row * dim, dim, width);
            for (int row = 0; row < tile; row++) Store(rows + row * dim, scale, gradient + (i + row) * gradientRow, dim, accumulate);
        }
    }

    /// <summary>dS of pair (r, h) into <paramref name="scoreGrads"/> (queries, padded) and its transpose, (P·D)ᵀ into
    /// <paramref name="keptByKey"/>, and dS into the bias gradient when asked.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ScoreGradients(in AttentionProblem p, int pair, int r, int h, float* valuesByDepth, int padded,
        float* scoreGrads, float* scoreGradsByKey, float* keptByKey, int width)
    {
        int queries = p.Queries, keys = p.Keys, dim = p.HeadDim;
        float* outGrads = _gradients.OutGrad + r * p.OutRow + h * dim;
        for (int t = 0; t < queries; t += AttentionTiles.Rows)   // dP (before dropout) = dO · Vᵀ
            if (width == 16)
                AttentionTiles.Scores(outGrads + t * p.OutPosition, p.OutPosition, valuesByDepth, padded, dim, keys,
                    scoreGrads + t * padded, padded, Math.Min(AttentionTiles.Rows, queries - t));
            else
                for (int row = t; row < Math.Min(t + AttentionTiles.Rows, queries); row++)
                    AttentionKernel.ScoresByDepth<Float32Elements>(outGrads + row * p.OutPosition, (byte*)valuesByDepth, padded, dim,
                        keys, scoreGrads + row * padded, width);
        for (int t = 0; t < queries; t++)
        {
            float* weights = p.Weights + r * p.WeightsRow + h * p.WeightsHead + (long)t * keys;
            float* dropout = p.Dropout is null ? null : p.Dropout + ((long)pair * queries + t) * keys;
            float* grads = scoreGrads + t * padded;
            float centre = 0f;
            for (int j = 0; j < keys; j++)
            {
                float factor = dropout is null ? 1f : dropout[j];
                grads[j] *= factor;
                centre += weights[j] * grads[j];
                keptByKey[j * queries + t] = weights[j] * factor;
            }
            for (int j = 0; j < keys; j++)
            {
                float grad = weights[j] * (grads[j] - centre);
                grads[j] = grad;
                scoreGradsByKey[j * queries + t] = grad;
            }
            if (_gradients.BiasGrad is not null)
                new ReadOnlySpan<float>(grads, keys).CopyTo(new Span<float>(_gradients.BiasGrad + ((long)pair * queries + t) * keys, keys));
        }
    }

    /// <summary>destination = (destination when <paramref name="accumulate"/>) + scale · row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, float scale, float* destination, int dim, bool accumulate)
    {
        var from = new ReadOnlySpan<float>(row, dim);
        var to = new Span<float>(destination, dim);
        if (accumulate) TensorPrimitives.MultiplyAdd(from, scale, to, to);
        else TensorPrimitives.Multiply(from, scale, to);
    }

    /// <summary>The scalar definition, one (row, head) at a time, with double-precision sums.</summary>
    public static void Reference(in AttentionProblem p, in AttentionGradients g)
    {
        int queries = p.Queries, keys = p.Keys, dim = p.HeadDim;
        var scoreGrads = new double[queries * keys];
        float* keyBase = (float*)p.K, valueBase = (float*)p.V;
        for (int r = 0; r < p.Rows; r++)
            for (int h = 0; h < p.Heads; h++)
            {
                long pair = (long)r * p.Heads + h;
                float* q = p.Q + r * p.QRow + h * p.QHead, k = keyBase + r * p.KRow + h * p.KHead, v = valueBase + r * p.VRow + h * p.VHead;
                float* outGrad = g.OutGrad + r * p.OutRow + h * dim, weights = p.Weights + r * p.WeightsRow + h * p.WeightsHead;
                float* dropout = p.Dropout is null ? null : p.Dropout + pair * queries * keys;
                for (int t = 0; t < queries; t++)
                {
                    var dp = new double[keys];
                    double centre = 0;
                    for (int j = 0; j < keys; j++)
                    {
                        double dot = 0;
                        for (int d = 0; d < dim; d++) dot += (double)outGrad[t * p.OutPosition + d] * v[j * p.VPosition + d];
                        dp[j] = dot * (dropout is null ? 1f : dropout[t * keys + j]);
                        centre += weights[t * keys + j] * dp[j];
                    }
                    for (int j = 0; j < keys; j++) scoreGrads[t * keys + j] = weights[t * keys + j] * (dp[j] - centre);
                }
                for (int j = 0; j < keys && g.VGrad is not null; j++)
                    for (int d = 0; d < dim; d++)
                    {
                        double sum = 0;
                        for (int t = 0; t < queries; t++)
                            sum += (double)weights[t * keys + j] * (dropout is null ? 1f : dropout[t * keys + j]) * outGrad[t * p.OutPosition + d];
                        float* cell = g.VGrad + r * g.VGradRow + h * g.VGradHead + j * g.VGradPosition + d;
                        *cell = (float)((g.AccumulateV ? *cell : 0f) + sum);
                    }
                for (int t = 0; t < queries && g.QGrad is not null; t++)
                    for (int d = 0; d < dim; d++)
                    {
                        double sum = 0;
                        for (int j = 0; j < keys; j++) sum += scoreGrads[t * keys + j] * k[j * p.KPosition + d];
                        float* cell = g.QGrad + r * g.QGradRow + h * g.QGradHead + t * g.QGradPosition + d;
                        *cell = (float)((g.AccumulateQ ? *cell : 0f) + p.Scale * sum);
                    }
                for (int j = 0; j < keys && g.KGrad is not null; j++)
                    for (int d = 0; d < dim; d++)
                    {
                        double sum = 0;
                        for (int t = 0; t < queries; t++) sum += scoreGrads[t * keys + j] * q[t * p.QPosition + d];
                        float* cell = g.KGrad + r * g.KGradRow + h * g.KGradHead + j * g.KGradPosition + d;
                        *cell = (float)((g.AccumulateK ? *cell : 0f) + p.Scale * sum);
                    }
                for (int i = 0; i < queries * keys && g.BiasGrad is not null; i++) g.BiasGrad[pair * queries * keys + i] = (float)scoreGrads[i];
            }
    }
}
