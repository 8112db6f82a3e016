using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Nn;

public class LstmCellTests
{
    [Fact]
    public void Parameters_HavePyTorchNamesAndShapes()
    {
        var cell = new LstmCell(3, 5, new RandomGenerator(1));
        Assert.Equal(
            [("weight_ih", "(20, 3)"), ("weight_hh", "(20, 5)"), ("bias_ih", "(20,)"), ("bias_hh", "(20,)")],
            cell.NamedParameters().Select(p => (p.Name, ShapeMath.Format(p.Parameter.Shape))));
    }

    [Fact]
    public void Initialisation_IsUniformWithinOneOverSqrtHidden()
    {
        var cell = new LstmCell(3, 16, new RandomGenerator(2));
        Assert.All(cell.Parameters().SelectMany(p => p.ToArray()), v => Assert.InRange(v, -0.25f, 0.25f));
    }

    [Fact]
    public void Step_MatchesPyTorchFormulasInDouble()
    {
        const int input = 3, hidden = 4, batch = 2;
        var cell = new LstmCell(input, hidden, new RandomGenerator(3));
        var x = RnnTestData.Random(4, -1, 1, batch, input);
        var h = RnnTestData.Random(5, -1, 1, batch, hidden);
        var c = RnnTestData.Random(6, -1, 1, batch, hidden);
        var next = cell.Step(x, new LstmState(h, c));
        var expectedH = new List<double>();
        var expectedC = new List<double>();
        for (int b = 0; b < batch; b++)
        {
            var xb = x.ToArray().Skip(b * input).Take(input).Select(v => (double)v).ToArray();
            var hb = h.ToArray().Skip(b * hidden).Take(hidden).Select(v => (double)v).ToArray();
            var cb = c.ToArray().Skip(b * hidden).Take(hidden).ToArray();
            var gi = RnnTestData.Affine(cell.WeightIh, cell.BiasIh, xb);
            var gh = RnnTestData.Affine(cell.WeightHh, cell.BiasHh, hb);
            for (int j = 0; j < hidden; j++)
            {
                double i = RnnTestData.Sigmoid(gi[j] + gh[j]);
                double f = RnnTestData.Sigmoid(gi[hidden + j] + gh[hidden + j]);
                double g = Math.Tanh(gi[2 * hidden + j] + gh[2 * hidden + j]);
                double o = RnnTestData.Sigmoid(gi[3 * hidden + j] + gh[3 * hidden + j]);
                double cNew = f * cb[j] + i * g;
                expectedC.Add(cNew);
                expectedH.Add(o * Math.Tanh(cNew));
            }
        }
        RnnTestData.AssertClose(expectedH.ToArray(), next.H.ToArray(), 1e-5, "h'");
        RnnTestData.AssertClose(expectedC.ToArray(), next.C.ToArray(), 1e-5, "c'");
    }

    [Fact]
    public void Step_GradientsReachInputsAndState() =>
        GradientCheck.Verify(t => Both(new LstmCell(3, 4, new RandomGenerator(7)).Step(t[0], new LstmState(t[1], t[2]))),
            GradientCheck.RandomInputs(8, -1, 1, [2, 3], [2, 4], [2, 4]));

    [Fact]
    public void Step_GradientsReachParameters()
    {
        var cell = new LstmCell(3, 4, new RandomGenerator(9));
        var inputs = GradientCheck.RandomInputs(10, -1, 1, [2, 3], [2, 4], [2, 4]);
        GradientCheck.Verify(_ => Both(cell.Step(inputs[0], new LstmState(inputs[1], inputs[2]))), cell.Parameters().ToArray());
    }

    [Fact]
    public void Step_WrongInputWidth_NamesModuleAndShapes()
    {
        var cell = new LstmCell(3, 4, new RandomGenerator(11));
        var error = Assert.Throws<ShapeMismatchException>(() => cell.Step(Tensor.Zeros(2, 5), cell.ZeroState(2)));
        Assert.Contains("LstmCell", error.Message);
        Assert.Contains("(2, 5)", error.Message);
        Assert.Contains("(*, 3)", error.Message);
    }

    private static Tensor Both(LstmState state) => TensorOps.Concat(1, state.H, state.C);
}
