using EncDec.Kernels;
using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Operations;

/// <summary>
/// <see cref="AttentionOp"/> against the same attention composed of separate operations (scale, MatMul, Add, MaskedFill,
/// Softmax, dropout factors, MatMul, Permute, Reshape): outputs, weights and every gradient, with masks, causality,
/// shared and per-row biases that take gradients, dropout, heads split off projections (the op then writes their
/// gradient straight into the projection's), two operands split off one fused projection, the same tensor twice and one
/// projection read in two layouts;
/// plus finite differences and the shape checks.
/// </summary>
public sealed class AttentionOpTests
{
    public static TheoryData<SimdLevel> Levels() => new(SimdPath.Available);

    /// <summary>One attention case; operands are split views of (batch, len, heads · headDim) projections.</summary>
    private sealed record Case(int Batch, int Heads, int HeadDim, int Queries, int Keys, bool Mask = false, bool Causal = false,
        int BiasBatch = 0, bool Dropout = false, bool FusedKeyValue = false, bool SameQueryKey = false, bool KeyReshapedFromQuery = false)
    {
        public override string ToString() =>
            $"({Batch}, {Heads}, {Queries}x{Keys}, d{HeadDim}) mask {Mask} causal {Causal} bias {BiasBatch} dropout {Dropout} fused {FusedKeyValue} same {SameQueryKey} reshaped {KeyReshapedFromQuery}";
    }

    private static IEnumerable<Case> Cases() =>
    [
        new(2, 3, 8, 4, 6),
        new(2, 2, 16, 5, 5, Mask: true),
        new(3, 2, 5, 3, 7, Causal: true),
        new(2, 4, 16, 6, 6, Causal: true, BiasBatch: 1),
        new(2, 2, 24, 3, 9, Mask: true, BiasBatch: 2),
        new(2, 2, 16, 5, 8, Mask: true, Dropout: true),
        new(1, 3, 64, 30, 30, Causal: true, Dropout: true, BiasBatch: 1),
        new(2, 2, 16, 6, 6, FusedKeyValue: true),
        new(2, 2, 8, 5, 5, SameQueryKey: true, Mask: true),
        new(2, 2, 8, 5, 5, KeyReshapedFromQuery: true),
        new(1, 1, 1, 1, 1),
        new(2, 2, 3, 17, 33, Mask: true, Causal: true),
    ];

    [Theory]
    [MemberData(nameof(Levels))]
    public void ForwardAndGradients_MatchTheComposedOperations(SimdLevel level)
    {
        using var _ = SimdPath.Force(level);
        int seed = 0;
        foreach (var c in Cases())
        {
            var fused = Run(c, seed, composed: false);
            var reference = Run(c, seed, composed: true);
            seed++;
            for (int i = 0; i < reference.Length; i++)
                OpTestData.AssertClose(reference[i].Select(x => (double)x).ToArray(), fused[i], 2e-5, 2e-6, $"{c}, result {i}");
        }
    }

    [Fact]
    public void Gradients_MatchFiniteDifferences()
    {
        int batch = 2, heads = 2, dim = 3, queries = 3, keys = 4;
        var mask = Tensor.FromArray([0f, 0, 0, 1, 0, 1, 0, 0], batch, keys);
        var dropout = DropoutFactors(5, batch, heads, queries, keys);
        GradientCheck.Verify(t => AttentionOp.Forward(Split(t[0], heads), Split(t[1], heads), Split(t[2], heads), 0.6f, mask,
                causal: true, t[3], dropout, out _),
            GradientCheck.RandomInputs(3, -1, 1, [batch, queries, heads * dim], [batch, keys, heads * dim], [batch, keys, heads * dim],
                [1, heads, queries, keys]));
    }

    [Fact]
    public void Backward_AddsToGradientsThatAlreadyExist()
    {
        var c = new Case(2, 2, 8, 4, 5, Mask: true);
        var once = Run(c, 1, composed: false);
        var twice = Run(c, 1, composed: false, backwardPasses: 2);
        for (int i = 1; i < once.Length; i++)
            OpTestData.AssertClose(once[i].Select(x => 2.0 * x).ToArray(), twice[i], 1e-6, 1e-7, $"gradient {i}");
    }

    [Fact]
    public void Weights_AreTheSoftmaxBeforeDropout_AndTakeNoGradient()
    {
        var (q, k, v) = (Split(Tensor.Ones([1, 2, 4]), 2), Split(Tensor.Ones([1, 3, 4]), 2), Split(Tensor.Ones([1, 3, 4]), 2));
        var mask = Tensor.FromArray([0f, 1, 0], 1, 3);
        AttentionOp.Forward(q, k, v, 1f, mask, causal: false, null, DropoutFactors(1, 1, 2, 2, 3), out var weights);
        Assert.Equal(new[] { 1, 2, 2, 3 }, weights.Shape.ToArray());
        Assert.Equal(new[] { 0.5f, 0f, 0.5f }, weights.ToArray()[..3]);
        Assert.False(weights.RequiresGrad);
    }

    [Fact]
    public void EmptyHeads_GiveAnEmptyOutput_AndWeightsOverTheVisibleKeys()
    {
        var (q, k, v) = (Tensor.Zeros([1, 1, 2, 0]), Tensor.Zeros([1, 1, 3, 0]), Tensor.Zeros([1, 1, 3, 0]));
        var output = AttentionOp.Forward(q, k, v, 1f, null, causal: true, null, null, out var weights);
        Assert.Equal(new[] { 1, 2, 0 }, output.Shape.ToArray());
        Assert.Equal(new[] { 0.5f, 0.5f, 0f, 1f / 3, 1f / 3, 1f / 3 }, weights.ToArray(), (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void Forward_RejectsMismatchedShapes_NamingThem()
    {
        Tensor Heads(int len) => Tensor.Zeros([2, 3, len, 4]);
        var error = Assert.Throws<ShapeMismatchException>(() => AttentionOp.Forward(Heads(5), Tensor.Zeros([2, 3, 6, 5]), Heads(6), 1f, null, false, null, null, out _));
        Assert.Contains("(2, 3, 6, 5)", error.Message);
        Assert.Throws<ShapeMismatchException>(() => AttentionOp.Forward(Tensor.Zeros([2, 5, 12]), Heads(6), Heads(6), 1f, null, false, null, null, out _));
        error = Assert.Throws<ShapeMismatchException>(() => AttentionOp.Forward(Heads(5), Heads(6), Heads(6), 1f, Tensor.Zeros([2, 5]), false, null, null, out _));
        Assert.Contains("keyPaddingMask (2, 5)", error.Message);
        Assert.Throws<ArgumentException>(() => AttentionOp.Forward(Heads(7), Heads(6), Heads(6), 1f, null, true, null, null, out _));
        error = Assert.Throws<ShapeMismatchException>(() => AttentionOp.Forward(Heads(5), Heads(6), Heads(6), 1f, null, false, Tensor.Zeros([1, 3, 6, 5]), null, out _));
        Assert.Contains("positionBias (1, 3, 6, 5)", error.Message);
        error = Assert.Throws<ShapeMismatchException>(() => AttentionOp.Forward(Heads(5), Heads(6), Heads(6), 1f, null, false, null, Tensor.Zeros([2, 3, 5, 5]), out _));
        Assert.Contains("dropout factors (2, 3, 5, 5)", error.Message);
    }

    /// <summary>The output, then the gradients of the projections (q, k, v) and of the bias, after backward from
    /// sum(output · w) (<paramref name="backwardPasses"/> times, gradients not cleared in between).</summary>
    private static float[][] Run(Case c, int seed, bool composed, int backwardPasses = 1)
    {
        var random = new Random(seed);
        Tensor Leaf(params int[] shape)
        {
            var values = Enumerable.Range(0, ShapeMath.Count(shape)).Select(_ => random.NextSingle() * 2f - 1f).ToArray();
            var leaf = Tensor.FromArray(values, shape);
            leaf.RequiresGrad = true;
            return leaf;
        }
        int inner = c.Heads * c.HeadDim;
        var queryProjection = Leaf(c.Batch, c.Queries, inner);
        var keyValueProjection = Leaf(c.Batch, c.Keys, 2 * inner);   // used when FusedKeyValue
        var keyProjection = Leaf(c.Batch, c.Keys, inner);
        var valueProjection = Leaf(c.Batch, c.Keys, inner);
        var bias = c.BiasBatch > 0 ? Leaf(c.BiasBatch, c.Heads, c.Queries, c.Keys) : null;
        var mask = c.Mask ? Tensor.FromArray(Enumerable.Range(0, c.Batch * c.Keys).Select(_ => random.Next(3) == 0 ? 1f : 0f).ToArray(), c.Batch, c.Keys) : null;
        var dropout = c.Dropout ? DropoutFactors(seed, c.Batch, c.Heads, c.Queries, c.Keys) : null;
        var weights = Enumerable.Range(0, c.Batch * c.Queries * inner).Select(_ => random.NextSingle()).ToArray();

        var q = Split(queryProjection, c.Heads);
        Tensor k, v;
        if (c.FusedKeyValue)
        {
            // K and V side by side in one projection: both views share an owner for their gradients.
            var heads = keyValueProjection.Reshape(c.Batch, c.Keys, 2, c.Heads, c.HeadDim);
            k = heads.Narrow(2, 0, 1).Reshape(c.Batch, c.Keys, c.Heads, c.HeadDim).Permute(0, 2, 1, 3);
            v = heads.Narrow(2, 1, 1).Reshape(c.Batch, c.Keys, c.Heads, c.HeadDim).Permute(0, 2, 1, 3);
        }
        else
        {
            // The same projection read as keys in another layout: one gradient owner, different elements per head.
            k = c.SameQueryKey ? q
                : c.KeyReshapedFromQuery ? queryProjection.Reshape(c.Batch, c.Heads, c.Queries, c.HeadDim)
                : Split(keyProjection, c.Heads);
            v = Split(valueProjection, c.Heads);
        }
        float scale = 1f / MathF.Sqrt(c.HeadDim);
        var output = composed ? Composed(q, k, v, scale, mask, c.Causal, bias, dropout)
            : AttentionOp.Forward(q, k, v, scale, mask, c.Causal, bias, dropout, out _);
        for (int pass = 0; pass < backwardPasses; pass++) output.Backward(Tensor.FromArray(weights, output.Shape.ToArray()));
        float[] Grad(Tensor t) => t.Grad?.ToArray() ?? new float[t.Count];
        return
        [
            output.ToArray(), Grad(queryProjection), Grad(c.FusedKeyValue ? keyValueProjection : keyProjection), Grad(valueProjection),
            bias is null ? [] : Grad(bias),
        ];
    }

    private static Tensor Composed(Tensor q, Tensor k, Tensor v, float scale, Tensor? mask, bool causal, Tensor? bias, Tensor? dropout)
    {
        int batch = q.Dim(0), heads = q.Dim(1), queries = q.Dim(2), keys = k.Dim(2);
        var scores = q.Multiply(scale).MatMul(k, transposeB: true);
        if (bias is not null) scores = scores.Add(bias);
        if (mask is not null) scores = scores.MaskedFill(mask.Reshape(batch, 1, 1, keys), MultiHeadAttention.MaskValue);
        if (causal)
        {
            var later = new float[queries * keys];
            for (int t = 0; t < queries; t++)
                for (int j = keys - queries + t + 1; j < keys; j++) later[t * keys + j] = 1f;
            scores = scores.MaskedFill(Tensor.FromArray(later, queries, keys), MultiHeadAttention.MaskValue);
        }
        var attended = scores.Softmax(-1);
        if (dropout is not null) attended = attended.Multiply(dropout);
        return attended.MatMul(v).Permute(0, 2, 1, 3).Reshape(batch, queries, heads * q.Dim(3));
    }

    /// <summary>(batch, len, heads · headDim) → the (batch, heads, len, headDim) view.</summary>
    private static Tensor Split(Tensor projection, int heads) =>
        projection.Reshape(projection.Dim(0), projection.Dim(1), heads, projection.Dim(2) / heads).Permute(0, 2, 1, 3);

    private static Tensor DropoutFactors(int seed, params int[] shape)
    {
        var random = new Random(seed + 100);
        return Tensor.FromArray(Enumerable.Range(0, ShapeMath.Count(shape)).Select(_ => random.Next(4) == 0 ? 0f : 4f / 3f).ToArray(), shape);
    }
}
