using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EncDec.Kernels;

/// <summary>
/// The 512-bit GEMM micro-kernel: a 12 x 32 tile of C held in 24 vector accumulators,
/// updated by one rank-1 FMA step per k (broadcast of A(i,p) times 2 vector(s) of B(p,:)).
/// </summary>
/// <remarks>
/// The 512-bit, 256-bit (12 x 16) and narrow 256-bit (6 x 16) kernels are written out separately on
/// purpose: the accumulators must be named locals for RyuJIT to keep all of them in registers (an
/// array or a generic over the vector type spills), and each tile shape fits its own register file.
/// </remarks>
internal readonly unsafe struct GemmMicroKernel512 : IGemmMicroKernel
{
    /// <inheritdoc />
    public static int Mr => 12;

    /// <inheritdoc />
    public static int Nr => 32;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(int kc, float* a, float* b, nint ldb, float* c, nint ldc, float alpha, float beta) =>
        Tile<TwelveRows>(12, kc, a, b, ldb, c, ldc, alpha, beta);

    /// <inheritdoc />
    public static int ShortMr => 8;

    /// <summary>An 8 x 32 tile in 16 accumulators (two FMAs in flight per pipe still hide their latency), of which the
    /// first <paramref name="rows"/> are stored: 8 of the 12 rows' work for a tile of up to 8 rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void RunShort(int rows, int kc, float* a, float* b, nint ldb, float* c, nint ldc, float alpha, float beta) =>
        Tile<EightRows>(rows, kc, a, b, ldb, c, ldc, alpha, beta);

    /// <summary>
    /// The first <typeparamref name="TRows"/>.Count rows (12 or 8) of the tile from a panel packed for 12, of which the
    /// first <paramref name="rows"/> are stored. The row count is a type so that the JIT compiles each as its own
    /// method with the rows it lacks removed, and the accumulators stay named locals in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TRows>(int rows, int kc, float* a, float* b, nint ldb, float* c, nint ldc, float alpha, float beta)
        where TRows : struct, ITileRows
    {
        bool twelve = TRows.Count == 12;
        Vector512<float> c0a = default, c0b = default;
        Vector512<float> c1a = default, c1b = default;
        Vector512<float> c2a = default, c2b = default;
        Vector512<float> c3a = default, c3b = default;
        Vector512<float> c4a = default, c4b = default;
        Vector512<float> c5a = default, c5b = default;
        Vector512<float> c6a = default, c6b = default;
        Vector512<float> c7a = default, c7b = default;
        Vector512<float> c8a = default, c8b = default;
        Vector512<float> c9a = default, c9b = default;
        Vector512<float> c10a = default, c10b = default;
        Vector512<float> c11a = default, c11b = default;
        PrefetchTile(c, ldc, rows);
        // The same depth row of the next panel (packed panels follow each other; read in place, it is the next 32
        // columns) goes to L2 while this panel runs, so that weights streamed from memory arrive before the next
        // panel's first tile needs them: on one decoding step's 64 x 8000 x 256 after a cache flush, 1.31-1.56 ms
        // became 0.76 ms on 2 threads. Later tiles of the same panel repeat requests that hit, which costs nothing
        // measurable on training's shapes.
        nint nextPanel = ldb == 32 ? kc * ldb : 32;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Sse.Prefetch0(b + PrefetchDistance * ldb);
            Sse.Prefetch0(b + PrefetchDistance * ldb + 16);
            Sse.Prefetch1(b + nextPanel);
            Sse.Prefetch1(b + nextPanel + 16);
            Vector512<float> ar = Vector512.Create(a[0]); c0a = Vector512.FusedMultiplyAdd(ar, b0, c0a); c0b = Vector512.FusedMultiplyAdd(ar, b1, c0b);
            ar = Vector512.Create(a[1]); c1a = Vector512.FusedMultiplyAdd(ar, b0, c1a); c1b = Vector512.FusedMultiplyAdd(ar, b1, c1b);
            ar = Vector512.Create(a[2]); c2a = Vector512.FusedMultiplyAdd(ar, b0, c2a); c2b = Vector512.FusedMultiplyAdd(ar, b1, c2b);
            ar = Vector512.Create(a[3]); c3a = Vector512.FusedMultiplyAdd(ar, b0, c3a); c3b = Vector512.FusedMultiplyAdd(ar, b1, c3b);
            ar = Vector512.Create(a[4]); c4a = Vector512.FusedMultiplyAdd(ar, b0, c4a); c4b = Vector512.FusedMultiplyAdd(ar, b1, c4b);
            ar = Vector512.Create(a[5]); c5a = Vector512.FusedMultiplyAdd(ar, b0, c5a); c5b = Vector512.FusedMultiplyAdd(ar, b1, c5b);
            ar = Vector512.Create(a[6]); c6a = Vector512.FusedMultiplyAdd(ar, b0, c6a); c6b = Vector512.FusedMultiplyAdd(ar, b1, c6b);
            ar = Vector512.Create(a[7]); c7a = Vector512.FusedMultiplyAdd(ar, b0, c7a); c7b = Vector512.FusedMultiplyAdd(ar, b1, c7b);
            if (twelve)
            {
                ar = Vector512.Create(a[8]); c8a = Vector512.FusedMultiplyAdd(ar, b0, c8a); c8b = Vector512.FusedMultiplyAdd(ar, b1, c8b);
                ar = Vector512.Create(a[9]); c9a = Vector512.FusedMultiplyAdd(ar, b0, c9a); c9b = Vector512.FusedMultiplyAdd(ar, b1, c9b);
                ar = Vector512.Create(a[10]); c10a = Vector512.FusedMultiplyAdd(ar, b0, c10a); c10b = Vector512.FusedMultiplyAdd(ar, b1, c10b);
                ar = Vector512.Create(a[11]); c11a = Vector512.FusedMultiplyAdd(ar, b0, c11a); c11b = Vector512.FusedMultiplyAdd(ar, b1, c11b);
            }
            a += 12;   // panels are packed for 12 rows, also for the 8-row tile
            b += ldb;
        }
        Vector512<float> va = Vector512.Create(alpha), vb = Vector512.Create(beta);
        bool keep = beta != 0f;
        Store(c, va, vb, keep, c0a, c0b);
        if (rows > 1) Store(c + 1 * ldc, va, vb, keep, c1a, c1b);
        if (rows > 2) Store(c + 2 * ldc, va, vb, keep, c2a, c2b);
        if (rows > 3) Store(c + 3 * ldc, va, vb, keep, c3a, c3b);
        if (rows > 4) Store(c + 4 * ldc, va, vb, keep, c4a, c4b);
        if (rows > 5) Store(c + 5 * ldc, va, vb, keep, c5a, c5b);
        if (rows > 6) Store(c + 6 * ldc, va, vb, keep, c6a, c6b);
        if (rows > 7) Store(c + 7 * ldc, va, vb, keep, c7a, c7b);
        if (!twelve) return;
        Store(c + 8 * ldc, va, vb, keep, c8a, c8b);
        Store(c + 9 * ldc, va, vb, keep, c9a, c9b);
        Store(c + 10 * ldc, va, vb, keep, c10a, c10b);
        Store(c + 11 * ldc, va, vb, keep, c11a, c11b);
    }

    /// <summary>Rows of a <see cref="Tile{TRows}"/>, as a type so that each count compiles to its own kernel.</summary>
    private interface ITileRows
    {
        static abstract int Count { get; }
    }

    private readonly struct TwelveRows : ITileRows
    {
        public static int Count => 12;
    }

    private readonly struct EightRows : ITileRows
    {
        public static int Count => 8;
    }

    /// <summary>Depth steps ahead at which B is requested: panels are consecutive in memory, so the first row block
    /// of a panel also fetches the start of the next one, which the hardware prefetcher reaches too late when B comes
    /// from beyond L2 (a decoding step's weights).</summary>
    private const int PrefetchDistance = 16;

    /// <summary>Starts loading the first <paramref name="rows"/> rows of the C tile into L1 so that the final update
    /// does not wait on memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(float* c, nint ldc, int rows)
    {
        for (int r = 0; r < rows; r++)
        {
            Sse.Prefetch0(c + r * ldc);
            Sse.Prefetch0(c + r * ldc + 16);
        }
    }

    /// <summary><see cref="Update"/> when C's old contents are kept, else <see cref="Put"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, Vector512<float> alpha, Vector512<float> beta, bool keep, Vector512<float> x0, Vector512<float> x1)
    {
        if (keep) Update(c, alpha, beta, x0, x1);
        else Put(c, alpha, x0, x1);
    }

    /// <summary>c[0..Nr) = alpha * x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* c, Vector512<float> alpha, Vector512<float> x0, Vector512<float> x1)
    {
        (x0 * alpha).Store(c);
        (x1 * alpha).Store(c + 16);
    }

    /// <summary>c[0..Nr) = alpha * x + beta * c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector512<float> alpha, Vector512<float> beta, Vector512<float> x0, Vector512<float> x1)
    {
        Vector512.FusedMultiplyAdd(x0, alpha, Vector512.Load(c) * beta).Store(c);
        Vector512.FusedMultiplyAdd(x1, alpha, Vector512.Load(c + 16) * beta).Store(c + 16);
    }
}
