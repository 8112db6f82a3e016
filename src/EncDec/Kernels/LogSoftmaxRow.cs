using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace EncDec.Kernels;

/// <summary>
/// Log-softmax of one row in place, as search takes it from every row of every decoding step:
/// y = x − (max + log Σ exp(x − max)), in three passes: the maximum (<see cref="MaxKernel"/>), the sum of the
/// exponentials computed and added in registers (never stored), and the subtraction. The five-pass form it replaces
/// (max, subtract into scratch, exp in place, sum, subtract) also wrote and reread a scratch row.
/// Exponentials use <see cref="ExpOperator"/>, whose exp(0) is exactly 1, so a one-hot row gets log-probability 0
/// exactly. Paths differ from <see cref="Reference"/> only in the order the exponentials are added (a few ulp of the
/// log-sum).
/// </summary>
/// <remarks>
/// Edge cases, the same as the five-pass form (all follow from the arithmetic, none is special-cased):
/// a −∞ entry stays −∞ (exp(−∞ − max) is exactly 0) if the row has a finite entry; a row of only −∞ becomes all NaN
/// (−∞ − (−∞) is NaN); any +∞ or NaN makes the whole row NaN; an empty row throws <see cref="ArgumentException"/>
/// (from the maximum, as TensorPrimitives.Max did).
/// </remarks>
internal static class LogSoftmaxRow
{
    /// <summary>row ← row − (max + log Σ exp(row − max)).</summary>
    /// <param name="row">(n) logits in, log-probabilities out.</param>
    public static void InPlace(Span<float> row) => Into(row, row);

    /// <summary>destination = logits − (max + log Σ exp(logits − max)): the last pass writes the result where it is
    /// wanted, so a search never copies a row of logits first.</summary>
    /// <param name="logits">(n) logits.</param>
    /// <param name="destination">(n) log-probabilities; may be <paramref name="logits"/> itself.</param>
    public static void Into(ReadOnlySpan<float> logits, Span<float> destination)
    {
        if (destination.Length != logits.Length)
            throw new ArgumentException($"LogSoftmaxRow: destination holds {destination.Length} floats, logits {logits.Length}");
        float max = MaxKernel.Max(logits);
        float logSum = max + MathF.Log(SumExp(logits, max));
        TensorPrimitives.Subtract(logits, logSum, destination);
    }

    /// <summary>The scalar definition: the same formula with the exponentials added left to right.</summary>
    public static void Reference(Span<float> row)
    {
        float max = MaxKernel.Reference(row);
        float logSum = max + MathF.Log(SumExpReference(row, max));
        for (int i = 0; i < row.Length; i++) row[i] -= logSum;
    }

    /// <summary>Σ exp(x − shift) on the path <see cref="SimdPath.Current"/> selects.</summary>
    internal static float SumExp(ReadOnlySpan<float> x, float shift)
    {
        var level = SimdPath.Current;
        if (level == SimdLevel.Avx512 && x.Length >= Vector512<float>.Count) return SumExp512(x, shift);
        if (level >= SimdLevel.Avx2 && x.Length >= Vector256<float>.Count) return SumExp256(x, shift);
        return SumExpReference(x, shift);
    }

    /// <summary>Σ exp(x − shift), added left to right.</summary>
    internal static float SumExpReference(ReadOnlySpan<float> x, float shift)
    {
        float sum = 0f;
        foreach (float value in x) sum += ExpOperator.Invoke(value - shift);
        return sum;
    }

    // The exponentials bound this loop (one, two and four accumulators measured the same); two halve the terms each
    // lane adds. The last, partial vector is loaded overlapping the one before, with the lanes already added masked
    // to zero. Needs x.Length >= 16. Not inlined: inlined into InPlace, the same loop (same instructions) made the
    // whole log-softmax of 8,000 floats 15 to 35% slower (e.g. 3.1 against 2.3 µs); as its own method its code
    // layout does not depend on the caller.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float SumExp512(ReadOnlySpan<float> x, float shift)
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        const int C = 16;
        int n = x.Length, i = 0;
        var s = Vector512.Create(shift);
        Vector512<float> sum0 = Vector512<float>.Zero, sum1 = Vector512<float>.Zero;
        for (; i <= n - 2 * C; i += 2 * C)
        {
            sum0 += ExpOperator.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i) - s);
            sum1 += ExpOperator.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)(i + C)) - s);
        }
        if (i <= n - C)
        {
            sum0 += ExpOperator.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)i) - s);
            i += C;
        }
        if (i < n)
        {
            var fresh = Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create(C - (n - i))).AsSingle();
            sum1 += ExpOperator.Invoke(Vector512.LoadUnsafe(ref xs, (nuint)(n - C)) - s) & fresh;
        }
        return Vector512.Sum(sum0 + sum1);
    }

    /// <summary><see cref="SumExp512"/> with 256-bit vectors; needs x.Length >= 8.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float SumExp256(ReadOnlySpan<float> x, float shift)
    {
        ref float xs = ref MemoryMarshal.GetReference(x);
        const int C = 8;
        int n = x.Length, i = 0;
        var s = Vector256.Create(shift);
        Vector256<float> sum0 = Vector256<float>.Zero, sum1 = Vector256<float>.Zero;
        for (; i <= n - 2 * C; i += 2 * C)
        {
            sum0 += ExpOperator.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i) - s);
            sum1 += ExpOperator.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)(i + C)) - s);
        }
        if (i <= n - C)
        {
            sum0 += ExpOperator.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)i) - s);
            i += C;
        }
        if (i < n)
        {
            var fresh = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create(C - (n - i))).AsSingle();
            sum1 += ExpOperator.Invoke(Vector256.LoadUnsafe(ref xs, (nuint)(n - C)) - s) & fresh;
        }
        return Vector256.Sum(sum0 + sum1);
    }
}
