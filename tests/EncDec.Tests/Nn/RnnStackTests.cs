using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Nn;

public class RnnStackTests
{
    [Fact]
    public void LstmParameters_HavePyTorchNamesInPyTorchOrder()
    {
        var lstm = new Lstm(3, 4, 2, bidirectional: true, dropout: 0f, new RandomGenerator(1));
        var names = lstm.NamedParameters().Select(p => $"{p.Name} {ShapeMath.Format(p.Parameter.Shape)}").ToArray();
        Assert.Equal(
        [
            "weight_ih_l0 (16, 3)", "weight_hh_l0 (16, 4)", "bias_ih_l0 (16,)", "bias_hh_l0 (16,)",
            "weight_ih_l0_reverse (16, 3)", "weight_hh_l0_reverse (16, 4)", "bias_ih_l0_reverse (16,)", "bias_hh_l0_reverse (16,)",
            "weight_ih_l1 (16, 8)", "weight_hh_l1 (16, 4)", "bias_ih_l1 (16,)", "bias_hh_l1 (16,)",
            "weight_ih_l1_reverse (16, 8)", "weight_hh_l1_reverse (16, 4)", "bias_ih_l1_reverse (16,)", "bias_hh_l1_reverse (16,)",
        ], names);
    }

    [Fact]
    public void GruParameters_HaveThreeGatesPerRow()
    {
        var gru = new Gru(3, 4, 1, bidirectional: false, dropout: 0f, new RandomGenerator(1));
        Assert.Equal(["weight_ih_l0 (12, 3)", "weight_hh_l0 (12, 4)", "bias_ih_l0 (12,)", "bias_hh_l0 (12,)"],
            gru.NamedParameters().Select(p => $"{p.Name} {ShapeMath.Format(p.Parameter.Shape)}"));
    }

    [Fact]
    public void BidirectionalLstm_OutputsConcatenateDirections_AndReturnsOneStatePerLayerAndDirection()
    {
        var lstm = new Lstm(3, 4, 2, bidirectional: true, dropout: 0f, new RandomGenerator(2));
        var (output, final) = lstm.Forward(RnnTestData.Random(3, -1, 1, 2, 5, 3));
        Assert.Equal([2, 5, 8], output.Shape.ToArray());
        Assert.Equal(4, final.Count);
        Assert.All(final, s => { Assert.Equal([2, 4], s.H.Shape.ToArray()); Assert.Equal([2, 4], s.C.Shape.ToArray()); });
    }

    [Fact]
    public void SingleLayerLstm_EqualsCellUnrolledWithSameWeights()
    {
        var rng = new RandomGenerator(4);
        var lstm = new Lstm(3, 4, 1, bidirectional: false, dropout: 0f, new RandomGenerator(5));
        var cell = new LstmCell(3, 4, rng);
        foreach (var ((_, from), to) in lstm.NamedParameters().Zip(cell.Parameters())) from.AsSpan().CopyTo(to.AsSpan());
        var x = RnnTestData.Random(6, -1, 1, 2, 3, 3);
        var (output, final) = lstm.Forward(x);
        var state = cell.ZeroState(2);
        for (int t = 0; t < 3; t++)
        {
            state = cell.Step(x.Narrow(1, t, 1).Reshape(2, 3), state);
            RnnTestData.AssertClose(state.H.ToArray(), output.Narrow(1, t, 1).ToArray(), 1e-6, $"output at step {t}");
        }
        RnnTestData.AssertClose(state.C.ToArray(), final[0].C.ToArray(), 1e-6, "final c");
    }

    [Fact]
    public void InitialState_IsUsed()
    {
        var gru = new Gru(2, 3, 1, bidirectional: false, dropout: 0f, new RandomGenerator(7));
        var x = RnnTestData.Random(8, -1, 1, 1, 2, 2);
        var fromZero = gru.Forward(x).Output.ToArray();
        var fromOnes = gru.Forward(x, null, [Tensor.Ones(1, 3)]).Output.ToArray();
        Assert.NotEqual(fromZero, fromOnes);
    }

    [Fact]
    public void Dropout_ActsBetweenLayersOnlyInTraining()
    {
        var lstm = new Lstm(2, 3, 2, bidirectional: false, dropout: 0.5f, new RandomGenerator(9));
        var x = RnnTestData.Random(10, -1, 1, 2, 3, 2);
        lstm.Eval();
        var first = lstm.Forward(x).Output.ToArray();
        Assert.Equal(first, lstm.Forward(x).Output.ToArray());
        lstm.Train();
        Assert.NotEqual(first, lstm.Forward(x).Output.ToArray());
    }

    [Fact]
    public void BidirectionalTwoLayerLstm_GradientsReachInputsAndParameters()
    {
        var lstm = new Lstm(2, 3, 2, bidirectional: true, dropout: 0f, new RandomGenerator(11));
        var mask = RnnTestData.LengthMask(3, 3, 2);
        GradientCheck.Verify(t => LstmAll(lstm, t[0], mask), GradientCheck.RandomInputs(12, -1, 1, [2, 3, 2]));
        var x = RnnTestData.Random(13, -1, 1, 2, 3, 2);
        GradientCheck.Verify(_ => LstmAll(lstm, x, mask), lstm.Parameters().ToArray());
    }

    [Fact]
    public void BidirectionalTwoLayerGru_GradientsReachInputsAndParameters()
    {
        var gru = new Gru(2, 3, 2, bidirectional: true, dropout: 0f, new RandomGenerator(14));
        var mask = RnnTestData.LengthMask(3, 3, 2);
        GradientCheck.Verify(t => GruAll(gru, t[0], mask), GradientCheck.RandomInputs(15, -1, 1, [2, 3, 2]));
        var x = RnnTestData.Random(16, -1, 1, 2, 3, 2);
        GradientCheck.Verify(_ => GruAll(gru, x, mask), gru.Parameters().ToArray());
    }

    [Fact]
    public void InitialState_ReceivesGradient() =>
        GradientCheck.Verify(t => GruAllFrom(new Gru(2, 3, 1, false, 0f, new RandomGenerator(17)), t[0], t[1]),
            GradientCheck.RandomInputs(18, -1, 1, [2, 3, 2], [2, 3]));

    [Fact]
    public void WrongInputWidth_NamesModuleAndShapes()
    {
        var lstm = new Lstm(3, 4, 1, bidirectional: false, dropout: 0f, new RandomGenerator(19));
        var error = Assert.Throws<ShapeMismatchException>(() => lstm.Forward(Tensor.Zeros(2, 5, 7)));
        Assert.Contains("Lstm", error.Message);
        Assert.Contains("(2, 5, 7)", error.Message);
        Assert.Contains("(*, *, 3)", error.Message);
    }

    [Fact]
    public void WrongMaskShape_NamesModuleAndShapes()
    {
        var gru = new Gru(3, 4, 1, bidirectional: false, dropout: 0f, new RandomGenerator(20));
        var error = Assert.Throws<ShapeMismatchException>(() => gru.Forward(Tensor.Zeros(2, 5, 3), Tensor.Ones(2, 4)));
        Assert.Contains("Gru", error.Message);
        Assert.Contains("(2, 4)", error.Message);
        Assert.Contains("(2, 5)", error.Message);
    }

    /// <summary>Outputs and every final h and c, concatenated, so one gradient check covers all of them.</summary>
    private static Tensor LstmAll(Lstm lstm, Tensor x, Tensor mask)
    {
        var (output, final) = lstm.Forward(x, mask);
        var parts = new List<Tensor> { output.Reshape(-1) };
        foreach (var s in final) { parts.Add(s.H.Reshape(-1)); parts.Add(s.C.Reshape(-1)); }
        return TensorOps.Concat(0, parts.ToArray());
    }

    private static Tensor GruAll(Gru gru, Tensor x, Tensor mask)
    {
        var (output, final) = gru.Forward(x, mask);
        return TensorOps.Concat(0, [output.Reshape(-1), .. final.Select(h => h.Reshape(-1))]);
    }

    private static Tensor GruAllFrom(Gru gru, Tensor x, Tensor initial)
    {
        var (output, final) = gru.Forward(x, null, [initial]);
        return TensorOps.Concat(0, output.Reshape(-1), final[0].Reshape(-1));
    }
}
