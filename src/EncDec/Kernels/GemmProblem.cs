namespace EncDec.Kernels;

/// <summary>
/// A validated GEMM call with its operands pinned: C_b = alpha * A_b * B_b + beta * C_b for
/// b &lt; <see cref="Batch"/>. Lives only for the duration of one <see cref="Gemm"/> call.
/// </summary>
internal unsafe struct GemmProblem
{
    /// <summary>Matrices in the batch.</summary>
    public int Batch;
    /// <summary>Rows of A and C.</summary>
    public int M;
    /// <summary>Columns of B and C.</summary>
    public int N;
    /// <summary>Columns of A, rows of B.</summary>
    public int K;
    /// <summary>Scale of the product.</summary>
    public float Alpha;
    /// <summary>Scale of C's old contents (0: ignored).</summary>
    public float Beta;
    /// <summary>A: (batch, m, k) through <see cref="AStrides"/>.</summary>
    public float* A;
    /// <summary>B: (batch, k, n) through <see cref="BStrides"/>.</summary>
    public float* B;
    /// <summary>C: (batch, m, n) through <see cref="CStrides"/> (Col == 1).</summary>
    public float* C;
    /// <summary>Strides of A.</summary>
    public MatrixStrides AStrides;
    /// <summary>Strides of B.</summary>
    public MatrixStrides BStrides;
    /// <summary>Strides of C.</summary>
    public MatrixStrides CStrides;

    /// <summary>Multiply-add count, 2 m n k per matrix.</summary>
    public readonly double Flops => 2.0 * Batch * M * N * K;
}
