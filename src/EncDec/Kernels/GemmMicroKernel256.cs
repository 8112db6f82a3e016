using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EncDec.Kernels;

/// <summary>
/// The 256-bit GEMM micro-kernel: a 12 x 16 tile of C held in 24 vector accumulators,
/// updated by one rank-1 FMA step per k (broadcast of A(i,p) times 2 vector(s) of B(p,:)).
/// </summary>
internal readonly unsafe struct GemmMicroKernel256 : IGemmMicroKernel
{
    /// <inheritdoc />
    public static int Mr => 12;

    /// <inheritdoc />
    public static int Nr => 16;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, nint ldb, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c0a = default, c0b = default;
        Vector256<float> c1a = default, c1b = default;
        Vector256<float> c2a = default, c2b = default;
        Vector256<float> c3a = default, c3b = default;
        Vector256<float> c4a = default, c4b = default;
        Vector256<float> c5a = default, c5b = default;
        Vector256<float> c6a = default, c6b = default;
        Vector256<float> c7a = default, c7b = default;
        Vector256<float> c8a = default, c8b = default;
        Vector256<float> c9a = default, c9b = default;
        Vector256<float> c10a = default, c10b = default;
        Vector256<float> c11a = default, c11b = default;
        PrefetchTile(c, ldc);
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            Vector256<float> ar = Vector256.Create(a[0]); c0a = Vector256.FusedMultiplyAdd(ar, b0, c0a); c0b = Vector256.FusedMultiplyAdd(ar, b1, c0b);
            ar = Vector256.Create(a[1]); c1a = Vector256.FusedMultiplyAdd(ar, b0, c1a); c1b = Vector256.FusedMultiplyAdd(ar, b1, c1b);
            ar = Vector256.Create(a[2]); c2a = Vector256.FusedMultiplyAdd(ar, b0, c2a); c2b = Vector256.FusedMultiplyAdd(ar, b1, c2b);
            ar = Vector256.Create(a[3]); c3a = Vector256.FusedMultiplyAdd(ar, b0, c3a); c3b = Vector256.FusedMultiplyAdd(ar, b1, c3b);
            ar = Vector256.Create(a[4]); c4a = Vector256.FusedMultiplyAdd(ar, b0, c4a); c4b = Vector256.FusedMultiplyAdd(ar, b1, c4b);
            ar = Vector256.Create(a[5]); c5a = Vector256.FusedMultiplyAdd(ar, b0, c5a); c5b = Vector256.FusedMultiplyAdd(ar, b1, c5b);
            ar = Vector256.Create(a[6]); c6a = Vector256.FusedMultiplyAdd(ar, b0, c6a); c6b = Vector256.FusedMultiplyAdd(ar, b1, c6b);
            ar = Vector256.Create(a[7]); c7a = Vector256.FusedMultiplyAdd(ar, b0, c7a); c7b = Vector256.FusedMultiplyAdd(ar, b1, c7b);
            ar = Vector256.Create(a[8]); c8a = Vector256.FusedMultiplyAdd(ar, b0, c8a); c8b = Vector256.FusedMultiplyAdd(ar, b1, c8b);
            ar = Vector256.Create(a[9]); c9a = Vector256.FusedMultiplyAdd(ar, b0, c9a); c9b = Vector256.FusedMultiplyAdd(ar, b1, c9b);
            ar = Vector256.Create(a[10]); c10a = Vector256.FusedMultiplyAdd(ar, b0, c10a); c10b = Vector256.FusedMultiplyAdd(ar, b1, c10b);
            ar = Vector256.Create(a[11]); c11a = Vector256.FusedMultiplyAdd(ar, b0, c11a); c11b = Vector256.FusedMultiplyAdd(ar, b1, c11b);
            a += 12;
            b += ldb;
        }
        Vector256<float> va = Vector256.Create(alpha);
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
            Vector256<float> vb = Vector256.Create(beta);
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

    /// <summary>Starts loading the C tile into L1 so that the final update does not wait on memory.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(float* c, nint ldc)
    {
        for (int r = 0; r < 12; r++)
        {
            Sse.Prefetch0(c + r * ldc);
        }
    }

    /// <summary>c[0..Nr) = alpha * x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* c, Vector256<float> alpha, Vector256<float> x0, Vector256<float> x1)
    {
        (x0 * alpha).Store(c);
        (x1 * alpha).Store(c + 8);
    }

    /// <summary>c[0..Nr) = alpha * x + beta * c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector256<float> alpha, Vector256<float> beta, Vector256<float> x0, Vector256<float> x1)
    {
        Vector256.FusedMultiplyAdd(x0, alpha, Vector256.Load(c) * beta).Store(c);
        Vector256.FusedMultiplyAdd(x1, alpha, Vector256.Load(c + 8) * beta).Store(c + 8);
    }
}
