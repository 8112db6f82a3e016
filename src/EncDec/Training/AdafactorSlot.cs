namespace EncDec.Training;

/// <summary>
/// One parameter's Adafactor buffers. A factored slot views the parameter as (batch, rows, columns)
/// over its last two dimensions and keeps row sums (batch, rows) and column sums (batch, columns) of the
/// squared-gradient average instead of the full (batch, rows, columns) second moment.
/// </summary>
internal sealed class AdafactorSlot
{
    private readonly int _batch, _rows, _columns;
    private readonly float[]? _columnScratch;   // (batch, columns): column sums of u, then 1/√c

    private AdafactorSlot(int count, int batch, int rows, int columns, bool factored, bool firstMoment)
    {
        _batch = batch;
        _rows = rows;
        _columns = columns;
        Update = new float[count];
        FirstMoment = firstMoment ? new float[count] : null;
        if (factored)
        {
            RowAverage = new float[batch * rows];
            ColumnAverage = new float[batch * columns];
            _columnScratch = new float[batch * columns];
        }
        else
        {
            SecondMoment = new float[count];
        }
    }

    /// <summary>Scratch for the update U, one value per parameter element.</summary>
    public float[] Update { get; }

    /// <summary>m (β₁ &gt; 0 only).</summary>
    public float[]? FirstMoment { get; }

    /// <summary>Full second moment v (unfactored only).</summary>
    public float[]? SecondMoment { get; }

    /// <summary>r: (batch, rows) average of row means of g² + ε₁ (factored only).</summary>
    public float[]? RowAverage { get; }

    /// <summary>c: (batch, columns) average of column means of g² + ε₁ (factored only).</summary>
    public float[]? ColumnAverage { get; }

    /// <summary>True when the second moment is kept as row and column averages.</summary>
    public bool IsFactored => RowAverage is not null;

    /// <summary>Buffers for a parameter of <paramref name="shape"/>; factoring needs rank ≥ 2.</summary>
    public static AdafactorSlot Create(ReadOnlySpan<int> shape, bool factored, bool firstMoment)
    {
        int count = 1;
        foreach (int size in shape) count *= size;
        if (!factored) return new AdafactorSlot(count, 1, 1, count, false, firstMoment);
        int rows = shape[^2], columns = shape[^1];
        int batch = rows * columns == 0 ? 0 : count / (rows * columns);
        return new AdafactorSlot(count, batch, rows, columns, true, firstMoment);
    }

    /// <summary>The state buffers under their checkpoint names (Hugging Face's state keys).</summary>
    public IEnumerable<(string Name, float[] Values)> Buffers()
    {
        if (FirstMoment is not null) yield return ("exp_avg", FirstMoment);
        if (IsFactored)
        {
            yield return ("exp_avg_sq_row", RowAverage!);
            yield return ("exp_avg_sq_col", ColumnAverage!);
        }
        else
        {
            yield return ("exp_avg_sq", SecondMoment!);
        }
    }

    /// <summary>
    /// Folds u = g² + ε₁ (in <paramref name="update"/>) into r and c with decay <paramref name="beta2"/>, then
    /// overwrites <paramref name="update"/> with U = g / √v̂ where v̂ = r·cᵀ / mean(r), i.e.
    /// U[r, c] = g[r, c] · (r[r] / mean(r))^−½ · c[c]^−½.
    /// </summary>
    /// <param name="update">(batch, rows, columns) u on entry, U on return.</param>
    /// <param name="grad">(batch, rows, columns) the gradient g.</param>
    /// <param name="beta2">β̂₂ of this step.</param>
    public void FactoredPreconditioner(Span<float> update, ReadOnlySpan<float> grad, float beta2)
    {
        var rowAverage = RowAverage!;
        var columnAverage = ColumnAverage!;
        var columnScratch = _columnScratch!;
        for (int b = 0; b < _batch; b++)
        {
            var rowsOfBatch = rowAverage.AsSpan(b * _rows, _rows);
            var columnsOfBatch = columnAverage.AsSpan(b * _columns, _columns);
            var columnSums = columnScratch.AsSpan(b * _columns, _columns);
            columnSums.Clear();
            for (int r = 0; r < _rows; r++)
            {
                var row = update.Slice((b * _rows + r) * _columns, _columns);
                rowsOfBatch[r] = beta2 * rowsOfBatch[r] + (1f - beta2) * (TensorPrimitives.Sum(row) / _columns);
                TensorPrimitives.Add(columnSums, row, columnSums);
            }
            TensorPrimitives.Multiply(columnsOfBatch, beta2, columnsOfBatch);
            TensorPrimitives.MultiplyAdd(columnSums, (1f - beta2) / _rows, columnsOfBatch, columnsOfBatch);

            TensorPrimitives.ReciprocalSqrt(columnsOfBatch, columnSums);           // 1/√c, reusing the scratch
            double rowMean = TensorPrimitives.Sum<float>(rowsOfBatch) / (double)_rows;
            for (int r = 0; r < _rows; r++)
            {
                int start = (b * _rows + r) * _columns;
                float rowFactor = (float)(1.0 / Math.Sqrt(rowsOfBatch[r] / rowMean));
                var target = update.Slice(start, _columns);
                TensorPrimitives.Multiply(grad.Slice(start, _columns), columnSums, target);
                TensorPrimitives.Multiply(target, rowFactor, target);
            }
        }
    }
}
