using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Nn;

public class LuongAttentionTests
{
    private static readonly Tensor Mask = Tensor.FromArray([0, 0, 0, 0, 0, 0, 1, 1], 2, 4);   // lengths 4 and 2

    public static TheoryData<LuongAttentionKind> Kinds => new() { LuongAttentionKind.Dot, LuongAttentionKind.General, LuongAttentionKind.Concat };

    [Fact]
    public void Parameters_DependOnKind()
    {
        string Names(LuongAttentionKind kind, int queryDim) => string.Join(" ",
            new LuongAttention(kind, queryDim, 3, new RandomGenerator(1)).NamedParameters().Select(p => $"{p.Name}{ShapeMath.Format(p.Parameter.Shape)}"));
        Assert.Equal("combine_layer.weight(3, 6)", Names(LuongAttentionKind.Dot, 3));
        Assert.Equal("key_layer.weight(2, 3) combine_layer.weight(2, 5)", Names(LuongAttentionKind.General, 2));
        Assert.Equal("concat_layer.weight(2, 5) energy_layer.weight(1, 2) combine_layer.weight(2, 5)", Names(LuongAttentionKind.Concat, 2));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Weights_SumToOne_AndAreZeroAtPads(LuongAttentionKind kind)
    {
        var attention = new LuongAttention(kind, 3, 3, new RandomGenerator(2));
        var (context, weights) = attention.Forward(RnnTestData.Random(3, -1, 1, 2, 3), RnnTestData.Random(4, -1, 1, 2, 4, 3), null, Mask);
        Assert.Equal([2, 3], context.Shape.ToArray());
        var w = weights.ToArray();
        Assert.Equal(1.0, w[..4].Sum(), 5);
        Assert.Equal(1.0, w[4..].Sum(), 5);
        Assert.Equal(0f, w[6]);
        Assert.Equal(0f, w[7]);
    }

    [Fact]
    public void DotScore_MatchesFormulaInDouble()
    {
        var attention = new LuongAttention(LuongAttentionKind.Dot, 2, 2, new RandomGenerator(5));
        var query = Tensor.FromArray([1f, 2f], 1, 2);
        var memory = Tensor.FromArray([1f, 0f, 0f, 1f, 0.5f, 0.5f], 1, 3, 2);
        var (context, weights) = attention.Forward(query, memory);
        double[] exp = [Math.Exp(1), Math.Exp(2), Math.Exp(1.5)];
        double total = exp.Sum();
        RnnTestData.AssertClose(exp.Select(e => e / total).ToArray(), weights.ToArray(), 1e-6, "weights");
        RnnTestData.AssertClose([(exp[0] + 0.5 * exp[2]) / total, (exp[1] + 0.5 * exp[2]) / total], context.ToArray(), 1e-6, "context");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void GradientsReachQueryMemoryAndParameters(LuongAttentionKind kind)
    {
        int queryDim = kind == LuongAttentionKind.Dot ? 3 : 2;
        var attention = new LuongAttention(kind, queryDim, 3, new RandomGenerator(6));
        GradientCheck.Verify(t => Everything(attention, t[0], t[1]), GradientCheck.RandomInputs(7, -1, 1, [2, queryDim], [2, 4, 3]));
        var query = RnnTestData.Random(8, -1, 1, 2, queryDim);
        var memory = RnnTestData.Random(9, -1, 1, 2, 4, 3);
        GradientCheck.Verify(_ => Everything(attention, query, memory), attention.Parameters().ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void PrecomputedKeys_GiveSameResult(LuongAttentionKind kind)
    {
        var attention = new LuongAttention(kind, 3, 3, new RandomGenerator(10));
        var query = RnnTestData.Random(11, -1, 1, 2, 3);
        var memory = RnnTestData.Random(12, -1, 1, 2, 4, 3);
        var keys = attention.PrecomputeKeys(memory);
        Assert.Equal([2, 4, attention.KeysDim], keys.Shape.ToArray());
        Assert.Equal(attention.Forward(query, memory, null, Mask).Context.ToArray(), attention.Forward(query, memory, keys, Mask).Context.ToArray());
    }

    [Fact]
    public void Combine_IsTanhOfCombineWeightTimesContextThenQuery()
    {
        var attention = new LuongAttention(LuongAttentionKind.General, 2, 3, new RandomGenerator(13));
        var context = RnnTestData.Random(14, -1, 1, 1, 3);
        var query = RnnTestData.Random(15, -1, 1, 1, 2);
        var joined = context.ToArray().Concat(query.ToArray()).Select(v => (double)v).ToArray();
        var expected = RnnTestData.Affine(attention.CombineWeight, null, joined).Select(Math.Tanh).ToArray();
        RnnTestData.AssertClose(expected, attention.Combine(context, query).ToArray(), 1e-6, "h̃");
    }

    [Fact]
    public void DotWithUnequalSizes_IsRejected() =>
        Assert.Contains("LuongAttention", Assert.Throws<ArgumentException>(() => new LuongAttention(LuongAttentionKind.Dot, 2, 3, new RandomGenerator(1))).Message);

    [Fact]
    public void WrongMemoryWidth_NamesModuleAndShapes()
    {
        var attention = new LuongAttention(LuongAttentionKind.General, 2, 3, new RandomGenerator(16));
        var error = Assert.Throws<ShapeMismatchException>(() => attention.Forward(Tensor.Zeros(2, 2), Tensor.Zeros(2, 4, 7)));
        Assert.Contains("LuongAttention", error.Message);
        Assert.Contains("(2, 4, 7)", error.Message);
        Assert.Contains("(*, *, 3)", error.Message);
    }

    /// <summary>Context, weights and the combined state, so one gradient check covers all three.</summary>
    private static Tensor Everything(LuongAttention attention, Tensor query, Tensor memory)
    {
        var (context, weights) = attention.Forward(query, memory, null, Mask);
        return TensorOps.Concat(1, context, weights, attention.Combine(context, query));
    }
}
