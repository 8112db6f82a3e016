namespace EncDec.Kernels;

/// <summary>
/// Strides of a (possibly batched) matrix operand in elements: element (b, i, j) of the operand lies at
/// <c>b * Batch + i * Row + j * Col</c>. A transposed view swaps <see cref="Row"/> and <see cref="Col"/>;
/// <see cref="Batch"/> = 0 broadcasts one matrix over the whole batch.
/// </summary>
/// <param name="Batch">Elements between consecutive matrices of the batch (0 broadcasts).</param>
/// <param name="Row">Elements between consecutive rows.</param>
/// <param name="Col">Elements between consecutive columns.</param>
public readonly record struct MatrixStrides(long Batch, int Row, int Col)
{
    /// <summary>A row-major matrix whose rows are <paramref name="leadingDimension"/> elements apart.</summary>
    public static MatrixStrides RowMajor(int leadingDimension, long batch = 0) => new(batch, leadingDimension, 1);

    /// <summary>
    /// The transpose of a row-major matrix whose rows are <paramref name="leadingDimension"/> apart:
    /// element (i, j) of the view is element (j, i) of the stored matrix.
    /// </summary>
    public static MatrixStrides Transposed(int leadingDimension, long batch = 0) => new(batch, 1, leadingDimension);
}
