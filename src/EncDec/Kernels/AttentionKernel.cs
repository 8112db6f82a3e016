using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EncDec.Kernels;

/// <summary>
/// Inference attention over projected keys and values (see <see cref="AttentionProblem"/> for the layout):
/// per row, head and query, scores = (q · scale) · kⱼ + bias, masked keys set to
/// <see cref="Nn.MultiHeadAttention.MaskValue"/>, softmax, out = Σⱼ weightⱼ vⱼ. The same arithmetic as
/// <see cref="Nn.MultiHeadAttention.Attend"/> (which scales q before the dot product too), without
/// materialising permuted copies: (row, head) pairs are spread over the threads, and a pair's keys and values
/// stay in L1 while its queries run. <see cref="Reference"/> is the scalar definition it is tested against.
/// </summary>
internal sealed unsafe class AttentionKernel : IParallelWork
{
    [ThreadStatic] private static AttentionKernel? t_current;
    [ThreadStatic] private static float[]? t_scratch;

    private AttentionProblem _problem;
    private SimdLevel _level;

    /// <summary>Runs <paramref name="problem"/> on up to <see cref="Parallelism.ThreadCount"/> threads.</summary>
    public static void Run(in AttentionProblem problem)
    {
        if (problem.Rows == 0 || problem.Heads == 0 || problem.Queries == 0) return;
        if (problem.Format != KeyValueFormat.Float32 && !problem.KeysTransposed)
            throw new ArgumentException($"AttentionKernel: {problem.Format} keys must be stored transposed (by depth)");
        var work = t_current ??= new AttentionKernel();
        work._problem = problem;
        work._level = SimdPath.Current;
        double flops = 4.0 * problem.Rows * problem.Heads * problem.Queries * problem.Keys * problem.HeadDim;
        int pairs = problem.Rows * problem.Heads;
        try
        {
            // Below ~100k flops a worker's wake-up costs more than it saves.
            ParallelRunner.For(pairs, work, flops < 1e5 ? 1 : 0);
        }
        finally
        {
            work._problem = default;
        }
    }

    /// <inheritdoc />
    public void Execute(int begin, int end)
    {
        if (_problem.Format == KeyValueFormat.BFloat16) Execute<BFloat16Elements>(begin, end);
        else Execute<Float32Elements>(begin, end);
    }

    /// <summary>(row, head) pairs [begin, end) with keys and values stored as <typeparamref name="TElements"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // straight to optimised code: tier 0 and OSR are slow here
    private void Execute<TElements>(int begin, int end) where TElements : IKeyValueElements
    {
        ref readonly var p = ref _problem;
        int keys = p.Keys, dim = p.HeadDim, padded = (keys + 15) & ~15;
        int width = _level == SimdLevel.Avx512 && Vector512.IsHardwareAccelerated ? 16
            : _level >= SimdLevel.Avx2 && Vector256.IsHardwareAccelerated ? 8 : 1;
        // Scores and queries for a tile of rows, then the keys transposed when they come by position.
        int floats = AttentionTiles.Rows * (padded + dim) + (p.KeysTransposed ? 0 : dim * padded);
        var scratch = t_scratch is { } s && s.Length >= floats ? s : t_scratch = new float[Math.Max(floats, 1024)];
        fixed (float* buffer = scratch)
        {
            float* scores = buffer, query = buffer + AttentionTiles.Rows * padded, transposed = query + AttentionTiles.Rows * dim;
            for (int pair = begin; pair < end; pair++)
            {
                int r = pair / p.Heads, h = pair % p.Heads;
                long source = Operands<TElements>(in p, pair, out byte* k, out byte* v);
                float* mask = p.Mask is null ? null : p.Mask + source * keys;
                long depth = p.KDepth;
                bool byDepth = p.KeysTransposed;
                if (byDepth && p.Queries == 1 && pair + 1 < end) Prefetch<TElements>(in p, pair + 1);
                // Keys stored (headDim, keys) let 16 scores grow in one register with no horizontal sums; gather
                // them so once per (row, head) when they come position by position and several queries share them.
                if (!byDepth && width > 1 && p.Queries > 1)
                {
                    Transpose((float*)k, p.KPosition, keys, dim, transposed, padded);   // float32: see Run
                    k = (byte*)transposed;
                    (depth, byDepth) = (padded, true);
                }
                if (width == 16 && p.Queries > 1 && byDepth && typeof(TElements) == typeof(Float32Elements))
                {
                    // Several queries (training, encoding): tiles of four share every load of the keys and values.
                    for (int t = 0; t < p.Queries; t += AttentionTiles.Rows)
                    {
                        int count = Math.Min(AttentionTiles.Rows, p.Queries - t);
                        for (int i = 0; i < count; i++) Scale(p.Q + r * p.QRow + (t + i) * p.QPosition + h * p.QHead, p.Scale, query + i * dim, dim, width);
                        AttentionTiles.Scores(query, dim, (float*)k, depth, dim, keys, scores, padded, count);
                        for (int i = 0; i < count; i++) Normalise(in p, scores + i * padded, pair, t + i, mask, padded, width);
                        AttentionTiles.WeightedSums(scores, padded, keys, (float*)v, p.VPosition,
                            p.Out + r * p.OutRow + t * p.OutPosition + h * dim, p.OutPosition, count, dim);
                    }
                    continue;
                }
                for (int t = 0; t < p.Queries; t++)
                {
                    float* q = p.Q + r * p.QRow + t * p.QPosition + h * p.QHead;
                    Scale(q, p.Scale, query, dim, width);
                    if (byDepth) ScoresByDepth<TElements>(query, k, depth, dim, keys, scores, width);
                    else for (int j = 0; j < keys; j++) scores[j] = GemmVectorKernels.Dot(query, (float*)k + j * p.KPosition, dim, _level);
                    Normalise(in p, scores, pair, t, mask, padded, width);
                    float* output = p.Out + r * p.OutRow + t * p.OutPosition + h * dim;
                    WeightedSum<TElements>(scores, keys, v, p.VPosition, output, dim, width);
                }
            }
        }
    }

    /// <summary>Query <paramref name="t"/> of pair <paramref name="pair"/>: bias and masks added to its scores, the softmax,
    /// the weights copied out, then the dropout factors applied.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Normalise(in AttentionProblem p, float* scores, int pair, int t, float* mask, int padded, int width)
    {
        int keys = p.Keys, r = pair / p.Heads, h = pair % p.Heads;
        float* bias = p.Bias is null ? null : p.Bias + r * p.BiasRow + ((long)h * p.Queries + t) * keys;
        int visible = p.Causal ? keys - p.Queries + t + 1 : keys;
        for (int j = 0; j < keys; j++)
        {
            if (bias is not null) scores[j] += bias[j];
            if ((mask is not null && mask[j] != 0f) || j >= visible) scores[j] = Nn.MultiHeadAttention.MaskValue;
        }
        if (width == 16) ShortSoftmax(scores, keys, padded);
        else SoftmaxKernel.Row(new ReadOnlySpan<float>(scores, keys), new Span<float>(scores, keys));
        if (p.Weights is not null)
            new Span<float>(scores, keys).CopyTo(new Span<float>(p.Weights + r * p.WeightsRow + h * p.WeightsHead + (long)t * keys, keys));
        if (p.Dropout is not null)
        {
            var kept = new ReadOnlySpan<float>(p.Dropout + ((long)pair * p.Queries + t) * keys, keys);
            TensorPrimitives.Multiply(new ReadOnlySpan<float>(scores, keys), kept, new Span<float>(scores, keys));
        }
    }

    /// <summary>Where (row, head) pair <paramref name="pair"/>'s keys and values start; returns its source row (which
    /// also selects its mask).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Operands<TElements>(in AttentionProblem p, int pair, out byte* keys, out byte* values)
        where TElements : IKeyValueElements
    {
        int r = pair / p.Heads, h = pair % p.Heads;
        long source = p.KeyRows is null ? r : p.KeyRows[r];
        keys = (byte*)p.K + (source * p.KRow + h * p.KHead) * TElements.Bytes;
        values = (byte*)p.V + (source * p.VRow + h * p.VHead) * TElements.Bytes;
        return source;
    }

    /// <summary>
    /// Asks for the keys (headDim lines of depth) and values (keys lines of headDim) of (row, head) pair
    /// <paramref name="pair"/> while this one computes: a decoding step's single query spends so little arithmetic per
    /// byte that it otherwise waits on each cache line the hardware prefetcher has not guessed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch<TElements>(in AttentionProblem p, int pair) where TElements : IKeyValueElements
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        Operands<TElements>(in p, pair, out byte* k, out byte* v);
        long keyLine = p.KDepth * TElements.Bytes, valueLine = p.VPosition * TElements.Bytes;
        int keyBytes = (p.Keys + 15) / 16 * 16 * TElements.Bytes, valueBytes = p.HeadDim * TElements.Bytes;
        for (int d = 0; d < p.HeadDim; d++)
            for (int offset = 0; offset < keyBytes; offset += 64) System.Runtime.Intrinsics.X86.Sse.Prefetch0(k + d * keyLine + offset);
        for (int j = 0; j < p.Keys; j++)
            for (int offset = 0; offset < valueBytes; offset += 64) System.Runtime.Intrinsics.X86.Sse.Prefetch0(v + j * valueLine + offset);
    }

    /// <summary>
    /// Softmax of the first <paramref name="n"/> scores with 512-bit vectors over the whole padded row (the scratch
    /// holds <paramref name="padded"/> floats): the same exponential as <see cref="SoftmaxKernel"/>, without its four
    /// library calls per row, which cost more than the arithmetic of a sentence-long row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShortSoftmax(float* scores, int n, int padded)
    {
        var lane = Vector512.Create(0f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var limit = Vector512.Create((float)n);
        var maxima = Vector512.Create(float.NegativeInfinity);
        for (int j = 0; j < padded; j += 16)
            maxima = Vector512.Max(maxima, Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Create((float)j) + lane, limit),
                Vector512.Load(scores + j), Vector512.Create(float.NegativeInfinity)));
        var halves = Vector256.Max(maxima.GetLower(), maxima.GetUpper());
        var quarters = Vector128.Max(halves.GetLower(), halves.GetUpper());
        var shift = Vector512.Create(MathF.Max(MathF.Max(quarters[0], quarters[1]), MathF.Max(quarters[2], quarters[3])));
        var sum = Vector512<float>.Zero;
        for (int j = 0; j < padded; j += 16)
        {
            var lanes = Vector512.LessThan(Vector512.Create((float)j) + lane, limit);
            var e = ExpOperator.Invoke(Vector512.Load(scores + j) - shift) & lanes.AsSingle();   // lanes past n count as 0
            e.Store(scores + j);
            sum += e;
        }
        var total = Vector512.Create(Vector512.Sum(sum));
        for (int j = 0; j < padded; j += 16) (Vector512.Load(scores + j) / total).Store(scores + j);
    }

    /// <summary>destination[d] = source[d] · scale for d below <paramref name="dim"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scale(float* source, float scale, float* destination, int dim, int width)
    {
        int d = 0;
        if (width == 16)
            for (; d + 16 <= dim; d += 16) (Vector512.Load(source + d) * scale).Store(destination + d);
        for (; d < dim; d++) destination[d] = source[d] * scale;
    }

    /// <summary>
    /// output[d] = Σⱼ weights[j] · v[j · stride + d] with one fused multiply-add per key, 64 outputs held in registers
    /// across all keys instead of loaded and stored per key (<see cref="GemmVectorKernels.Axpy"/> key by key).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void WeightedSum<TElements>(float* weights, int keys, byte* v, long stride, float* output, int dim, int width)
        where TElements : IKeyValueElements
    {
        int d = 0;
        if (width == 16)
        {
            for (; d + 64 <= dim; d += 64)
            {
                // Even and odd keys in separate accumulators: eight chains of fused multiply-adds instead of four,
                // since a sentence-long row is too short to hide their latency otherwise.
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default;
                long row = d;
                int j = 0;
                for (; j + 2 <= keys; j += 2, row += 2 * stride)
                {
                    var w = Vector512.Create(weights[j]);
                    var u = Vector512.Create(weights[j + 1]);
                    a0 = Vector512.FusedMultiplyAdd(w, TElements.Load512(v, row), a0);
                    a1 = Vector512.FusedMultiplyAdd(w, TElements.Load512(v, row + 16), a1);
                    a2 = Vector512.FusedMultiplyAdd(w, TElements.Load512(v, row + 32), a2);
                    a3 = Vector512.FusedMultiplyAdd(w, TElements.Load512(v, row + 48), a3);
                    b0 = Vector512.FusedMultiplyAdd(u, TElements.Load512(v, row + stride), b0);
                    b1 = Vector512.FusedMultiplyAdd(u, TElements.Load512(v, row + stride + 16), b1);
                    b2 = Vector512.FusedMultiplyAdd(u, TElements.Load512(v, row + stride + 32), b2);
                    b3 = Vector512.FusedMultiplyAdd(u, TElements.Load512(v, row + stride + 48), b3);
                }
                if (j < keys)
                {
                    var w = Vector512.Create(weights[j]);
                    a0 = Vector512.FusedMultiplyAdd(w, TElements.Load512(v, row), a0);
                    a1 = Vector512.FusedMultiplyAdd(w, TElements.Load512(v, row + 16), a1);
                    a2 = Vector512.FusedMultiplyAdd(w, TElements.Load512(v, row + 32), a2);
                    a3 = Vector512.FusedMultiplyAdd(w, TElements.Load512(v, row + 48), a3);
                }
                (a0 + b0).Store(output + d); (a1 + b1).Store(output + d + 16);
                (a2 + b2).Store(output + d + 32); (a3 + b3).Store(output + d + 48);
            }
            for (; d + 16 <= dim; d += 16)
            {
                var a = Vector512<float>.Zero;
                for (int j = 0; j < keys; j++) a = Vector512.FusedMultiplyAdd(Vector512.Create(weights[j]), TElements.Load512(v, j * stride + d), a);
                a.Store(output + d);
            }
        }
        else if (width == 8)
        {
            for (; d + 8 <= dim; d += 8)
            {
                var a = Vector256<float>.Zero;
                for (int j = 0; j < keys; j++) a = Vector256.FusedMultiplyAdd(Vector256.Create(weights[j]), TElements.Load256(v, j * stride + d), a);
                a.Store(output + d);
            }
        }
        for (; d < dim; d++)
        {
            float total = 0f;
            for (int j = 0; j < keys; j++) total = MathF.FusedMultiplyAdd(weights[j], TElements.Load(v, j * stride + d), total);
            output[d] = total;
        }
    }

    /// <summary>(keys, dim) rows <paramref name="stride"/> apart → (dim, padded), zero past the last key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Transpose(float* k, long stride, int keys, int dim, float* destination, int padded)
    {
        for (int j = 0; j < keys; j++)
        {
            float* row = k + j * stride;
            for (int d = 0; d < dim; d++) destination[d * padded + j] = row[d];
        }
        for (int d = 0; d < dim; d++)
            for (int j = keys; j < padded; j++) destination[d * padded + j] = 0f;
    }

    /// <summary>scores[j] = Σ_d query[d] · keys[d · depth + j] for j below <paramref name="count"/> (whole vectors are
    /// written, up to the next multiple of the width; the keys' rows must be readable that far).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ScoresByDepth<TElements>(float* query, byte* keys, long depth, int dim, int count, float* scores, int width)
        where TElements : IKeyValueElements
    {
        int j = 0;
        if (width == 16)
        {
            for (; j + 32 <= ((count + 15) & ~15); j += 32)
            {
                // Two blocks of 16 keys at once: eight independent chains over d.
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                Vector512<float> b0 = default, b1 = default, b2 = default, b3 = default;
                int d = 0;
                for (; d + 4 <= dim; d += 4)
                {
                    long k0 = d * depth + j, k1 = k0 + depth, k2 = k1 + depth, k3 = k2 + depth;
                    var q0 = Vector512.Create(query[d]);
                    var q1 = Vector512.Create(query[d + 1]);
                    var q2 = Vector512.Create(query[d + 2]);
                    var q3 = Vector512.Create(query[d + 3]);
                    a0 = Vector512.FusedMultiplyAdd(q0, TElements.Load512(keys, k0), a0);
                    b0 = Vector512.FusedMultiplyAdd(q0, TElements.Load512(keys, k0 + 16), b0);
                    a1 = Vector512.FusedMultiplyAdd(q1, TElements.Load512(keys, k1), a1);
                    b1 = Vector512.FusedMultiplyAdd(q1, TElements.Load512(keys, k1 + 16), b1);
                    a2 = Vector512.FusedMultiplyAdd(q2, TElements.Load512(keys, k2), a2);
                    b2 = Vector512.FusedMultiplyAdd(q2, TElements.Load512(keys, k2 + 16), b2);
                    a3 = Vector512.FusedMultiplyAdd(q3, TElements.Load512(keys, k3), a3);
                    b3 = Vector512.FusedMultiplyAdd(q3, TElements.Load512(keys, k3 + 16), b3);
                }
                for (; d < dim; d++)
                {
                    var q = Vector512.Create(query[d]);
                    a0 = Vector512.FusedMultiplyAdd(q, TElements.Load512(keys, d * depth + j), a0);
                    b0 = Vector512.FusedMultiplyAdd(q, TElements.Load512(keys, d * depth + j + 16), b0);
                }
                Vector512.Store(a0 + a1 + (a2 + a3), scores + j);
                Vector512.Store(b0 + b1 + (b2 + b3), scores + j + 16);
            }
            for (; j < count; j += 16)
            {
                // Four chains over d hide the FMA latency.
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                int d = 0;
                for (; d + 4 <= dim; d += 4)
                {
                    a0 = Vector512.FusedMultiplyAdd(Vector512.Create(query[d]), TElements.Load512(keys, d * depth + j), a0);
                    a1 = Vector512.FusedMultiplyAdd(Vector512.Create(query[d + 1]), TElements.Load512(keys, (d + 1) * depth + j), a1);
                    a2 = Vector512.FusedMultiplyAdd(Vector512.Create(query[d + 2]), TElements.Load512(keys, (d + 2) * depth + j), a2);
                    a3 = Vector512.FusedMultiplyAdd(Vector512.Create(query[d + 3]), TElements.Load512(keys, (d + 3) * depth + j), a3);
                }
                for (; d < dim; d++) a0 = Vector512.FusedMultiplyAdd(Vector512.Create(query[d]), TElements.Load512(keys, d * depth + j), a0);
                Vector512.Store(a0 + a1 + (a2 + a3), scores + j);
            }
            return;
        }
        if (width == 8)
        {
            for (; j < count; j += 8)
            {
                Vector256<float> a0 = default, a1 = default;
                int d = 0;
                for (; d + 2 <= dim; d += 2)
                {
                    a0 = Vector256.FusedMultiplyAdd(Vector256.Create(query[d]), TElements.Load256(keys, d * depth + j), a0);
                    a1 = Vector256.FusedMultiplyAdd(Vector256.Create(query[d + 1]), TElements.Load256(keys, (d + 1) * depth + j), a1);
                }
                for (; d < dim; d++) a0 = Vector256.FusedMultiplyAdd(Vector256.Create(query[d]), TElements.Load256(keys, d * depth + j), a0);
                Vector256.Store(a0 + a1, scores + j);
            }
            return;
        }
        for (; j < count; j++)
        {
            float total = 0f;
            for (int d = 0; d < dim; d++) total += query[d] * TElements.Load(keys, d * depth + j);
            scores[j] = total;
        }
    }

    /// <summary>The scalar definition, one (row, head, query) at a time.</summary>
    public static void Reference(in AttentionProblem p)
    {
        var scores = new float[p.Keys];
        for (int r = 0; r < p.Rows; r++)
            for (int h = 0; h < p.Heads; h++)
                for (int t = 0; t < p.Queries; t++)
                {
                    long source = p.KeyRows is null ? r : p.KeyRows[r];
                    float* q = p.Q + r * p.QRow + t * p.QPosition + h * p.QHead;
                    for (int j = 0; j < p.Keys; j++)
                    {
                        float score = 0f;
                        for (int d = 0; d < p.HeadDim; d++)
                        {
                            long at = source * p.KRow + h * p.KHead + (p.KeysTransposed ? d * p.KDepth + j : j * p.KPosition + d);
                            score += q[d] * p.Scale * p.Format.Load(p.K, at);
                        }
                        if (p.Bias is not null) score += p.Bias[r * p.BiasRow + ((long)h * p.Queries + t) * p.Keys + j];
                        bool masked = (p.Mask is not null && p.Mask[source * p.Keys + j] != 0f) || (p.Causal && j > p.Keys - p.Queries + t);
                        scores[j] = masked ? Nn.MultiHeadAttention.MaskValue : score;
                    }
                    float max = scores.Length == 0 ? 0f : scores.Max();
                    double sum = 0;
                    for (int j = 0; j < p.Keys; j++) sum += scores[j] = MathF.Exp(scores[j] - max);
                    for (int j = 0; j < p.Keys; j++) scores[j] = (float)(scores[j] / sum);
                    if (p.Weights is not null)
                        for (int j = 0; j < p.Keys; j++) p.Weights[r * p.WeightsRow + h * p.WeightsHead + (long)t * p.Keys + j] = scores[j];
                    if (p.Dropout is not null)
                        for (int j = 0; j < p.Keys; j++) scores[j] *= p.Dropout[(((long)r * p.Heads + h) * p.Queries + t) * p.Keys + j];
                    float* output = p.Out + r * p.OutRow + t * p.OutPosition + h * p.HeadDim;
                    for (int d = 0; d < p.HeadDim; d++)
                    {
                        float total = 0f;
                        for (int j = 0; j < p.Keys; j++) total += scores[j] * p.Format.Load(p.V, source * p.VRow + h * p.VHead + j * p.VPosition + d);
                        output[d] = total;
                    }
                }
    }
}
