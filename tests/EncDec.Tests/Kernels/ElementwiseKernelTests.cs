using System.Reflection;
using System.Runtime.ExceptionServices;
using EncDec.Kernels;
using Xunit.Sdk;

namespace EncDec.Tests.Kernels;

/// <summary>
/// Every <see cref="IUnaryOperator"/> and <see cref="IBinaryOperator"/> struct in the library (found by
/// reflection, so new operators are covered without editing this file), through
/// <see cref="UnaryKernel"/> and <see cref="BinaryKernel"/>, on every length 0..256 and every SIMD path
/// this CPU has, against the operator's scalar Invoke. Tails are where the bugs live.
/// </summary>
public class ElementwiseKernelTests
{
    private const int MaxLength = 256;

    // Operators whose vector forms perform the same IEEE operations as the scalar form (ours use
    // ExpOperator, not Vector512.Exp, for exactly this reason): results must be bit-identical.
    // Operators not listed here are held to a tolerance of a few ulp.
    private static readonly HashSet<Type> Exact =
    [
        typeof(AddOperator), typeof(SubtractOperator), typeof(MultiplyOperator), typeof(DivideOperator),
        typeof(ExpOperator), typeof(ReluOperator), typeof(ReluBackwardOperator),
        typeof(GeluOperator), typeof(GeluBackwardOperator), typeof(GeluTanhOperator), typeof(GeluTanhBackwardOperator),
        typeof(SiluOperator), typeof(SiluBackwardOperator),
        typeof(SigmoidBackwardOperator), typeof(TanhBackwardOperator), typeof(SqrtBackwardOperator),
    ];
    private const double RelativeTolerance = 4e-6, AbsoluteTolerance = 1e-6;

    private static readonly float[] PoolX = Pool(seed: 1), PoolY = Pool(seed: 2), PoolZ = Pool(seed: 3);

    public static TheoryData<Type> UnaryOperators => Discover(typeof(IUnaryOperator));
    public static TheoryData<Type> BinaryOperators => Discover(typeof(IBinaryOperator));

    [Fact]
    public void Discovery_FindsTheLibraryOperators()
    {
        var unary = OperatorTypes(typeof(IUnaryOperator));
        var binary = OperatorTypes(typeof(IBinaryOperator));
        foreach (var type in Exact) Assert.Contains(type, typeof(IBinaryOperator).IsAssignableFrom(type) ? binary : unary);
    }

    [Theory, MemberData(nameof(UnaryOperators))]
    public void UnaryKernel_MatchesScalarInvoke_OnEveryLengthAndPath(Type op) => Run(nameof(CheckUnary), op);

    [Theory, MemberData(nameof(BinaryOperators))]
    public void BinaryKernel_ApplyAccumulateAndScalar_MatchScalarInvoke_OnEveryLengthAndPath(Type op) => Run(nameof(CheckBinary), op);

    [Fact]
    public void Kernels_RejectPartialOverlap_ButAllowExactInPlace()
    {
        var a = new float[64];
        var b = new float[64];
        foreach (var level in SimdPath.Available)
        {
            using var _ = SimdPath.Force(level);
            Assert.Throws<ArgumentException>(() => UnaryKernel.Apply<ReluOperator>(a.AsSpan(0, 32), a.AsSpan(1, 32)));
            Assert.Throws<ArgumentException>(() => BinaryKernel.Apply<AddOperator>(a.AsSpan(0, 32), b.AsSpan(0, 32), a.AsSpan(8, 32)));
            Assert.Throws<ArgumentException>(() => BinaryKernel.Apply<AddOperator>(b.AsSpan(0, 32), a.AsSpan(16, 32), a.AsSpan(0, 32)));
            Assert.Throws<ArgumentException>(() => BinaryKernel.Accumulate<MultiplyOperator>(a.AsSpan(3, 32), b.AsSpan(0, 32), a.AsSpan(0, 32)));
            Assert.Throws<ArgumentException>(() => BinaryKernel.ApplyScalar<DivideOperator>(a.AsSpan(0, 32), 2f, a.AsSpan(31, 32)));
            UnaryKernel.Apply<ReluOperator>(a.AsSpan(0, 32), a.AsSpan(0, 32));
            BinaryKernel.Apply<AddOperator>(a.AsSpan(0, 32), a.AsSpan(0, 32), a.AsSpan(0, 32));
            BinaryKernel.Accumulate<MultiplyOperator>(b.AsSpan(0, 32), a.AsSpan(32, 32), a.AsSpan(32, 32));
        }
    }

    [Fact]
    public void Kernels_RejectMismatchedLengths()
    {
        var a = new float[64];
        Assert.Throws<ArgumentException>(() => UnaryKernel.Apply<ReluOperator>(a.AsSpan(0, 10), new float[9]));
        Assert.Throws<ArgumentException>(() => BinaryKernel.Apply<AddOperator>(a.AsSpan(0, 10), a.AsSpan(0, 11), new float[10]));
        Assert.Throws<ArgumentException>(() => BinaryKernel.Accumulate<AddOperator>(a.AsSpan(0, 10), a.AsSpan(0, 10), new float[12]));
    }

    private static void CheckUnary<TOp>() where TOp : IUnaryOperator
    {
        foreach (var level in SimdPath.Available)
        {
            using var _ = SimdPath.Force(level);
            for (int n = 0; n <= MaxLength; n++)
            {
                var x = PoolX.AsSpan(n % 3, n);                 // vary alignment too
                var expected = new float[n];
                for (int i = 0; i < n; i++) expected[i] = TOp.Invoke(x[i]);
                var actual = new float[n];
                UnaryKernel.Apply<TOp>(x, actual);
                Compare<TOp>(expected, actual, x, x, $"{level} Apply n={n}");
                x.CopyTo(actual);
                UnaryKernel.Apply<TOp>(actual, actual);          // exact in-place use
                Compare<TOp>(expected, actual, x, x, $"{level} in-place n={n}");
            }
        }
    }

    private static void CheckBinary<TOp>() where TOp : IBinaryOperator
    {
        foreach (var level in SimdPath.Available)
        {
            using var _ = SimdPath.Force(level);
            for (int n = 0; n <= MaxLength; n++)
            {
                var x = PoolX.AsSpan(n % 3, n);
                var y = PoolY.AsSpan(n % 5, n);
                var z = PoolZ.AsSpan(0, n);
                var expected = new float[n];
                var actual = new float[n];
                for (int i = 0; i < n; i++) expected[i] = TOp.Invoke(x[i], y[i]);
                BinaryKernel.Apply<TOp>(x, y, actual);
                Compare<TOp>(expected, actual, x, y, $"{level} Apply n={n}");

                for (int i = 0; i < n; i++) expected[i] = z[i] + TOp.Invoke(x[i], y[i]);
                z.CopyTo(actual);
                BinaryKernel.Accumulate<TOp>(x, y, actual);
                Compare<TOp>(expected, actual, x, y, $"{level} Accumulate n={n}");

                foreach (float scalar in new[] { 1.37f, -0.75f })
                {
                    for (int i = 0; i < n; i++) expected[i] = TOp.Invoke(x[i], scalar);
                    BinaryKernel.ApplyScalar<TOp>(x, scalar, actual);
                    Compare<TOp>(expected, actual, x, Enumerable.Repeat(scalar, n).ToArray(), $"{level} ApplyScalar({scalar}) n={n}");
                }
            }
        }
    }

    private static void Compare<TOp>(float[] expected, float[] actual, ReadOnlySpan<float> x, ReadOnlySpan<float> y, string context)
    {
        bool exact = Exact.Contains(typeof(TOp));
        for (int i = 0; i < expected.Length; i++)
        {
            float e = expected[i], a = actual[i];
            if (float.IsNaN(e) && float.IsNaN(a)) continue;
            bool same = exact
                ? BitConverter.SingleToInt32Bits(e) == BitConverter.SingleToInt32Bits(a)
                : e == a || Math.Abs((double)e - a) <= RelativeTolerance * Math.Max(Math.Abs(e), Math.Abs(a))
                    + AbsoluteTolerance * Math.Max(1.0, Math.Max(Math.Abs(x[i]), Math.Abs(y[i])));
            if (!same)
                throw new XunitException($"{typeof(TOp).Name} {context} at {i}: f({x[i]:R}, {y[i]:R}) scalar {e:R}, kernel {a:R}");
        }
    }

    /// <summary>Random values in [−6, 6) with special values at fixed places: zeros, large magnitudes, NaN, ±∞.</summary>
    private static float[] Pool(int seed)
    {
        var random = new Random(seed);
        var values = new float[MaxLength + 8];
        for (int i = 0; i < values.Length; i++) values[i] = 12f * random.NextSingle() - 6f;
        (int Index, float Value)[] specials =
        [
            (5, 0f), (17, -0f), (29, 30f), (41, -30f), (53, 100f), (67, -100f), (79, 1e-3f), (88, -1e-30f),
            (97, float.NaN), (131, float.PositiveInfinity), (151, float.NegativeInfinity), (199, 1e30f), (233, -7.5f),
        ];
        foreach (var (index, value) in specials) values[(index + seed) % values.Length] = value;
        return values;
    }

    private static TheoryData<Type> Discover(Type contract)
    {
        var data = new TheoryData<Type>();
        foreach (var type in OperatorTypes(contract)) data.Add(type);
        return data;
    }

    private static Type[] OperatorTypes(Type contract) =>
        contract.Assembly.GetTypes()
            .Where(t => t.IsValueType && !t.IsGenericTypeDefinition && contract.IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToArray();

    private static void Run(string check, Type op)
    {
        var method = typeof(ElementwiseKernelTests).GetMethod(check, BindingFlags.NonPublic | BindingFlags.Static)!;
        try { method.MakeGenericMethod(op).Invoke(null, null); }
        catch (TargetInvocationException e) { ExceptionDispatchInfo.Capture(e.InnerException!).Throw(); }
    }
}
