namespace EncDec.Kernels;

/// <summary>
/// Softmax along one axis of a dense tensor viewed as (outer, n, inner): n values are normalised for
/// every (outer, inner) pair. With inner = 1 each run of n is a contiguous row (the common last-axis
/// case); otherwise the n values of a column are inner apart and whole rows of inner are processed
/// at once. Spans in, spans out; x and y may be the same span; no allocation.
/// Stability: the maximum is subtracted first, so logits of any size give finite results, and −∞
/// entries give exactly 0 as long as their row has one finite value (a row of only −∞ gives NaN, as in PyTorch).
/// Exponentials use <see cref="ExpOperator"/>, whose exp(0) is exactly 1, so the largest entry of a
/// one-hot row gets probability 1 and log-probability 0 exactly.
/// </summary>
internal static class SoftmaxKernel
{
    /// <summary>Chunk length of the stack buffers row loops use instead of allocating.</summary>
    internal const int RowChunk = 256;

    /// <summary>Splits <paramref name="shape"/> around <paramref name="axis"/> into (outer, n, inner) element counts.</summary>
    public static (int Outer, int N, int Inner) Split(ReadOnlySpan<int> shape, int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= shape[i];
        for (int i = axis + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[axis], inner);
    }

    /// <summary>Scratch floats <see cref="Forward"/> and <see cref="Backward"/> need: none for rows, two columns' worth otherwise.</summary>
    public static int ScratchLength(int inner) => inner == 1 ? 0 : 2 * inner;

    /// <summary>y = exp(x − max) / Σ exp(x − max) along the axis. Many short rows (attention) are spread over the
    /// kernel threads; each row is computed the same way on any thread.</summary>
    public static unsafe void Forward(ReadOnlySpan<float> x, Span<float> y, int outer, int n, int inner, Span<float> scratch)
    {
        if (inner == 1 && ElementwiseSplit.Worthwhile(outer * n) && outer > 1)
        {
            fixed (float* px = x, py = y)
            {
                var rows = RowWork.Current;
                rows.Set(px, py, null, n, forward: true);
                ParallelRunner.For(outer, rows);
                rows.Set(null, null, null, 0, forward: true);
            }
            return;
        }
        int block = n * inner;
        for (int o = 0; o < outer; o++)
        {
            var xs = x.Slice(o * block, block);
            var ys = y.Slice(o * block, block);
            if (inner == 1) Row(xs, ys);
            else Columns(xs, ys, n, inner, scratch);
        }
    }

    /// <summary>dx += y ⊙ (dy − Σ dy⊙y) along the axis (accumulates).</summary>
    /// <remarks>∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ), so dxⱼ = Σᵢ dyᵢ yᵢ(δᵢⱼ − yⱼ) = yⱼ(dyⱼ − Σᵢ dyᵢyᵢ).</remarks>
    public static unsafe void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int outer, int n, int inner, Span<float> scratch)
    {
        if (inner == 1 && ElementwiseSplit.Worthwhile(outer * n) && outer > 1)
        {
            fixed (float* py = y, pdy = dy, pdx = dx)
            {
                var rows = RowWork.Current;
                rows.Set(py, pdy, pdx, n, forward: false);
                ParallelRunner.For(outer, rows);
                rows.Set(null, null, null, 0, forward: false);
            }
            return;
        }
        int block = n * inner;
        Span<float> buffer = stackalloc float[RowChunk];
        for (int o = 0; o < outer; o++)
        {
            var ys = y.Slice(o * block, block);
            var dys = dy.Slice(o * block, block);
            var dxs = dx.Slice(o * block, block);
            if (inner == 1) AccumulateProductOfDifference(ys, dys, TensorPrimitives.Dot(dys, ys), dxs, buffer);
            else ColumnsBackward(ys, dys, dxs, n, inner, scratch);
        }
    }

    /// <summary>One contiguous row; x and y may be the same span.</summary>
    internal static void Row(ReadOnlySpan<float> x, Span<float> y)
    {
        // A scalar maximum for short rows (attention over a sentence): the same value as TensorPrimitives.Max
        // (NaN wins, +0 above −0) without its per-call cost.
        float max = x.Length is > 0 and < 64 ? ScalarMax(x) : TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        UnaryKernel.Apply<ExpOperator>(y, y);
        TensorPrimitives.Divide(y, TensorPrimitives.Sum(y), y);
    }

    private static void Columns(ReadOnlySpan<float> x, Span<float> y, int n, int inner, Span<float> scratch)
    {
        var max = scratch[..inner];
        var sum = scratch.Slice(inner, inner);
        ColumnMax(x, n, inner, max);
        sum.Clear();
        for (int a = 0; a < n; a++)
        {
            var row = y.Slice(a * inner, inner);
            TensorPrimitives.Subtract(x.Slice(a * inner, inner), max, row);
            UnaryKernel.Apply<ExpOperator>(row, row);
            TensorPrimitives.Add(sum, row, sum);
        }
        for (int a = 0; a < n; a++) TensorPrimitives.Divide(y.Slice(a * inner, inner), sum, y.Slice(a * inner, inner));
    }

    /// <summary>max[j] = the largest of the n values of column j (NaN if any is NaN).</summary>
    internal static void ColumnMax(ReadOnlySpan<float> x, int n, int inner, Span<float> max)
    {
        x[..inner].CopyTo(max);
        for (int a = 1; a < n; a++) TensorPrimitives.Max(max, x.Slice(a * inner, inner), max);
    }

    private static void ColumnsBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int n, int inner, Span<float> scratch)
    {
        var dot = scratch[..inner];                       // Σ over the axis of dy⊙y, per column
        var difference = scratch.Slice(inner, inner);
        dot.Clear();
        for (int a = 0; a < n; a++) TensorPrimitives.MultiplyAdd(dy.Slice(a * inner, inner), y.Slice(a * inner, inner), dot, dot);
        for (int a = 0; a < n; a++)
        {
            var target = dx.Slice(a * inner, inner);
            TensorPrimitives.Subtract(dy.Slice(a * inner, inner), dot, difference);
            TensorPrimitives.MultiplyAdd(y.Slice(a * inner, inner), difference, target, target);
        }
    }

    // dx += y ⊙ (dy − s), streamed through a stack buffer so no temporary is allocated.
    private static void AccumulateProductOfDifference(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, float s, Span<float> dx, Span<float> buffer)
    {
        for (int start = 0; start < y.Length; start += buffer.Length)
        {
            int count = Math.Min(buffer.Length, y.Length - start);
            var difference = buffer[..count];
            var target = dx.Slice(start, count);
            TensorPrimitives.Subtract(dy.Slice(start, count), s, difference);
            TensorPrimitives.MultiplyAdd(y.Slice(start, count), difference, target, target);
        }
    }

    private static float ScalarMax(ReadOnlySpan<float> x)
    {
        float max = x[0];
        for (int i = 1; i < x.Length; i++) max = MathF.Max(max, x[i]);
        return max;
    }

    /// <summary>Rows [begin, end) of a last-axis softmax or its backward, over pinned operands.</summary>
    private sealed unsafe class RowWork : IParallelWork
    {
        [ThreadStatic] private static RowWork? t_current;
        private float* _a, _b, _c;
        private int _n;
        private bool _forward;

        public static RowWork Current => t_current ??= new RowWork();

        /// <summary>Forward: a = x, b = y. Backward: a = y, b = dy, c = dx.</summary>
        public void Set(float* a, float* b, float* c, int n, bool forward)
        {
            _a = a;
            _b = b;
            _c = c;
            (_n, _forward) = (n, forward);
        }

        public void Execute(int begin, int end)
        {
            Span<float> buffer = stackalloc float[RowChunk];
            for (int row = begin; row < end; row++)
            {
                long at = (long)row * _n;
                if (_forward)
                {
                    Row(new ReadOnlySpan<float>(_a + at, _n), new Span<float>(_b + at, _n));
                    continue;
                }
                var y = new ReadOnlySpan<float>(_a + at, _n);
                var dy = new ReadOnlySpan<float>(_b + at, _n);
                AccumulateProductOfDifference(y, dy, TensorPrimitives.Dot(dy, y), new Span<float>(_c + at, _n), buffer);
            }
        }
    }
}
