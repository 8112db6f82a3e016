using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EncDec.Kernels;

/// <summary>
/// The two level-1 loops behind the matrix-vector shapes of <see cref="GemmVector"/>: y += s * x and
/// x . y, each with a Vector512 body, a Vector256 body and a scalar tail, chosen by <see cref="SimdLevel"/>.
/// </summary>
internal static unsafe class GemmVectorKernels
{
    /// <summary>y[i] += s * x[i] for i &lt; n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Axpy(float s, float* x, float* y, int n, SimdLevel level)
    {
        int i = 0;
        if (level == SimdLevel.Avx512 && Vector512.IsHardwareAccelerated)
        {
            var vs = Vector512.Create(s);
            for (; i + 16 <= n; i += 16)
                Vector512.FusedMultiplyAdd(vs, Vector512.Load(x + i), Vector512.Load(y + i)).Store(y + i);
        }
        if (level >= SimdLevel.Avx2 && Vector256.IsHardwareAccelerated)
        {
            var vs = Vector256.Create(s);
            for (; i + 8 <= n; i += 8)
                Vector256.FusedMultiplyAdd(vs, Vector256.Load(x + i), Vector256.Load(y + i)).Store(y + i);
        }
        for (; i < n; i++) y[i] = MathF.FusedMultiplyAdd(s, x[i], y[i]);
    }

    /// <summary>Sum of x[i] * y[i] for i &lt; n (four independent vector accumulators).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot(float* x, float* y, int n, SimdLevel level)
    {
        int i = 0;
        float sum = 0f;
        if (level == SimdLevel.Avx512 && Vector512.IsHardwareAccelerated && n >= 16)
        {
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (; i + 64 <= n; i += 64)
            {
                s0 = Vector512.FusedMultiplyAdd(Vector512.Load(x + i), Vector512.Load(y + i), s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.Load(x + i + 16), Vector512.Load(y + i + 16), s1);
                s2 = Vector512.FusedMultiplyAdd(Vector512.Load(x + i + 32), Vector512.Load(y + i + 32), s2);
                s3 = Vector512.FusedMultiplyAdd(Vector512.Load(x + i + 48), Vector512.Load(y + i + 48), s3);
            }
            for (; i + 16 <= n; i += 16) s0 = Vector512.FusedMultiplyAdd(Vector512.Load(x + i), Vector512.Load(y + i), s0);
            sum = Vector512.Sum((s0 + s1) + (s2 + s3));
        }
        else if (level >= SimdLevel.Avx2 && Vector256.IsHardwareAccelerated && n >= 8)
        {
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (; i + 32 <= n; i += 32)
            {
                s0 = Vector256.FusedMultiplyAdd(Vector256.Load(x + i), Vector256.Load(y + i), s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.Load(x + i + 8), Vector256.Load(y + i + 8), s1);
                s2 = Vector256.FusedMultiplyAdd(Vector256.Load(x + i + 16), Vector256.Load(y + i + 16), s2);
                s3 = Vector256.FusedMultiplyAdd(Vector256.Load(x + i + 24), Vector256.Load(y + i + 24), s3);
            }
            for (; i + 8 <= n; i += 8) s0 = Vector256.FusedMultiplyAdd(Vector256.Load(x + i), Vector256.Load(y + i), s0);
            sum = Vector256.Sum((s0 + s1) + (s2 + s3));
        }
        for (; i < n; i++) sum = MathF.FusedMultiplyAdd(x[i], y[i], sum);
        return sum;
    }
}
