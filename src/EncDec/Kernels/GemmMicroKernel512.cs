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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, nint ldb, float* c, nint ldc, float alpha, float beta)
    {
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
        PrefetchTile(c, ldc);
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Sse.Prefetch0(b + PrefetchDistance * ldb);
            Sse.Prefetch0(b + PrefetchDistance * ldb + 16);
            Vector512<float> ar = Vector512.Create(a[0]); c0a = Vector512.FusedMultiplyAdd(ar, b0, c0a); c0b = Vector512.FusedMultiplyAdd(ar, b1, c0b);
            ar = Vector512.Create(a[1]); c1a = Vector512.FusedMultiplyAdd(ar, b0, c1a); c1b = Vector512.FusedMultiplyAdd(ar, b1, c1b);
            ar = Vector512.Create(a[2]); c2a = Vector512.FusedMultiplyAdd(ar, b0, c2a); c2b = Vector512.FusedMultiplyAdd(ar, b1, c2b);
            ar = Vector512.Create(a[3]); c3a = Vector512.FusedMultiplyAdd(ar, b0, c3a); c3b = Vector512.FusedMultiplyAdd(ar, b1, c3b);
            ar = Vector512.Create(a[4]); c4a = Vector512.FusedMultiplyAdd(ar, b0, c4a); c4b = Vector512.FusedMultiplyAdd(ar, b1, c4b);
            ar = Vector512.Create(a[5]); c5a = Vector512.FusedMultiplyAdd(ar, b0, c5a); c5b = Vector512.FusedMultiplyAdd(ar, b1, c5b);
            ar = Vector512.Create(a[6]); c6a = Vector512.FusedMultiplyAdd(ar, b0, c6a); c6b = Vector512.FusedMultiplyAdd(ar, b1, c6b);
            ar = Vector512.Create(a[7]); c7a = Vector512.FusedMultiplyAdd(ar, b0, c7a); c7b = Vector512.FusedMultiplyAdd(ar, b1, c7b);
            ar = Vector512.Create(a[8]); c8a = Vector512.FusedMultiplyAdd(ar, b0, c8a); c8b = Vector512.FusedMultiplyAdd(ar, b1, c8b);
            ar = Vector512.Create(a[9]); c9a = Vector512.FusedMultiplyAdd(ar, b0, c9a); c9b = Vector512.FusedMultiplyAdd(ar, b1, c9b);
            ar = Vector512.Create(a[10]); c10a = Vector512.FusedMultiplyAdd(ar, b0, c10a); c10b = Vector512.FusedMultiplyAdd(ar, b1, c10b);
            ar = Vector512.Create(a[11]); c11a = Vector512.FusedMultiplyAdd(ar, b0, c11a); c11b = Vector512.FusedMultiplyAdd(ar, b1, c11b);
            a += 12;
            b += ldb;
        }
        Vector512<float> va = Vector512.Create(alpha);
        if (beta == 0f)
        {
            Put(c + 0 * ldc, va, c0a, c0b);
            Put(c + 1 * ldc, va, c1a, c1b);
            Put(c + 2 * ldc, va, c2a, c2b);
            Put(c + 3 * ldc, va, c3a, c3b);
            Put(c + 4 * ldc, va, c4a, c4b);
            Put(c + 5 * ldc, va, c5a, c5b);
            Put(c + 6 * ldc, va, c6a, c6b);
            Put(c + 7 * ldc, va, c7a, c7b);
            Put(c + 8 * ldc, va, c8a, c8b);
            Put(c + 9 * ldc, va, c9a, c9b);
            Put(c + 10 * ldc, va, c10a, c10b);
            Put(c + 11 * ldc, va, c11a, c11b);
        }
        else
        {
            Vector512<float> vb = Vector512.Create(beta);
            Update(c + 0 * ldc, va, vb, c0a, c0b);
            Update(c + 1 * ldc, va, vb, c1a, c1b);
            Update(c + 2 * ldc, va, vb, c2a, c2b);
            Update(c + 3 * ldc, va, vb, c3a, c3b);
            Update(c + 4 * ldc, va, vb, c4a, c4b);
            Update(c + 5 * ldc, va, vb, c5a, c5b);
            Update(c + 6 * ldc, va, vb, c6a, c6b);
            Update(c + 7 * ldc, va, vb, c7a, c7b);
            Update(c + 8 * ldc, va, vb, c8a, c8b);
            Update(c + 9 * ldc, va, vb, c9a, c9b);
            Update(c + 10 * ldc, va, vb, c10a, c10b);
            Update(c + 11 * ldc, va, vb, c11a, c11b);
        }
    }

    /// <inheritdoc />
    public static int ShortMr => 8;

    /// <summary>An 8 x 32 tile in 16 accumulators (two FMAs in flight per pipe still hide their latency), of which the
    /// first <paramref name="rows"/> are stored: 8 of the 12 rows' work for a tile of up to 8 rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void RunShort(int rows, int kc, float* a, float* b, nint ldb, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c0a = default, c0b = default;
        Vector512<float> c1a = default, c1b = default;
        Vector512<float> c2a = default, c2b = default;
        Vector512<float> c3a = default, c3b = default;
        Vector512<float> c4a = default, c4b = default;
        Vector512<float> c5a = default, c5b = default;
        Vector512<float> c6a = default, c6b = default;
        Vector512<float> c7a = default, c7b = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            Sse.Prefetch0(b + PrefetchDistance * ldb);
            Sse.Prefetch0(b + PrefetchDistance * ldb + 16);
            Vector512<float> ar = Vector512.Create(a[0]); c0a = Vector512.FusedMultiplyAdd(ar, b0, c0a); c0b = Vector512.FusedMultiplyAdd(ar, b1, c0b);
            ar = Vector512.Create(a[1]); c1a = Vector512.FusedMultiplyAdd(ar, b0, c1a); c1b = Vector512.FusedMultiplyAdd(ar, b1, c1b);
            ar = Vector512.Create(a[2]); c2a = Vector512.FusedMultiplyAdd(ar, b0, c2a); c2b = Vector512.FusedMultiplyAdd(ar, b1, c2b);
            ar = Vector512.Create(a[3]); c3a = Vector512.FusedMultiplyAdd(ar, b0, c3a); c3b = Vector512.FusedMultiplyAdd(ar, b1, c3b);
            ar = Vector512.Create(a[4]); c4a = Vector512.FusedMultiplyAdd(ar, b0, c4a); c4b = Vector512.FusedMultiplyAdd(ar, b1, c4b);
            ar = Vector512.Create(a[5]); c5a = Vector512.FusedMultiplyAdd(ar, b0, c5a); c5b = Vector512.FusedMultiplyAdd(ar, b1, c5b);
            ar = Vector512.Create(a[6]); c6a = Vector512.FusedMultiplyAdd(ar, b0, c6a); c6b = Vector512.FusedMultiplyAdd(ar, b1, c6b);
            ar = Vector512.Create(a[7]); c7a = Vector512.FusedMultiplyAdd(ar, b0, c7a); c7b = Vector512.FusedMultiplyAdd(ar, b1, c7b);
            a += 12;   // the panel is packed for the full kernel's 12 rows
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
    }

    /// <summary>Depth steps ahead at which B is requested: panels are consecutive in memory, so the first row block
    /// of a panel also fetches the start of the next one, which the hardware prefetcher reaches too late when B comes
    /// from beyond L2 (a decoding step's weights).</summary>
    private const int PrefetchDistance = 16;

    /// <summary>Starts loading the C tile into L1 so that the final update does not wait on memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(float* c, nint ldc)
    {
        for (int r = 0; r < 12; r++)
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
