using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EncDec.Kernels;

/// <summary>
/// Elementwise choice by a float condition (nonzero, NaN included, means true; -0 and +0 mean false),
/// on the path <see cref="SimdPath.Current"/> selects: the kernels behind MaskedFill and Where.
/// </summary>
public static class SelectKernel
{
    /// <summary>z[i] = condition[i] != 0 ? whenTrue[i] : whenFalse[i]. Any input may be z itself.</summary>
    public static void Apply(ReadOnlySpan<float> condition, ReadOnlySpan<float> whenTrue, ReadOnlySpan<float> whenFalse, Span<float> z)
    {
        Check(condition, whenTrue, z);
        Check(condition, whenFalse, z);
        ref float cs = ref MemoryMarshal.GetReference(condition);
        ref float ts = ref MemoryMarshal.GetReference(whenTrue);
        ref float fs = ref MemoryMarshal.GetReference(whenFalse);
        ref float zs = ref MemoryMarshal.GetReference(z);
        int i = 0, n = z.Length;
        switch (SimdPath.Current)
        {
            case SimdLevel.Avx512:
                for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                {
                    var isFalse = Vector512.Equals(Vector512.LoadUnsafe(ref cs, (nuint)i), Vector512<float>.Zero);
                    Vector512.ConditionalSelect(isFalse, Vector512.LoadUnsafe(ref fs, (nuint)i), Vector512.LoadUnsafe(ref ts, (nuint)i))
                        .StoreUnsafe(ref zs, (nuint)i);
                }
                break;
            case SimdLevel.Avx2:
                for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    var isFalse = Vector256.Equals(Vector256.LoadUnsafe(ref cs, (nuint)i), Vector256<float>.Zero);
                    Vector256.ConditionalSelect(isFalse, Vector256.LoadUnsafe(ref fs, (nuint)i), Vector256.LoadUnsafe(ref ts, (nuint)i))
                        .StoreUnsafe(ref zs, (nuint)i);
                }
                break;
        }
        for (; i < n; i++) Unsafe.Add(ref zs, i) = Unsafe.Add(ref cs, i) != 0f ? Unsafe.Add(ref ts, i) : Unsafe.Add(ref fs, i);
    }

    /// <summary>z[i] = condition[i] != 0 ? whenTrue : whenFalse[i] (a masked fill). Any input may be z itself.</summary>
    public static void ApplyScalar(ReadOnlySpan<float> condition, float whenTrue, ReadOnlySpan<float> whenFalse, Span<float> z)
    {
        Check(condition, whenFalse, z);
        ref float cs = ref MemoryMarshal.GetReference(condition);
        ref float fs = ref MemoryMarshal.GetReference(whenFalse);
        ref float zs = ref MemoryMarshal.GetReference(z);
        int i = 0, n = z.Length;
        switch (SimdPath.Current)
        {
            case SimdLevel.Avx512:
                var t512 = Vector512.Create(whenTrue);
                for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                {
                    var isFalse = Vector512.Equals(Vector512.LoadUnsafe(ref cs, (nuint)i), Vector512<float>.Zero);
                    Vector512.ConditionalSelect(isFalse, Vector512.LoadUnsafe(ref fs, (nuint)i), t512).StoreUnsafe(ref zs, (nuint)i);
                }
                break;
            case SimdLevel.Avx2:
                var t256 = Vector256.Create(whenTrue);
                for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    var isFalse = Vector256.Equals(Vector256.LoadUnsafe(ref cs, (nuint)i), Vector256<float>.Zero);
                    Vector256.ConditionalSelect(isFalse, Vector256.LoadUnsafe(ref fs, (nuint)i), t256).StoreUnsafe(ref zs, (nuint)i);
                }
                break;
        }
        for (; i < n; i++) Unsafe.Add(ref zs, i) = Unsafe.Add(ref cs, i) != 0f ? whenTrue : Unsafe.Add(ref fs, i);
    }

    /// <summary>z[i] += source[i] where (condition[i] != 0) equals <paramref name="whereNonzero"/>: the backward of a select.</summary>
    public static void Accumulate(ReadOnlySpan<float> condition, ReadOnlySpan<float> source, bool whereNonzero, Span<float> z)
    {
        Check(condition, source, z);
        ref float cs = ref MemoryMarshal.GetReference(condition);
        ref float ss = ref MemoryMarshal.GetReference(source);
        ref float zs = ref MemoryMarshal.GetReference(z);
        int i = 0, n = z.Length;
        switch (SimdPath.Current)
        {
            case SimdLevel.Avx512:
                for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                {
                    var isFalse = Vector512.Equals(Vector512.LoadUnsafe(ref cs, (nuint)i), Vector512<float>.Zero);
                    var source512 = Vector512.LoadUnsafe(ref ss, (nuint)i);
                    var added = whereNonzero ? Vector512.AndNot(source512, isFalse) : source512 & isFalse;
                    (Vector512.LoadUnsafe(ref zs, (nuint)i) + added).StoreUnsafe(ref zs, (nuint)i);
                }
                break;
            case SimdLevel.Avx2:
                for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    var isFalse = Vector256.Equals(Vector256.LoadUnsafe(ref cs, (nuint)i), Vector256<float>.Zero);
                    var source256 = Vector256.LoadUnsafe(ref ss, (nuint)i);
                    var added = whereNonzero ? Vector256.AndNot(source256, isFalse) : source256 & isFalse;
                    (Vector256.LoadUnsafe(ref zs, (nuint)i) + added).StoreUnsafe(ref zs, (nuint)i);
                }
                break;
        }
        for (; i < n; i++)
            if ((Unsafe.Add(ref cs, i) != 0f) == whereNonzero) Unsafe.Add(ref zs, i) += Unsafe.Add(ref ss, i);
    }

    private static void Check(ReadOnlySpan<float> condition, ReadOnlySpan<float> input, Span<float> z, [CallerMemberName] string kernel = "")
    {
        SpanChecks.SameLength(z.Length, condition.Length, "condition", kernel);
        SpanChecks.SameLength(z.Length, input.Length, "input", kernel);
        SpanChecks.NoPartialOverlap(condition, z, kernel);
        SpanChecks.NoPartialOverlap(input, z, kernel);
    }
}
