using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>
/// <see cref="Int8Quantization"/>, <see cref="QuantizedMatrix"/> and <see cref="QuantizedGemm.Multiply"/>: the
/// quantized values and their error bound, the packed layout read back, the kernel (AVX-VNNI where this CPU has it, and
/// the portable loop) exactly equal to the naive <see cref="QuantizedGemm.Reference"/> across row, column and depth
/// tails, epilogues and both thread counts, and the product close to float32.
/// Runs in the serial collection because it changes the process-wide thread count and parallel threshold.
/// </summary>
[Collection(nameof(GemmSerialCollection))]
public sealed class QuantizedGemmTests : IDisposable
{
    private readonly int _threads = Parallelism.ThreadCount;
    private readonly double _parallelFlops = Gemm.ParallelFlops;

    /// <summary>Rows around the 6-row block, columns around the 16-column panel, depths around the 4-step group.</summary>
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (0, 17, 5), (1, 1, 1), (1, 16, 4), (5, 15, 3), (6, 17, 7), (7, 33, 64), (12, 31, 65), (13, 48, 255), (64, 100, 256),
        (65, 16, 1030),
    ];

    public void Dispose()
    {
        Parallelism.ThreadCount = _threads;
        Gemm.ParallelFlops = _parallelFlops;
    }

    [Fact]
    public void Quantize_StaysWithinHalfAScale_AndRoundsTiesToEven()
    {
        float[] values = [0f, 0.5f, 1.5f, 2.5f, -2.5f, 127f, -127f, 3.25f];   // max |x| = 127: scale 1
        var quantized = new sbyte[values.Length];
        float scale = Int8Quantization.Quantize(values, quantized);
        Assert.Equal(1f, scale);
        Assert.Equal(new sbyte[] { 0, 0, 2, 2, -2, 127, -127, 3 }, quantized);

        var random = RandomValues(new Random(3), 1000, 7f);
        var q = new sbyte[random.Length];
        float s = Int8Quantization.Quantize(random, q);
        Assert.Equal(random.Max(MathF.Abs) / 127f, s);
        for (int i = 0; i < random.Length; i++) Assert.True(MathF.Abs(random[i] - q[i] * s) <= s / 2 * 1.0001f, $"value {i}");
    }

    [Fact]
    public void Quantize_ZeroRowHasScaleOne_NonFiniteRowHasScaleNaN()
    {
        var quantized = new sbyte[3];
        Assert.Equal(1f, Int8Quantization.Quantize(new float[3], quantized));
        Assert.All(quantized, q => Assert.Equal(0, q));
        Assert.True(float.IsNaN(Int8Quantization.Quantize([1f, float.PositiveInfinity, 2f], quantized)));
        Assert.True(float.IsNaN(Int8Quantization.QuantizeShifted([float.NaN], new byte[1])));
        Assert.Equal(1f, Int8Quantization.Quantize([], []));
        Assert.Throws<ArgumentException>(() => Int8Quantization.Quantize([1f, 2f], new sbyte[1]));
    }

    [Theory]
    [InlineData(SimdLevel.Scalar)]
    [InlineData(SimdLevel.Avx2)]
    [InlineData(SimdLevel.Avx512)]
    public void QuantizeShifted_IsTheSignedValuePlus128_OnEveryLength(SimdLevel level)
    {
        using var simd = SimdPath.Force(level);
        var rng = new Random(5);
        for (int length = 0; length <= 256; length++)
        {
            var values = RandomValues(rng, length, 3f);
            if (length > 3) values[1] = values[0] * 0.5f;   // ties appear once scaled
            var signed = new sbyte[length];
            var shifted = new byte[length];
            float expected = Int8Quantization.Quantize(values, signed);
            Assert.Equal(expected, Int8Quantization.QuantizeShifted(values, shifted));
            for (int i = 0; i < length; i++) Assert.Equal(signed[i] + 128, shifted[i]);
        }
    }

    [Fact]
    public void QuantizedMatrix_ReadsBackEachColumnsQuantizedWeights_WithItsScaleAndSum()
    {
        int n = 21, k = 7;
        var weight = RandomValues(new Random(9), n * k, 2f);
        var matrix = new QuantizedMatrix(weight, n, k);
        Assert.Equal((32, 8, 2), (matrix.PaddedN, matrix.PaddedK, matrix.Panels));
        for (int j = 0; j < n; j++)
        {
            var expected = new sbyte[k];
            float scale = Int8Quantization.Quantize(weight.AsSpan(j * k, k), expected);
            Assert.Equal(scale, matrix.Scales[j]);
            int sum = 0;
            for (int p = 0; p < k; p++)
            {
                Assert.Equal(expected[p], matrix[p, j]);
                sum += expected[p];
            }
            Assert.Equal(sum, matrix.ColumnSums[j]);
        }
        for (int j = n; j < matrix.PaddedN; j++) Assert.Equal(0, matrix.ColumnSums[j]);
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix[k, 0]);
        Assert.Throws<ArgumentException>(() => new QuantizedMatrix(weight, n, k + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new QuantizedMatrix([], 0, 3));
    }

    public static TheoryData<SimdLevel, int> Paths() => new()
    {
        { SimdLevel.Scalar, 1 }, { SimdLevel.Scalar, 2 }, { SimdLevel.Avx2, 1 }, { SimdLevel.Avx2, 2 },
        { SimdLevel.Avx512, 1 }, { SimdLevel.Avx512, 2 },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Multiply_EqualsTheReference_ForEveryShapeAndEpilogue(SimdLevel level, int threads)
    {
        Parallelism.ThreadCount = threads;
        Gemm.ParallelFlops = 0;   // split even the small shapes
        using var simd = SimdPath.Force(level);
        var rng = new Random(11);
        foreach (var (m, n, k) in Shapes)
            foreach (var (beta, withBias, relu) in new[] { (0f, false, false), (1f, true, false), (0f, true, true), (1f, false, true) })
            {
                int lda = k + 3, ldc = n + 2;   // strided rows on both sides
                var a = RandomValues(rng, Math.Max(0, m * lda), 1.5f);
                var matrix = new QuantizedMatrix(RandomValues(rng, n * k, 0.3f), n, k);
                var bias = withBias ? RandomValues(rng, n, 1f) : [];
                var start = RandomValues(rng, Math.Max(0, m * ldc), 1f);
                var actual = (float[])start.Clone();
                var expected = (float[])start.Clone();
                QuantizedGemm.Multiply(m, a, lda, matrix, actual, ldc, beta, bias, relu);
                QuantizedGemm.Reference(m, a, lda, matrix, expected, ldc, beta, bias, relu);
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(expected[i] == actual[i],
                        $"({m}, {n}, {k}) beta {beta} bias {withBias} relu {relu} {level}/{threads}: element {i} is {actual[i]}, expected {expected[i]}");
            }
    }

    /// <summary>Every row count up to 40 mixes full 6-row blocks with 4-row short blocks (1..4, 7 and 8 rows left).</summary>
    [Theory]
    [MemberData(nameof(Paths))]
    public void Multiply_EqualsTheReference_ForEveryRowCount(SimdLevel level, int threads)
    {
        Parallelism.ThreadCount = threads;
        Gemm.ParallelFlops = 0;
        using var simd = SimdPath.Force(level);
        var rng = new Random(17);
        var matrix = new QuantizedMatrix(RandomValues(rng, 33 * 37, 0.3f), 33, 37);
        var bias = RandomValues(rng, 33, 1f);
        for (int m = 1; m <= 40; m++)
        {
            var a = RandomValues(rng, m * 37, 1.5f);
            var start = RandomValues(rng, m * 33, 1f);
            var actual = (float[])start.Clone();
            var expected = (float[])start.Clone();
            QuantizedGemm.Multiply(m, a, 37, matrix, actual, 33, 1f, bias, relu: false);
            QuantizedGemm.Reference(m, a, 37, matrix, expected, 33, 1f, bias, relu: false);
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 4)]
    [InlineData(5, 5)]
    [InlineData(6, 6)]
    [InlineData(7, 4)]
    [InlineData(8, 4)]
    [InlineData(9, 6)]
    [InlineData(32, 6)]
    public void BlockRows_UsesTheShortBlockForTheLastFewRows(int left, int expected) =>
        Assert.Equal(expected, QuantizedGemmWork.BlockRows(left));

    [Fact]
    public void Multiply_IsCloseToTheFloatProduct()
    {
        int m = 33, n = 70, k = 256;
        var rng = new Random(13);
        var a = RandomValues(rng, m * k, 1f);
        var weight = RandomValues(rng, n * k, 0.1f);
        var quantized = new float[m * n];
        QuantizedGemm.Multiply(m, a, k, new QuantizedMatrix(weight, n, k), quantized, n);
        double error = 0, norm = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double exact = 0;
                for (int p = 0; p < k; p++) exact += (double)a[i * k + p] * weight[j * k + p];
                error += Math.Pow(quantized[i * n + j] - exact, 2);
                norm += exact * exact;
            }
        double relative = Math.Sqrt(error / norm);
        Assert.True(relative < 0.015, $"relative RMS error {relative:G3} (uniform values: about 0.006 expected)");
    }

    [Fact]
    public void Multiply_RejectsBadArguments()
    {
        var matrix = new QuantizedMatrix(new float[6], 2, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => QuantizedGemm.Multiply(1, new float[3], 3, matrix, new float[2], 2, beta: 0.5f));
        Assert.Throws<ArgumentException>(() => QuantizedGemm.Multiply(1, new float[3], 3, matrix, new float[2], 2, bias: new float[3]));
        Assert.ThrowsAny<ArgumentException>(() => QuantizedGemm.Multiply(2, new float[3], 3, matrix, new float[4], 2));
    }

    private static float[] RandomValues(Random rng, int count, float range)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(rng.NextDouble() * 2 - 1) * range;
        return values;
    }
}
