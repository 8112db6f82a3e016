using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>
/// One <see cref="PackedGemm.Multiply"/> call: A (m, k) with rows <see cref="Lda"/> apart, a weight W (n, k)
/// packed as B = Wᵀ, C (m, n) with rows <see cref="Ldc"/> apart, an optional bias (n) and ReLU. A and C are
/// allocated to the last element the call addresses, so the last row has no padding to overrun into. The
/// expected C comes from a triple loop accumulating in double.
/// </summary>
/// <param name="PadA">Extra elements after every row of A (lda = k + PadA).</param>
/// <param name="PadC">Extra elements after every row of C (ldc = n + PadC); they must stay untouched.</param>
/// <param name="Beta">0 fills C with NaN, which must not leak into the result; 1 fills it with values to add to.</param>
internal sealed record PackedGemmCase(int M, int N, int K, int PadA = 0, int PadC = 0, float Beta = 0f,
    bool Bias = false, bool Relu = false)
{
    /// <summary>What C's padding columns hold before the call, and must hold after it.</summary>
    public const float Untouched = -12345.5f;

    public float[] A = [], W = [], C = [], BiasValues = [];

    public int Lda => K + PadA;
    public int Ldc => N + PadC;

    /// <summary>Allocates and fills the operands from <paramref name="seed"/>.</summary>
    public PackedGemmCase Build(int seed)
    {
        var random = new Random(seed);
        A = Uniform(random, M == 0 ? 0 : (M - 1) * Lda + K);
        W = Uniform(random, N * K);
        BiasValues = Bias ? Uniform(random, N) : [];
        C = new float[M == 0 ? 0 : (M - 1) * Ldc + N];
        for (int i = 0; i < C.Length; i++)
            C[i] = i % Ldc >= N ? Untouched : Beta == 0f ? float.NaN : random.NextSingle() * 2f - 1f;
        return this;
    }

    /// <summary>B = Wᵀ packed for the calling thread's (possibly forced) micro-kernel.</summary>
    public PackedMatrix Pack() => new(W, N, K);

    /// <summary>C after <see cref="PackedGemm.Multiply"/> with <paramref name="b"/>.</summary>
    public float[] Actual(PackedMatrix b)
    {
        var c = (float[])C.Clone();
        PackedGemm.Multiply(M, A, Lda, b, c, Ldc, Beta, BiasValues, Relu);
        return c;
    }

    /// <summary>
    /// The expected C and, per element, the error allowed: 1e-4 of Σ|a||b| + |beta c| + |bias| (relative to
    /// the magnitudes summed, so cancellation does not make it vanish); padding gets 0 (bit-identical).
    /// </summary>
    public (float[] Expected, double[] Tolerance) Reference()
    {
        var expected = (float[])C.Clone();
        var tolerance = new double[C.Length];
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < K; p++)
                {
                    double product = (double)A[i * Lda + p] * W[j * K + p];
                    sum += product;
                    magnitude += Math.Abs(product);
                }
                int at = i * Ldc + j;
                if (Beta == 1f) (sum, magnitude) = (sum + C[at], magnitude + Math.Abs(C[at]));
                if (Bias) (sum, magnitude) = (sum + BiasValues[j], magnitude + Math.Abs(BiasValues[j]));
                if (Relu) sum = Math.Max(0, sum);
                expected[at] = (float)sum;
                tolerance[at] = 1e-4 * magnitude + 1e-6;
            }
        return (expected, tolerance);
    }

    /// <summary>Asserts that multiplying by <paramref name="b"/> agrees with <see cref="Reference"/>.</summary>
    public void AssertMatchesReference(PackedMatrix b, string context = "")
    {
        var actual = Actual(b);
        var (expected, tolerance) = Reference();
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = tolerance[i] == 0
                ? BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i])
                : Math.Abs((double)expected[i] - actual[i]) <= tolerance[i];
            if (!same)
                Assert.Fail($"C[{i / Ldc}, {i % Ldc}]: expected {expected[i]}, got {actual[i]} (tolerance {tolerance[i]:E2}) for {this} {context}");
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"(m={M}, n={N}, k={K}, lda={Lda}, ldc={Ldc}, beta={Beta}, bias={Bias}, relu={Relu}, " +
        $"simd={SimdPath.Current}, threads={Parallelism.ThreadCount})";

    private static float[] Uniform(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = random.NextSingle() * 2f - 1f;
        return values;
    }
}
