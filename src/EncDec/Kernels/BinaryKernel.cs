using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EncDec.Kernels;

/// <summary>Applies an <see cref="IBinaryOperator"/> over spans on the path <see cref="SimdPath.Current"/> selects.</summary>
public static class BinaryKernel
{
    /// <summary>z[i] = f(x[i], y[i]).</summary>
    public static void Apply<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z) where TOp : IBinaryOperator
    {
        SpanChecks.SameLength(z.Length, x.Length, "x");
        SpanChecks.SameLength(z.Length, y.Length, "y");
        SpanChecks.NoPartialOverlap(x, z);
        SpanChecks.NoPartialOverlap(y, z);
        Run<TOp, Overwrite>(x, y, z);
    }

    /// <summary>z[i] += f(x[i], y[i]): the shape of most backward passes.</summary>
    public static void Accumulate<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z) where TOp : IBinaryOperator
    {
        SpanChecks.SameLength(z.Length, x.Length, "x");
        SpanChecks.SameLength(z.Length, y.Length, "y");
        SpanChecks.NoPartialOverlap(x, z);
        SpanChecks.NoPartialOverlap(y, z);
        Run<TOp, AddTo>(x, y, z);
    }

    /// <summary><see cref="Accumulate{TOp}"/> when <paramref name="accumulate"/>, else <see cref="Apply{TOp}"/>: a backward pass
    /// writes an input's first gradient and adds any later one.</summary>
    public static void ApplyOrAccumulate<TOp>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z, bool accumulate)
        where TOp : IBinaryOperator
    {
        if (accumulate) Accumulate<TOp>(x, y, z);
        else Apply<TOp>(x, y, z);
    }

    /// <summary>z[i] = f(x[i], y) with a scalar right operand; long spans are split over the kernel threads.</summary>
    public static unsafe void ApplyScalar<TOp>(ReadOnlySpan<float> x, float y, Span<float> z) where TOp : IBinaryOperator
    {
        SpanChecks.SameLength(z.Length, x.Length, "x");
        SpanChecks.NoPartialOverlap(x, z);
        if (!ElementwiseSplit.Worthwhile(z.Length))
        {
            SerialScalar<TOp>(x, y, z);
            return;
        }
        fixed (float* px = x, pz = z)
        {
            var body = ScalarChunk<TOp>.Current;
            body.X = px;
            body.Y = y;
            body.Z = pz;
            ElementwiseSplit.Run(body, z.Length);
        }
    }

    private sealed unsafe class ScalarChunk<TOp> : ElementwiseSplit.IBody where TOp : IBinaryOperator
    {
        [ThreadStatic] private static ScalarChunk<TOp>? t_current;
        public float* X, Z;
        public float Y;

        public static ScalarChunk<TOp> Current => t_current ??= new ScalarChunk<TOp>();

        public void Run(int start, int length) =>
            SerialScalar<TOp>(new ReadOnlySpan<float>(X + start, length), Y, new Span<float>(Z + start, length));
    }

    private static void SerialScalar<TOp>(ReadOnlySpan<float> x, float y, Span<float> z) where TOp : IBinaryOperator
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float zs = ref MemoryMarshal.GetReference(z);
        int i = 0, n = z.Length;
        switch (SimdPath.Current)
        {
            case SimdLevel.Avx512:
                var y512 = Vector512.Create(y);
                for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                    TOp.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i), y512).StoreUnsafe(ref zs, (nuint)i);
                break;
            case SimdLevel.Avx2:
                var y256 = Vector256.Create(y);
                for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                    TOp.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i), y256).StoreUnsafe(ref zs, (nuint)i);
                break;
        }
        for (; i < n; i++) Unsafe.Add(ref zs, i) = TOp.Invoke(Unsafe.Add(ref xs, i), y);
    }

    /// <summary>Long spans are split over the kernel threads.</summary>
    private static unsafe void Run<TOp, TStore>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z)
        where TOp : IBinaryOperator where TStore : IStoreMode
    {
        if (!ElementwiseSplit.Worthwhile(z.Length))
        {
            Serial<TOp, TStore>(x, y, z);
            return;
        }
        fixed (float* px = x, py = y, pz = z)
        {
            var body = Chunk<TOp, TStore>.Current;
            body.X = px;
            body.Y = py;
            body.Z = pz;
            ElementwiseSplit.Run(body, z.Length);
        }
    }

    private sealed unsafe class Chunk<TOp, TStore> : ElementwiseSplit.IBody where TOp : IBinaryOperator where TStore : IStoreMode
    {
        [ThreadStatic] private static Chunk<TOp, TStore>? t_current;
        public float* X, Y, Z;

        public static Chunk<TOp, TStore> Current => t_current ??= new Chunk<TOp, TStore>();

        public void Run(int start, int length) => Serial<TOp, TStore>(new ReadOnlySpan<float>(X + start, length),
            new ReadOnlySpan<float>(Y + start, length), new Span<float>(Z + start, length));
    }

    private static void Serial<TOp, TStore>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z)
        where TOp : IBinaryOperator where TStore : IStoreMode
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float zs = ref MemoryMarshal.GetReference(z);
        int i = 0, n = z.Length;
        switch (SimdPath.Current)
        {
            case SimdLevel.Avx512:
                for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                {
                    var value = TOp.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i), Vector512.LoadUnsafe(ref ys, (nuint)i));
                    if (TStore.Accumulates) value += Vector512.LoadUnsafe(ref zs, (nuint)i);
                    value.StoreUnsafe(ref zs, (nuint)i);
                }
                break;
            case SimdLevel.Avx2:
                for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    var value = TOp.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i), Vector256.LoadUnsafe(ref ys, (nuint)i));
                    if (TStore.Accumulates) value += Vector256.LoadUnsafe(ref zs, (nuint)i);
                    value.StoreUnsafe(ref zs, (nuint)i);
                }
                break;
        }
        for (; i < n; i++)
        {
            float value = TOp.Invoke(Unsafe.Add(ref xs, i), Unsafe.Add(ref ys, i));
            Unsafe.Add(ref zs, i) = TStore.Accumulates ? Unsafe.Add(ref zs, i) + value : value;
        }
    }

    private interface IStoreMode { static abstract bool Accumulates { get; } }
    private readonly struct Overwrite : IStoreMode { public static bool Accumulates => false; }
    private readonly struct AddTo : IStoreMode { public static bool Accumulates => true; }
}
