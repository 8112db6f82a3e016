namespace EncDec.Kernels;

/// <summary>
/// Direct (unpacked) paths for matrix-vector shapes, where packing would cost as much as the
/// multiply itself:
/// <list type="bullet">
/// <item>m &lt;= <see cref="SkinnyRows"/> (decoding one token), B rows contiguous: for each
/// 256-column chunk, C(i, chunk) = beta * C + sum_p (alpha * A(i, p)) * B(p, chunk), one axpy per
/// (p, i) while the B chunk and the m C chunks stay in L1, so B is read from memory once;</item>
/// <item>m = 1, B columns and A contiguous along k: C(0, j) = alpha * (a . B(:, j)) + beta * C(0, j);</item>
/// <item>n = 1, A rows and B contiguous along k: C(i, 0) = alpha * (A(i, :) . b) + beta * C(i, 0).</item>
/// </list>
/// Large ones split the output between threads. Everything else goes through the packed path.
/// </summary>
internal sealed unsafe class GemmVector : IParallelWork
{
    private const int Chunk = 256;

    [ThreadStatic] private static GemmVector? t_instance;

    private GemmProblem _problem;
    private Shape _shape;
    private SimdLevel _level;
    private int _chunks, _units, _tasks;

    private enum Shape { Rows, RowDot, ColumnDot }

    /// <summary>
    /// Largest m that takes the axpy path. Measured on Zen 5 (n, k in 64..8000): at m = 2..10 the
    /// packed driver, which then reads B in place, is 1.2x to 4x faster; at m = 1 the axpy path is,
    /// by up to 2.5x.
    /// </summary>
    private const int SkinnyRows = 1;

    /// <summary>Runs <paramref name="problem"/> if it has a direct shape; false leaves it untouched.</summary>
    public static bool TryRun(in GemmProblem problem, SimdLevel level)
    {
        var p = problem;
        Shape shape;
        if (p.M <= SkinnyRows && p.BStrides.Col == 1) shape = Shape.Rows;
        else if (p.M == 1 && p.BStrides.Row == 1 && p.AStrides.Col == 1) shape = Shape.RowDot;
        else if (p.N == 1 && p.AStrides.Col == 1 && p.BStrides.Row == 1) shape = Shape.ColumnDot;
        else return false;
        var work = t_instance ??= new GemmVector();
        work._problem = problem;
        work._shape = shape;
        work._level = level;
        work._chunks = (p.N + Chunk - 1) / Chunk;
        work._units = shape == Shape.ColumnDot ? p.M : work._chunks;
        int threads = p.Flops < Gemm.ParallelFlops ? 1 : Parallelism.ThreadCount;
        work._tasks = Math.Max(1, Math.Min(threads, work._units));
        try
        {
            ParallelRunner.For(work._tasks, work, work._tasks);
        }
        finally
        {
            work._problem = default;
        }
        return true;
    }

    /// <inheritdoc />
    public void Execute(int begin, int end)
    {
        for (int task = begin; task < end; task++)
        {
            int first = (int)((long)_units * task / _tasks), last = (int)((long)_units * (task + 1) / _tasks);
            for (int b = 0; b < _problem.Batch; b++)
            {
                if (_shape == Shape.ColumnDot)
                {
                    ColumnDots(b, first, last);
                    continue;
                }
                for (int chunk = first; chunk < last; chunk++)
                {
                    int j = chunk * Chunk;
                    if (_shape == Shape.RowDot) RowDots(b, j, Math.Min(Chunk, _problem.N - j));
                    else RowsChunk(b, j, Math.Min(Chunk, _problem.N - j));
                }
            }
        }
    }

    /// <summary>Columns [j, j + width) of every C row of matrix <paramref name="batch"/>, by axpys.</summary>
    private void RowsChunk(int batch, int j, int width)
    {
        ref readonly GemmProblem p = ref _problem;
        float* a = p.A + batch * p.AStrides.Batch;
        float* b = p.B + batch * p.BStrides.Batch + j;
        float* c = p.C + batch * p.CStrides.Batch + j;
        for (int i = 0; i < p.M; i++)
        {
            float* row = c + (nint)i * p.CStrides.Row;
            if (p.Beta == 0f) new Span<float>(row, width).Clear();
            else if (p.Beta != 1f) for (int q = 0; q < width; q++) row[q] *= p.Beta;
        }
        for (int k = 0; k < p.K; k++)
        {
            float* bRow = b + (nint)k * p.BStrides.Row;
            for (int i = 0; i < p.M; i++)
            {
                float scale = p.Alpha * a[(nint)i * p.AStrides.Row + (nint)k * p.AStrides.Col];
                GemmVectorKernels.Axpy(scale, bRow, c + (nint)i * p.CStrides.Row, width, _level);
            }
        }
    }

    /// <summary>Columns [j, j + width) of C row 0 of matrix <paramref name="batch"/>, by dot products.</summary>
    private void RowDots(int batch, int j, int width)
    {
        ref readonly GemmProblem p = ref _problem;
        float* a = p.A + batch * p.AStrides.Batch;
        float* b = p.B + batch * p.BStrides.Batch;
        float* c = p.C + batch * p.CStrides.Batch + j;
        for (int q = 0; q < width; q++)
            Store(c + q, GemmVectorKernels.Dot(a, b + (nint)(j + q) * p.BStrides.Col, p.K, _level));
    }

    /// <summary>Rows [i0, i1) of C column 0 of matrix <paramref name="batch"/>.</summary>
    private void ColumnDots(int batch, int i0, int i1)
    {
        ref readonly GemmProblem p = ref _problem;
        float* a = p.A + batch * p.AStrides.Batch;
        float* b = p.B + batch * p.BStrides.Batch;
        float* c = p.C + batch * p.CStrides.Batch;
        for (int i = i0; i < i1; i++)
            Store(c + (nint)i * p.CStrides.Row, GemmVectorKernels.Dot(a + (nint)i * p.AStrides.Row, b, p.K, _level));
    }

    private void Store(float* c, float dot) =>
        *c = _problem.Beta == 0f ? _problem.Alpha * dot : _problem.Alpha * dot + _problem.Beta * *c;
}
