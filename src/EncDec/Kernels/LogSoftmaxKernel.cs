namespace EncDec.Kernels;

/// <summary>
/// Log-softmax along one axis of a dense tensor viewed as (outer, n, inner), laid out as in
/// <see cref="SoftmaxKernel"/>: y = (x − max) − log Σ exp(x − max). Computing in the log domain keeps
/// y finite where softmax would underflow to 0 (y = −1e4 stays −1e4, not log 0 = −∞).
/// Spans in, spans out; x and y may be the same span; no allocation.
/// </summary>
internal static class LogSoftmaxKernel
{
    /// <summary>y = x − max − log Σ exp(x − max) along the axis.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int outer, int n, int inner, Span<float> scratch)
    {
        int block = n * inner;
        Span<float> buffer = stackalloc float[SoftmaxKernel.RowChunk];
        for (int o = 0; o < outer; o++)
        {
            var xs = x.Slice(o * block, block);
            var ys = y.Slice(o * block, block);
            if (inner == 1) Row(xs, ys, buffer);
            else Columns(xs, ys, n, inner, scratch);
        }
    }

    /// <summary>dx += dy − softmax ⊙ Σ dy along the axis, with softmax = exp(y) (accumulates).</summary>
    /// <remarks>∂yᵢ/∂xⱼ = δᵢⱼ − softmaxⱼ, so dxⱼ = Σᵢ dyᵢ(δᵢⱼ − softmaxⱼ) = dyⱼ − softmaxⱼ·Σᵢ dyᵢ.</remarks>
    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int outer, int n, int inner, Span<float> scratch)
    {
        int block = n * inner;
        Span<float> buffer = stackalloc float[SoftmaxKernel.RowChunk];
        for (int o = 0; o < outer; o++)
        {
            var ys = y.Slice(o * block, block);
            var dys = dy.Slice(o * block, block);
            var dxs = dx.Slice(o * block, block);
            if (inner == 1) RowBackward(ys, dys, dxs, buffer);
            else ColumnsBackward(ys, dys, dxs, n, inner, scratch);
        }
    }

    private static void RowBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, Span<float> buffer)
    {
        float total = TensorPrimitives.Sum(dy);
        for (int start = 0; start < y.Length; start += buffer.Length)
        {
            int count = Math.Min(buffer.Length, y.Length - start);
            var softmax = buffer[..count];
            var target = dx.Slice(start, count);
            UnaryKernel.Apply<ExpOperator>(y.Slice(start, count), softmax);
            TensorPrimitives.MultiplyAdd(softmax, -total, target, target);
            TensorPrimitives.Add(target, dy.Slice(start, count), target);
        }
    }

    private static void ColumnsBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int n, int inner, Span<float> scratch)
    {
        var total = scratch[..inner];                     // Σ over the axis of dy, per column
        var softmax = scratch.Slice(inner, inner);
        total.Clear();
        for (int a = 0; a < n; a++) TensorPrimitives.Add(total, dy.Slice(a * inner, inner), total);
        for (int a = 0; a < n; a++)
        {
            var target = dx.Slice(a * inner, inner);
            UnaryKernel.Apply<ExpOperator>(y.Slice(a * inner, inner), softmax);
            TensorPrimitives.Multiply(softmax, total, softmax);
            TensorPrimitives.Add(target, dy.Slice(a * inner, inner), target);
            TensorPrimitives.Subtract(target, softmax, target);
        }
    }

    private static void Row(ReadOnlySpan<float> x, Span<float> y, Span<float> buffer)
    {
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        float sum = 0f;
        for (int start = 0; start < y.Length; start += buffer.Length)
        {
            int count = Math.Min(buffer.Length, y.Length - start);
            UnaryKernel.Apply<ExpOperator>(y.Slice(start, count), buffer[..count]);
            sum += TensorPrimitives.Sum(buffer[..count]);
        }
        TensorPrimitives.Subtract(y, MathF.Log(sum), y);
    }

    private static void Columns(ReadOnlySpan<float> x, Span<float> y, int n, int inner, Span<float> scratch)
    {
        var max = scratch[..inner];
        var sum = scratch.Slice(inner, inner);
        SoftmaxKernel.ColumnMax(x, n, inner, max);
        for (int a = 0; a < n; a++) TensorPrimitives.Subtract(x.Slice(a * inner, inner), max, y.Slice(a * inner, inner));
        sum.Clear();
        // The exponentials go through max's storage, which is no longer needed once y holds x − max.
        for (int a = 0; a < n; a++)
        {
            UnaryKernel.Apply<ExpOperator>(y.Slice(a * inner, inner), max);
            TensorPrimitives.Add(sum, max, sum);
        }
        TensorPrimitives.Log(sum, sum);
        for (int a = 0; a < n; a++) TensorPrimitives.Subtract(y.Slice(a * inner, inner), sum, y.Slice(a * inner, inner));
    }
}
