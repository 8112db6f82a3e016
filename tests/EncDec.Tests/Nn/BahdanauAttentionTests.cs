using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Nn;

public class BahdanauAttentionTests
{
    private static readonly Tensor Mask = Tensor.FromArray([0, 0, 0, 0, 0, 0, 1, 1], 2, 4);   // lengths 4 and 2

    [Fact]
    public void Parameters_HaveJoeyNmtNames() =>
        Assert.Equal(["key_layer.weight (5, 3)", "query_layer.weight (5, 2)", "energy_layer.weight (1, 5)"],
            new BahdanauAttention(2, 3, 5, new RandomGenerator(1)).NamedParameters()
                .Select(p => $"{p.Name} {ShapeMath.Format(p.Parameter.Shape)}"));

    [Fact]
    public void Weights_SumToOne_AndAreZeroAtPads()
    {
        var attention = new BahdanauAttention(2, 3, 5, new RandomGenerator(2));
        var (context, weights) = attention.Forward(RnnTestData.Random(3, -1, 1, 2, 2), RnnTestData.Random(4, -1, 1, 2, 4, 3), null, Mask);
        Assert.Equal([2, 3], context.Shape.ToArray());
        Assert.Equal([2, 4], weights.Shape.ToArray());
        var w = weights.ToArray();
        Assert.Equal(1.0, w[..4].Sum(), 5);
        Assert.Equal(1.0, w[4..].Sum(), 5);
        Assert.Equal(0f, w[6]);
        Assert.Equal(0f, w[7]);
    }

    [Fact]
    public void Forward_MatchesFormulaInDouble()
    {
        var attention = new BahdanauAttention(2, 3, 5, new RandomGenerator(5));
        var query = RnnTestData.Random(6, -1, 1, 1, 2);
        var memory = RnnTestData.Random(7, -1, 1, 1, 3, 3);
        var (context, _) = attention.Forward(query, memory);
        var q = RnnTestData.Affine(attention.QueryWeight, null, query.ToArray().Select(v => (double)v).ToArray());
        var rows = Enumerable.Range(0, 3).Select(j => RnnTestData.Row(memory, 0, j)).ToArray();
        var scores = rows.Select(h =>
        {
            var k = RnnTestData.Affine(attention.KeyWeight, null, h);
            var e = k.Select((v, i) => Math.Tanh(v + q[i])).ToArray();
            return RnnTestData.Affine(attention.EnergyWeight, null, e)[0];
        }).ToArray();
        var exp = scores.Select(Math.Exp).ToArray();
        var expected = new double[3];
        for (int j = 0; j < 3; j++)
            for (int d = 0; d < 3; d++) expected[d] += exp[j] / exp.Sum() * rows[j][d];
        RnnTestData.AssertClose(expected, context.ToArray(), 1e-5, "context");
    }

    [Fact]
    public void PrecomputedKeys_GiveSameResult()
    {
        var attention = new BahdanauAttention(2, 3, 5, new RandomGenerator(8));
        var query = RnnTestData.Random(9, -1, 1, 2, 2);
        var memory = RnnTestData.Random(10, -1, 1, 2, 4, 3);
        var keys = attention.PrecomputeKeys(memory);
        Assert.Equal([2, 4, 5], keys.Shape.ToArray());
        Assert.Equal(attention.Forward(query, memory, null, Mask).Context.ToArray(), attention.Forward(query, memory, keys, Mask).Context.ToArray());
    }

    [Fact]
    public void GradientsReachQueryMemoryAndParameters()
    {
        var attention = new BahdanauAttention(2, 3, 4, new RandomGenerator(11));
        GradientCheck.Verify(t => Both(attention.Forward(t[0], t[1], null, Mask)), GradientCheck.RandomInputs(12, -1, 1, [2, 2], [2, 4, 3]));
        var query = RnnTestData.Random(13, -1, 1, 2, 2);
        var memory = RnnTestData.Random(14, -1, 1, 2, 4, 3);
        GradientCheck.Verify(_ => Both(attention.Forward(query, memory, attention.PrecomputeKeys(memory), Mask)), attention.Parameters().ToArray());
    }

    [Fact]
    public void WrongMaskShape_NamesModuleAndShapes()
    {
        var attention = new BahdanauAttention(2, 3, 5, new RandomGenerator(15));
        var error = Assert.Throws<ShapeMismatchException>(() => attention.Forward(Tensor.Zeros(2, 2), Tensor.Zeros(2, 4, 3), null, Tensor.Zeros(2, 5)));
        Assert.Contains("BahdanauAttention", error.Message);
        Assert.Contains("(2, 5)", error.Message);
        Assert.Contains("(2, 4)", error.Message);
    }

    private static Tensor Both((Tensor Context, Tensor Weights) result) =>
        TensorOps.Concat(1, result.Context, result.Weights);
}
