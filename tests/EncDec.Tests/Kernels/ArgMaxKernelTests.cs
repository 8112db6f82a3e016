using System.Numerics.Tensors;
using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>
/// <see cref="ArgMaxKernel"/> against its scalar definition on every SIMD path and every length 0..256 (and 8,000, a
/// vocabulary), and that definition against the one greedy search used before it (TensorPrimitives.IndexOfMax with a
/// scalar fallback on NaN), so that the search picks exactly the tokens it picked before.
/// </summary>
public class ArgMaxKernelTests
{
    public static TheoryData<SimdLevel> Paths() => new(SimdPath.Available);

    /// <summary>GreedySearch.ArgMax as it was before ArgMaxKernel (commit 67b213b), the definition to keep.</summary>
    private static int IndexOfMaxDefinition(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty) return -1;
        int index = TensorPrimitives.IndexOfMax(values);
        float best = values[index];
        if (!float.IsNaN(best)) return best > float.NegativeInfinity ? index : -1;
        return ArgMaxKernel.FirstOfMaxIgnoringNaN(values);
    }

    /// <summary>Rows of every kind the kernel must agree on: spread values, heavy ties, zeros of both signs, −∞ and
    /// NaN (rare and frequent), all −∞.</summary>
    private static IEnumerable<float[]> Rows(Random random, int length)
    {
        float[] ties = [2f, 2f, -1f, 0f, -0f, float.NegativeInfinity, 1e-30f, -3.5f];
        float[] zeros = [0f, -0f, -0f, float.NegativeInfinity, -1f];
        float[] positiveZeros = [0f, 0f, -0f, float.NegativeInfinity, -1f];
        yield return Fill(length, _ => random.NextSingle() * 20f - 10f);
        yield return Fill(length, _ => ties[random.Next(ties.Length)]);
        yield return Fill(length, _ => zeros[random.Next(zeros.Length)]);
        yield return Fill(length, _ => positiveZeros[random.Next(positiveZeros.Length)]);
        yield return Fill(length, _ => random.Next(40) == 0 ? float.NaN : ties[random.Next(ties.Length)]);
        yield return Fill(length, _ => random.Next(3) == 0 ? float.NaN : zeros[random.Next(zeros.Length)]);
        yield return Fill(length, _ => float.NegativeInfinity);
        yield return Fill(length, _ => random.Next(4) == 0 ? float.PositiveInfinity : random.NextSingle());
    }

    private static float[] Fill(int length, Func<int, float> value) => Enumerable.Range(0, length).Select(value).ToArray();

    private static IEnumerable<int> Lengths() => Enumerable.Range(0, 257).Append(8000);

    [Theory, MemberData(nameof(Paths))]
    public void Apply_MatchesReference_OnEveryLength(SimdLevel level)
    {
        using var path = SimdPath.Force(level);
        var random = new Random(1);
        foreach (int n in Lengths())
            foreach (var row in Rows(random, n))
                Assert.True(ArgMaxKernel.Reference(row) == ArgMaxKernel.Apply(row), $"{level}, length {n}: [{string.Join(", ", row)}]");
    }

    [Fact]
    public void Reference_MatchesTheIndexOfMaxDefinition_OnEveryLength()
    {
        var random = new Random(2);
        foreach (int n in Lengths())
            foreach (var row in Rows(random, n))
                Assert.True(IndexOfMaxDefinition(row) == ArgMaxKernel.Reference(row), $"length {n}: [{string.Join(", ", row)}]");
    }

    [Theory, MemberData(nameof(Paths))]
    public void FindsTheFirstMaximum_AtEveryPosition(SimdLevel level)
    {
        using var path = SimdPath.Force(level);
        foreach (int n in new[] { 8, 15, 16, 17, 63, 64, 65, 100, 200 })
            for (int at = 0; at < n; at++)
            {
                var row = Fill(n, i => i % 3 == 0 ? 1f : 0.5f);   // ties below the maximum everywhere
                row[at] = 2f;
                if (at + 1 < n) row[^1] = 2f;                       // a later copy that must lose
                Assert.Equal(at, ArgMaxKernel.Apply(row));
            }
    }

    [Theory, MemberData(nameof(Paths))]
    public void SpecialValues_KeepTheOldResults(SimdLevel level)
    {
        using var path = SimdPath.Force(level);
        float nan = float.NaN, inf = float.PositiveInfinity, ninf = float.NegativeInfinity;
        var cases = new (float[] Row, int Expected)[]
        {
            ([], -1),
            ([ninf, ninf, ninf], -1),
            ([nan], -1),
            ([ninf, nan], -1),
            ([1f, 3f, 3f, 2f], 1),
            ([1f, inf, inf], 1),
            ([-0f, 0f], 1),           // no NaN: IndexOfMax's order puts +0 above −0
            ([0f, -0f], 0),
            ([-0f, 0f, nan], 0),      // with a NaN: the scalar fallback, where −0 and +0 tie
            ([nan, 1f, 5f, 5f], 2),
        };
        foreach (var (row, expected) in cases)
            foreach (int copies in new[] { 1, 20 })   // short rows take the scalar definition; 20 copies reach the vectors
            {
                var padded = Fill(row.Length * copies, i => i < (copies - 1) * row.Length ? ninf : row[i % row.Length]);
                int shift = expected < 0 ? 0 : (copies - 1) * row.Length;
                Assert.True(expected + shift == ArgMaxKernel.Apply(padded), $"{level}: [{string.Join(", ", padded)}]");
            }
    }
}
