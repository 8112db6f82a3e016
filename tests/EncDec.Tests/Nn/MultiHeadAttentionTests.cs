using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Nn;

public class MultiHeadAttentionTests
{
    private const int Batch = 2, TgtLen = 3, SrcLen = 4, DModel = 4, Heads = 2;

    private static MultiHeadAttention Create(bool scaled = true, float dropout = 0f, ulong seed = 5) =>
        new(DModel, Heads, new RandomGenerator(seed), bias: true, dropout: dropout, scaled: scaled);

    private static Tensor Random(int seed, params int[] shape) => GradientCheck.RandomInputs(seed, -1, 1, shape)[0];

    /// <summary>(batch, srcLen): sequence 0 has all 4 keys, sequence 1 has 2 and 2 pads.</summary>
    private static Tensor PaddingMask() => Tensor.FromArray([0, 0, 0, 0, 0, 0, 1, 1], Batch, SrcLen);

    [Fact]
    public void Parameters_HaveBartNames()
    {
        Assert.Equal(
            ["q_proj.weight", "q_proj.bias", "k_proj.weight", "k_proj.bias", "v_proj.weight", "v_proj.bias", "out_proj.weight", "out_proj.bias"],
            Create().NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void Forward_ReturnsOutputAndWeights_WithDocumentedShapes_AndRowsSumToOne()
    {
        var (output, weights) = Create().Forward(Random(1, Batch, TgtLen, DModel), Random(2, Batch, SrcLen, DModel),
            Random(3, Batch, SrcLen, DModel), PaddingMask(), returnWeights: true);
        Assert.Equal([Batch, TgtLen, DModel], output.Shape.ToArray());
        Assert.Equal([Batch, Heads, TgtLen, SrcLen], weights!.Shape.ToArray());
        var rowSums = weights.Sum(-1).ToArray();
        Assert.All(rowSums, s => Assert.Equal(1.0, s, 5));
        for (int h = 0; h < Heads; h++)
            for (int t = 0; t < TgtLen; t++)
                Assert.Equal(0f, weights[1, h, t, 2] + weights[1, h, t, 3]);
    }

    [Fact]
    public void WeightsAreOmitted_UnlessRequested() =>
        Assert.Null(Create().Forward(Random(1, 1, 2, DModel), Random(2, 1, 2, DModel), Random(2, 1, 2, DModel)).Weights);

    [Fact]
    public void PaddedKeys_DoNotInfluenceTheOutputAtAll()
    {
        var attention = Create();
        var query = Random(1, Batch, TgtLen, DModel);
        var memory = Random(2, Batch, SrcLen, DModel);
        var before = attention.Forward(query, memory, memory, PaddingMask()).Output.ToArray();
        var changed = memory.ToArray();
        for (int s = 2; s < SrcLen; s++)
            for (int d = 0; d < DModel; d++) changed[(SrcLen + s) * DModel + d] = 100f + s * d;   // batch 1, padded keys
        var changedMemory = Tensor.FromArray(changed, Batch, SrcLen, DModel);
        Assert.Equal(before, attention.Forward(query, changedMemory, changedMemory, PaddingMask()).Output.ToArray());
    }

    [Fact]
    public void FullyMaskedRow_GivesUniformWeights_NotNaN()
    {
        var x = Random(5, 1, 2, DModel);
        var weights = Create().Forward(x, x, x, Tensor.Ones(1, 2), returnWeights: true).Weights!;
        Assert.All(weights.ToArray(), w => Assert.Equal(0.5f, w));
    }

    [Fact]
    public void Causal_OutputAtT_IgnoresLaterPositions()
    {
        var attention = Create();
        var x = Random(4, 1, 4, DModel);
        var before = attention.Forward(x, x, x, causal: true).Output.ToArray();
        var changed = x.ToArray();
        for (int i = 2 * DModel; i < changed.Length; i++) changed[i] += 3f;   // positions 2 and 3
        var y = Tensor.FromArray(changed, 1, 4, DModel);
        var after = attention.Forward(y, y, y, causal: true).Output.ToArray();
        Assert.Equal(before.Take(2 * DModel), after.Take(2 * DModel));
        Assert.NotEqual(before.Skip(2 * DModel), after.Skip(2 * DModel));
    }

    [Fact]
    public void Attend_WithCachedKeyValues_MatchesForward_AndCausalAlignsToTheEnd()
    {
        var attention = Create();
        var x = Random(6, 1, 4, DModel);
        var full = attention.Forward(x, x, x, causal: true).Output;
        var (k, v) = attention.ProjectKeyValue(x);
        Assert.Equal([1, Heads, 4, DModel / Heads], k.Shape.ToArray());
        var lastQuery = x.Narrow(1, 3, 1);
        var step = attention.Attend(lastQuery, k, v, causal: true).Output;   // query 0 of 1 sits at key position 3
        for (int d = 0; d < DModel; d++) Assert.Equal(full[0, 3, d], step[0, 0, d], 5);
    }

    [Fact]
    public void PositionBias_IsAddedToScores_AndScalingCanBeTurnedOff()
    {
        var attention = Create(scaled: false);
        var query = Random(1, 1, 2, DModel);
        var memory = Random(2, 1, 3, DModel);
        // A huge bias on key 1 makes every query attend to key 1 only.
        var bias = new float[Heads * 2 * 3];
        for (int i = 1; i < bias.Length; i += 3) bias[i] = 1000f;
        var weights = attention.Forward(query, memory, memory, positionBias: Tensor.FromArray(bias, 1, Heads, 2, 3),
            returnWeights: true).Weights!;
        Assert.All(Enumerable.Range(0, Heads * 2), row => Assert.Equal(1f, weights.ToArray()[row * 3 + 1]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Weights_AreSoftmaxOfQueryKeyProducts_ScaledBySqrtHeadDimUnlessUnscaled(bool scaled)
    {
        var attention = Create(scaled: scaled);
        var x = Random(3, 1, 3, DModel);
        var weights = attention.Forward(x, x, x, returnWeights: true).Weights!;
        // Recompute every head's weights by hand from the projections: softmax(q kᵀ · s).
        var q = ((Linear)attention.NamedModules().Single(m => m.Name == "q_proj").Module).Forward(x);   // (1, 3, dModel)
        var (k, _) = attention.ProjectKeyValue(x);                                                       // (1, heads, 3, headDim)
        int headDim = DModel / Heads;
        double scale = scaled ? 1 / Math.Sqrt(headDim) : 1;
        for (int h = 0; h < Heads; h++)
            for (int t = 0; t < 3; t++)
            {
                var scores = new double[3];
                for (int s = 0; s < 3; s++)
                    for (int d = 0; d < headDim; d++) scores[s] += scale * q[0, t, h * headDim + d] * k[0, h, s, d];
                double max = scores.Max(), sum = scores.Sum(z => Math.Exp(z - max));
                for (int s = 0; s < 3; s++) Assert.Equal(Math.Exp(scores[s] - max) / sum, weights[0, h, t, s], 5);
            }
    }

    [Fact]
    public void Gradients_MatchFiniteDifferences_ForInputsBiasAndParameters()
    {
        var attention = Create();
        var mask = PaddingMask();
        GradientCheck.Verify(t => attention.Forward(t[0], t[1], t[2], mask, positionBias: t[3]).Output,
            GradientCheck.RandomInputs(7, -1, 1, [Batch, TgtLen, DModel], [Batch, SrcLen, DModel], [Batch, SrcLen, DModel], [1, Heads, TgtLen, SrcLen]));
        var query = Random(8, Batch, TgtLen, DModel);
        var memory = Random(9, Batch, SrcLen, DModel);
        GradientCheck.Verify(_ => attention.Forward(query, memory, memory, mask).Output, attention.Parameters().ToArray());
        var x = Random(10, 1, 3, DModel);
        GradientCheck.Verify(_ => attention.Forward(x, x, x, causal: true).Output, attention.Parameters().ToArray());
    }

    [Fact]
    public void SameSeed_IsFullyDeterministic_IncludingDropout()
    {
        var x = Random(11, 1, 3, DModel);
        var a = Create(dropout: 0.3f, seed: 42).Forward(x, x, x).Output.ToArray();
        var b = Create(dropout: 0.3f, seed: 42).Forward(x, x, x).Output.ToArray();
        Assert.Equal(a, b);
    }

    [Fact]
    public void Errors_NameTheModuleAndShapes()
    {
        Assert.Contains("dModel 6 is not divisible by heads 4",
            Assert.Throws<ArgumentException>(() => new MultiHeadAttention(6, 4, new RandomGenerator(1))).Message);
        var attention = Create();
        var error = Assert.Throws<ShapeMismatchException>(() => attention.Forward(Tensor.Zeros(1, 2, 5), Tensor.Zeros(1, 2, 4), Tensor.Zeros(1, 2, 4)));
        Assert.Contains("MultiHeadAttention: query (1, 2, 5)", error.Message);
        error = Assert.Throws<ShapeMismatchException>(() =>
            attention.Forward(Tensor.Zeros(2, 3, 4), Tensor.Zeros(2, 4, 4), Tensor.Zeros(2, 4, 4), Tensor.Zeros(2, 3)));
        Assert.Contains("keyPaddingMask (2, 3)", error.Message);
        error = Assert.Throws<ShapeMismatchException>(() =>
            attention.Forward(Tensor.Zeros(2, 3, 4), Tensor.Zeros(2, 4, 4), Tensor.Zeros(2, 4, 4), positionBias: Tensor.Zeros(1, 2, 4, 3)));
        Assert.Contains("positionBias (1, 2, 4, 3)", error.Message);
    }

    [Fact]
    public void HeadDim_CanDifferFromDModelOverHeads_LikeT5()
    {
        var attention = new MultiHeadAttention(4, 3, new RandomGenerator(1), bias: false, scaled: false, headDim: 2);
        Assert.Equal([6, 4], attention.Parameters().First().Shape.ToArray());
        var x = Random(1, 1, 2, 4);
        Assert.Equal([1, 2, 4], attention.Forward(x, x, x).Output.Shape.ToArray());
    }
}
