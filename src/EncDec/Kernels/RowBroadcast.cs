namespace EncDec.Kernels;

/// <summary>
/// The two row-broadcast loops of a layer with a bias, split across the kernel threads when large (a (1920, 1024)
/// feed-forward output is 8 MB, streamed once per step in each direction):
/// <see cref="Fill"/> writes the bias into every row of an output before a GEMM adds the product (beta = 1), and
/// <see cref="SumRows"/> adds every row of a gradient into the bias's gradient. Each output element is written by one
/// thread, and the rows are summed in order, so results do not depend on the thread count.
/// </summary>
internal static unsafe class RowBroadcast
{
    /// <summary>output (rows, n) = <paramref name="row"/> (n) on every row.</summary>
    public static void Fill(ReadOnlySpan<float> row, Span<float> output)
    {
        int n = row.Length;
        if (!WholeRows("Fill", output.Length, n)) return;
        fixed (float* pRow = row, pOutput = output)
        {
            var body = t_fill ??= new FillBody();
            body.Row = pRow;
            body.Output = pOutput;
            body.N = n;
            if (ElementwiseSplit.Worthwhile(output.Length)) ElementwiseSplit.Run(body, output.Length);
            else body.Run(0, output.Length);
            body.Row = body.Output = null;
        }
    }

    /// <summary>sum (n) += scale · Σ over rows of <paramref name="rows"/> (rows, n), rows added in order; threads take
    /// column ranges.</summary>
    public static void SumRows(ReadOnlySpan<float> rows, Span<float> sum, float scale)
    {
        int n = sum.Length;
        if (!WholeRows("SumRows", rows.Length, n)) return;
        fixed (float* pRows = rows, pSum = sum)
        {
            var body = t_sum ??= new SumBody();
            body.Rows = pRows;
            body.Sum = pSum;
            (body.N, body.Count, body.Scale) = (n, rows.Length / n, scale);
            if (ElementwiseSplit.Worthwhile(rows.Length) && n >= 128) ElementwiseSplit.Run(body, n);
            else body.Run(0, n);
            body.Rows = body.Sum = null;
        }
    }

    /// <summary>False when there are no rows; throws when <paramref name="floats"/> are not whole rows of n.</summary>
    private static bool WholeRows(string operation, int floats, int n)
    {
        if (floats == 0) return false;
        if (n == 0 || floats % n != 0)
            throw new ArgumentException($"RowBroadcast.{operation}: {floats} floats are not whole rows of {n}");
        return true;
    }

    [ThreadStatic] private static FillBody? t_fill;
    [ThreadStatic] private static SumBody? t_sum;

    private sealed class FillBody : ElementwiseSplit.IBody
    {
        public float* Row, Output;
        public int N;

        public void Run(int start, int length)
        {
            for (int i = start, end = start + length; i < end;)
            {
                int column = i % N, count = Math.Min(N - column, end - i);
                new ReadOnlySpan<float>(Row + column, count).CopyTo(new Span<float>(Output + i, count));
                i += count;
            }
        }
    }

    private sealed class SumBody : ElementwiseSplit.IBody
    {
        public float* Rows, Sum;
        public int N, Count;
        public float Scale;

        /// <summary>Columns [start, start + length).</summary>
        public void Run(int start, int length)
        {
            var target = new Span<float>(Sum + start, length);
            for (int r = 0; r < Count; r++)
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(Rows + (long)r * N + start, length), Scale, target, target);
        }
    }
}
