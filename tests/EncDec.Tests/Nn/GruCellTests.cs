using EncDec.Nn;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Nn;

public class GruCellTests
{
    [Fact]
    public void Parameters_HavePyTorchNamesAndShapes()
    {
        var cell = new GruCell(3, 5, new RandomGenerator(1));
        Assert.Equal(
            [("weight_ih", "(15, 3)"), ("weight_hh", "(15, 5)"), ("bias_ih", "(15,)"), ("bias_hh", "(15,)")],
            cell.NamedParameters().Select(p => (p.Name, ShapeMath.Format(p.Parameter.Shape))));
    }

    [Fact]
    public void Step_MatchesPyTorchFormulasInDouble()
    {
        const int input = 3, hidden = 4, batch = 2;
        var cell = new GruCell(input, hidden, new RandomGenerator(3));
        var x = RnnTestData.Random(4, -1, 1, batch, input);
        var h = RnnTestData.Random(5, -1, 1, batch, hidden);
        var next = cell.Step(x, h);
        var expected = new List<double>();
        for (int b = 0; b < batch; b++)
        {
            var xb = x.ToArray().Skip(b * input).Take(input).Select(v => (double)v).ToArray();
            var hb = h.ToArray().Skip(b * hidden).Take(hidden).Select(v => (double)v).ToArray();
            var gi = RnnTestData.Affine(cell.WeightIh, cell.BiasIh, xb);
            var gh = RnnTestData.Affine(cell.WeightHh, cell.BiasHh, hb);
            for (int j = 0; j < hidden; j++)
            {
                double r = RnnTestData.Sigmoid(gi[j] + gh[j]);
                double z = RnnTestData.Sigmoid(gi[hidden + j] + gh[hidden + j]);
                double n = Math.Tanh(gi[2 * hidden + j] + r * gh[2 * hidden + j]);   // r multiplies W_hn h + b_hn
                expected.Add((1 - z) * n + z * hb[j]);
            }
        }
        RnnTestData.AssertClose(expected.ToArray(), next.ToArray(), 1e-5, "h'");
    }

    [Fact]
    public void Step_GradientsReachInputsAndState() =>
        GradientCheck.Verify(t => new GruCell(3, 4, new RandomGenerator(7)).Step(t[0], t[1]),
            GradientCheck.RandomInputs(8, -1, 1, [2, 3], [2, 4]));

    [Fact]
    public void Step_GradientsReachParameters()
    {
        var cell = new GruCell(3, 4, new RandomGenerator(9));
        var inputs = GradientCheck.RandomInputs(10, -1, 1, [2, 3], [2, 4]);
        GradientCheck.Verify(_ => cell.Step(inputs[0], inputs[1]), cell.Parameters().ToArray());
    }

    [Fact]
    public void Step_WrongStateBatch_NamesModuleAndShapes()
    {
        var cell = new GruCell(3, 4, new RandomGenerator(11));
        var error = Assert.Throws<ShapeMismatchException>(() => cell.Step(Tensor.Zeros(2, 3), Tensor.Zeros(3, 4)));
        Assert.Contains("GruCell", error.Message);
        Assert.Contains("(3, 4)", error.Message);
        Assert.Contains("(2, 4)", error.Message);
    }
}
