using System.Runtime.CompilerServices;

namespace EncDec.Kernels;

/// <summary>
/// The portable GEMM micro-kernel (no SIMD): a 4 x 4 tile of C in 16 scalar accumulators. It keeps the
/// packed, blocked structure of the vector paths so that the scalar path tests the same driver.
/// </summary>
internal readonly unsafe struct GemmMicroKernelScalar : IGemmMicroKernel
{
    /// <inheritdoc />
    public static int Mr => 4;

    /// <inheritdoc />
    public static int Nr => 4;

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(int kc, float* a, float* b, nint ldb, float* c, nint ldc, float alpha, float beta)
    {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            float a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            a += 4;
            b += ldb;
        }
        Store(c, alpha, beta, c00, c01, c02, c03);
        Store(c + ldc, alpha, beta, c10, c11, c12, c13);
        Store(c + 2 * ldc, alpha, beta, c20, c21, c22, c23);
        Store(c + 3 * ldc, alpha, beta, c30, c31, c32, c33);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* c, float alpha, float beta, float x0, float x1, float x2, float x3)
    {
        if (beta == 0f)
        {
            c[0] = alpha * x0; c[1] = alpha * x1; c[2] = alpha * x2; c[3] = alpha * x3;
        }
        else
        {
            c[0] = alpha * x0 + beta * c[0]; c[1] = alpha * x1 + beta * c[1];
            c[2] = alpha * x2 + beta * c[2]; c[3] = alpha * x3 + beta * c[3];
        }
    }
}
