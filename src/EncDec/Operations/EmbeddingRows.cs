using EncDec.Kernels;

namespace EncDec.Operations;

/// <summary>
/// The two loops of <see cref="EmbeddingOp"/> spread over the kernel threads when they are long: the gather splits the
/// output rows, and the scatter-add splits the columns, so that a token occurring twice never has its row updated by
/// two threads at once and each element receives its additions in token order, as on one thread. One reusable
/// instance per calling thread.
/// </summary>
internal sealed unsafe class EmbeddingRows : IParallelWork
{
    [ThreadStatic] private static EmbeddingRows? t_current;

    private float* _table, _rows;
    private int* _tokens;
    private int _count, _dim;
    private bool _scatter;

    /// <summary>rows[i, :] = table[tokens[i], :].</summary>
    /// <param name="table">(vocab, dim), ids already checked against vocab.</param>
    /// <param name="tokens">(count) row indices.</param>
    /// <param name="rows">(count, dim) output.</param>
    /// <param name="dim">Columns of the table and of the rows.</param>
    public static void Gather(ReadOnlySpan<float> table, ReadOnlySpan<int> tokens, Span<float> rows, int dim) =>
        Run(table, tokens, rows, dim, scatter: false);

    /// <summary>table[tokens[i], :] += rows[i, :] for every i, in order.</summary>
    public static void ScatterAdd(Span<float> table, ReadOnlySpan<int> tokens, ReadOnlySpan<float> rows, int dim) =>
        Run(table, tokens, rows, dim, scatter: true);

    private static void Run(ReadOnlySpan<float> table, ReadOnlySpan<int> tokens, ReadOnlySpan<float> rows, int dim, bool scatter)
    {
        int columnBlocks = (dim + ColumnBlock - 1) / ColumnBlock;
        int units = scatter ? columnBlocks : tokens.Length;
        int threads = ElementwiseSplit.Worthwhile(tokens.Length * dim) ? 0 : 1;
        fixed (float* pTable = table, pRows = rows)
        fixed (int* pTokens = tokens)
        {
            var work = t_current ??= new EmbeddingRows();
            work._table = pTable;
            work._rows = pRows;
            work._tokens = pTokens;
            (work._count, work._dim, work._scatter) = (tokens.Length, dim, scatter);
            try
            {
                ParallelRunner.For(units, work, threads);
            }
            finally
            {
                work._table = work._rows = null;
                work._tokens = null;
            }
        }
    }

    /// <summary>Columns per scatter unit: whole cache lines, so threads never write the same line.</summary>
    private const int ColumnBlock = 64;

    /// <inheritdoc />
    public void Execute(int begin, int end)
    {
        if (!_scatter)
        {
            for (int i = begin; i < end; i++)
                new ReadOnlySpan<float>(_table + (nint)_tokens[i] * _dim, _dim).CopyTo(new Span<float>(_rows + (nint)i * _dim, _dim));
            return;
        }
        int first = begin * ColumnBlock, width = Math.Min(_dim, end * ColumnBlock) - first;
        for (int i = 0; i < _count; i++)
        {
            var row = new Span<float>(_table + (nint)_tokens[i] * _dim + first, width);
            TensorPrimitives.Add(row, new ReadOnlySpan<float>(_rows + (nint)i * _dim + first, width), row);
        }
    }
}
