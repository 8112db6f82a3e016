using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

/// <summary>
/// One <see cref="AttentionProblem"/> laid out in flat arrays the way the inference layers lay it out:
/// <list type="bullet">
/// <item>keys by position: one fused projection buffer (sources, max(queries, keys), 3·inner) holding Q|K|V
/// side by side, so Q, K and V share row and position strides;</item>
/// <item>transposed keys: Q (rows, queries, inner), K (sources, heads, headDim, depth) with depth a multiple of
/// 16 ≥ keys whose padding columns hold <see cref="Garbage"/>, V (sources, keys, inner).</item>
/// </list>
/// Out (rows, queries, inner + 2) and Weights (rows, heads, queries·keys + 3) have padding that starts as NaN
/// and must stay NaN. Inner = heads · headDim; sources = rows, or one past the largest of <see cref="KeyRows"/>.
/// </summary>
/// <param name="Mask">Give each source row a padding mask (about a quarter of the keys masked).</param>
/// <param name="FullyMaskedSource">A source row whose every key is masked, or -1.</param>
/// <param name="Bias">Add an additive bias (heads, queries, keys).</param>
/// <param name="KeyRows">Source row of each row's keys, values and mask, or null for row r reading row r.</param>
/// <param name="ExtraDepth">Padding columns beyond the next multiple of 16 (transposed keys only).</param>
/// <param name="Garbage">What the padding columns of transposed keys hold: it must not reach the results.</param>
/// <param name="Format">How K and V are stored: bfloat16 rounds the same random values (transposed keys only).</param>
internal sealed unsafe record AttentionCase(int Rows, int Heads, int HeadDim, int Queries, int Keys,
    bool KeysTransposed = false, bool Mask = false, int FullyMaskedSource = -1, bool Bias = false,
    int[]? KeyRows = null, bool Weights = true, int ExtraDepth = 0, float Garbage = float.NaN,
    KeyValueFormat Format = KeyValueFormat.Float32)
{
    private const int OutPad = 2, WeightsPad = 3;

    public float[] QBuffer = [], KBuffer = [], VBuffer = [];
    public ushort[] KNarrowed = [], VNarrowed = [];
    public float[]? MaskValues, BiasValues;
    public long QOffset, KOffset, VOffset;
    public long QRow, QPosition, KRow, KHead, KPosition, KDepth, VRow, VPosition;

    public int Inner => Heads * HeadDim;
    public int Sources => KeyRows is null ? Rows : Math.Max(Rows, KeyRows.Max() + 1);
    public long OutPosition => Inner + OutPad;
    public long OutRow => Queries * OutPosition;
    public long WeightsHead => (long)Queries * Keys + WeightsPad;
    public long WeightsRow => Heads * WeightsHead;

    /// <summary>Allocates and fills the operands from <paramref name="seed"/>.</summary>
    public AttentionCase Build(int seed)
    {
        var random = new Random(seed);
        if (KeysTransposed) BuildTransposed(random);
        else BuildFused(random);
        if (Mask)
        {
            MaskValues = new float[Sources * Keys];
            for (int i = 0; i < MaskValues.Length; i++)
                MaskValues[i] = i / Keys == FullyMaskedSource || random.Next(4) == 0 ? 1f : 0f;
        }
        if (Bias) BiasValues = Uniform(random, Heads * Queries * Keys);
        if (Format == KeyValueFormat.BFloat16)
        {
            (KNarrowed, VNarrowed) = (new ushort[KBuffer.Length], new ushort[VBuffer.Length]);
            BFloat16.Narrow(KBuffer, KNarrowed);
            BFloat16.Narrow(VBuffer, VNarrowed);
        }
        return this;
    }

    private void BuildFused(Random random)
    {
        int positions = Math.Max(Queries, Keys), width = 3 * Inner;
        QBuffer = KBuffer = VBuffer = Uniform(random, Sources * positions * width);
        (QOffset, KOffset, VOffset) = (0, Inner, 2 * Inner);
        QRow = KRow = VRow = (long)positions * width;
        QPosition = KPosition = VPosition = width;
        KHead = HeadDim;
    }

    private void BuildTransposed(Random random)
    {
        int depth = (Keys + 15) / 16 * 16 + ExtraDepth;
        QBuffer = Uniform(random, Rows * Queries * Inner);
        (QRow, QPosition) = (Queries * Inner, Inner);
        KBuffer = Uniform(random, Sources * Heads * HeadDim * depth);
        for (int i = 0; i < KBuffer.Length; i++)
            if (i % depth >= Keys) KBuffer[i] = Garbage;
        (KRow, KHead, KDepth) = ((long)Heads * HeadDim * depth, (long)HeadDim * depth, depth);
        VBuffer = Uniform(random, Sources * Keys * Inner);
        (VRow, VPosition) = (Keys * Inner, Inner);
    }

    /// <summary>Out and Weights after <see cref="AttentionKernel.Run"/> or, when <paramref name="reference"/>,
    /// <see cref="AttentionKernel.Reference"/>; Weights is empty when the case does not ask for them.</summary>
    public (float[] Out, float[] Weights) Compute(bool reference)
    {
        var output = NaNs(Rows * (int)OutRow);
        var weights = Weights ? NaNs(Rows * (int)WeightsRow) : [];
        fixed (float* q = QBuffer, k = KBuffer, v = VBuffer, o = output, w = weights, mask = MaskValues, bias = BiasValues)
        fixed (ushort* k16 = KNarrowed, v16 = VNarrowed)
        fixed (int* keyRows = KeyRows)
        {
            bool narrow = Format == KeyValueFormat.BFloat16;
            var problem = new AttentionProblem
            {
                Rows = Rows, Heads = Heads, HeadDim = HeadDim, Queries = Queries, Keys = Keys,
                Scale = 1f / MathF.Sqrt(HeadDim), KeysTransposed = KeysTransposed, Format = Format,
                Q = q + QOffset, K = narrow ? k16 + KOffset : k + KOffset, V = narrow ? v16 + VOffset : v + VOffset,
                Out = o, Mask = mask, Bias = bias,
                Weights = Weights ? w : null, KeyRows = keyRows,
                QRow = QRow, QPosition = QPosition, QHead = HeadDim, VHead = HeadDim, KRow = KRow, KHead = KHead, KPosition = KPosition, KDepth = KDepth,
                VRow = VRow, VPosition = VPosition, OutRow = OutRow, OutPosition = OutPosition,
                WeightsRow = WeightsRow, WeightsHead = WeightsHead,
            };
            if (reference) AttentionKernel.Reference(problem);
            else AttentionKernel.Run(problem);
        }
        return (output, weights);
    }

    /// <summary>Offset of weight (r, h, t, j) in the Weights array.</summary>
    public long WeightAt(int r, int h, int t, int j) => r * WeightsRow + h * WeightsHead + (long)t * Keys + j;

    /// <summary>Whether key <paramref name="j"/> of row <paramref name="r"/> is masked.</summary>
    public bool IsMasked(int r, int j) =>
        MaskValues is not null && MaskValues[(KeyRows is null ? r : KeyRows[r]) * Keys + j] != 0f;

    /// <summary>Asserts that <see cref="AttentionKernel.Run"/> agrees with <see cref="AttentionKernel.Reference"/>
    /// to 1e-5 on outputs and weights, and that padding both leave as NaN stays NaN.</summary>
    public void AssertRunMatchesReference(string context = "")
    {
        var expected = Compute(reference: true);
        var actual = Compute(reference: false);
        AssertClose(expected.Out, actual.Out, $"Out of {this} {context}");
        AssertClose(expected.Weights, actual.Weights, $"Weights of {this} {context}");
    }

    private static void AssertClose(float[] expected, float[] actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (float.IsNaN(expected[i]) && float.IsNaN(actual[i])) continue;
            if (Math.Abs(expected[i] - actual[i]) <= 1e-5f) continue;
            Assert.Fail($"[{i}]: expected {expected[i]}, got {actual[i]} for {context}");
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"(rows={Rows}, heads={Heads}, headDim={HeadDim}, queries={Queries}, keys={Keys}, transposed={KeysTransposed}, " +
        $"mask={Mask}/{FullyMaskedSource}, bias={Bias}, keyRows=[{string.Join(",", KeyRows ?? [])}], weights={Weights}, " +
        $"extraDepth={ExtraDepth}, garbage={Garbage}, format={Format}, simd={SimdPath.Current}, threads={Parallelism.ThreadCount})";

    private static float[] NaNs(int length)
    {
        var values = new float[length];
        Array.Fill(values, float.NaN);
        return values;
    }

    private static float[] Uniform(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = random.NextSingle() * 2f - 1f;
        return values;
    }
}
