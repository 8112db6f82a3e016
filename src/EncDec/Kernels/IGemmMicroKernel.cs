namespace EncDec.Kernels;

/// <summary>
/// A GEMM micro-kernel: multiplies one packed A panel by one packed B panel into an
/// <see cref="Mr"/> x <see cref="Nr"/> tile of C. Implemented by structs so that the blocked driver,
/// generic over the kernel, is compiled once per kernel with the call inlined.
/// </summary>
internal unsafe interface IGemmMicroKernel
{
    /// <summary>Rows of the register tile (height of a packed A panel).</summary>
    static abstract int Mr { get; }

    /// <summary>Columns of the register tile (width of a packed B panel).</summary>
    static abstract int Nr { get; }

    /// <summary>
    /// C(i, j) = alpha * sum_p A(i, p) * B(p, j) + beta * C(i, j) for i &lt; Mr, j &lt; Nr, p &lt; kc;
    /// beta == 0 ignores C's old contents.
    /// </summary>
    /// <param name="kc">Depth of the panels.</param>
    /// <param name="a">Packed A panel, (kc, Mr): element (i, p) at <c>a[p * Mr + i]</c>.</param>
    /// <param name="b">B panel, (kc, Nr): element (p, j) at <c>b[p * ldb + j]</c>; a packed panel
    /// (ldb = Nr, 64-byte aligned) or, when B's rows are contiguous, B itself.</param>
    /// <param name="ldb">Elements between rows of the B panel.</param>
    /// <param name="c">Tile of C, (Mr, Nr) with rows <paramref name="ldc"/> elements apart.</param>
    /// <param name="ldc">Elements between rows of C.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="beta">Scale of C's old contents; 0 ignores them.</param>
    static abstract void Run(int kc, float* a, float* b, nint ldb, float* c, nint ldc, float alpha, float beta);

    /// <summary>Most rows <see cref="RunShort"/> computes; 0 when the kernel has no short tile, and edge tiles go
    /// through the full kernel into a scratch tile.</summary>
    static virtual int ShortMr => 0;

    /// <summary>
    /// <see cref="Run"/> for the first <paramref name="rows"/> (1..<see cref="ShortMr"/>) rows of a packed A panel
    /// (still <see cref="Mr"/> values per depth step) and all <see cref="Nr"/> columns, writing only those rows of C:
    /// the last row tile of a short problem (32 rows of a decoding step per thread are 12 + 12 + 8) without
    /// computing the zero padding.
    /// </summary>
    static virtual void RunShort(int rows, int kc, float* a, float* b, nint ldb, float* c, nint ldc, float alpha, float beta) =>
        throw new NotSupportedException("this micro-kernel has no short tile");
}
