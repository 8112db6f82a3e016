using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EncDec.Kernels;

/// <summary>Applies an <see cref="IUnaryOperator"/> over spans on the path <see cref="SimdPath.Current"/> selects.</summary>
public static class UnaryKernel
{
    /// <summary>y[i] = f(x[i]); long spans are split over the kernel threads.</summary>
    public static unsafe void Apply<TOp>(ReadOnlySpan<float> x, Span<float> y) where TOp : IUnaryOperator
    {
        SpanChecks.SameLength(x.Length, y.Length, "output");
        SpanChecks.NoPartialOverlap(x, y);
        if (!ElementwiseSplit.Worthwhile(x.Length))
        {
            Serial<TOp>(x, y);
            return;
        }
        fixed (float* px = x, py = y)
        {
            var body = Chunk<TOp>.Current;
            body.X = px;
            body.Y = py;
            ElementwiseSplit.Run(body, x.Length);
        }
    }

    private sealed unsafe class Chunk<TOp> : ElementwiseSplit.IBody where TOp : IUnaryOperator
    {
        [ThreadStatic] private static Chunk<TOp>? t_current;
        public float* X, Y;

        public static Chunk<TOp> Current => t_current ??= new Chunk<TOp>();

        public void Run(int start, int length) => Serial<TOp>(new ReadOnlySpan<float>(X + start, length), new Span<float>(Y + start, length));
    }

    private static void Serial<TOp>(ReadOnlySpan<float> x, Span<float> y) where TOp : IUnaryOperator
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int i = 0, n = x.Length;
        switch (SimdPath.Current)
        {
            case SimdLevel.Avx512:
                for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                    TOp.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
                break;
            case SimdLevel.Avx2:
                for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                    TOp.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i)).StoreUnsafe(ref ys, (nuint)i);
                break;
        }
        for (; i < n; i++) Unsafe.Add(ref ys, i) = TOp.Invoke(Unsafe.Add(ref xs, i));
    }
}
