using EncDec.Nn;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Nn;

public class LinearTests
{
    [Fact]
    public void Parameters_HavePyTorchNamesAndShapes()
    {
        var linear = new Linear(3, 5, new RandomGenerator(1));
        Assert.Equal(["weight", "bias"], linear.NamedParameters().Select(p => p.Name));
        Assert.Equal([5, 3], linear.Weight.Shape.ToArray());
        Assert.Equal([5], linear.Bias!.Shape.ToArray());
        Assert.Equal(["weight"], new Linear(3, 5, bias: false, new RandomGenerator(1)).NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void Init_IsUniformWithinOneOverSqrtFanIn_LikePyTorch()
    {
        var linear = new Linear(64, 200, new RandomGenerator(3));
        float bound = 1f / MathF.Sqrt(64);
        var weight = linear.Weight.ToArray();
        Assert.All(weight, w => Assert.InRange(w, -bound, bound));
        Assert.All(linear.Bias!.ToArray(), b => Assert.InRange(b, -bound, bound));
        // The draws fill the interval: the extremes are close to ±bound, the variance near bound²/3.
        Assert.True(weight.Max() > 0.95f * bound && weight.Min() < -0.95f * bound);
        double variance = weight.Select(w => (double)w * w).Average();
        Assert.InRange(variance, 0.9 * bound * bound / 3, 1.1 * bound * bound / 3);
    }

    [Fact]
    public void Forward_ComputesXWTransposePlusBias_OverLeadingDimensions()
    {
        var linear = new Linear(3, 2, new RandomGenerator(5));
        var x = GradientCheck.RandomInputs(1, -1, 1, [2, 4, 3])[0];
        var y = linear.Forward(x);
        Assert.Equal([2, 4, 2], y.Shape.ToArray());
        for (int b = 0; b < 2; b++)
            for (int t = 0; t < 4; t++)
                for (int o = 0; o < 2; o++)
                {
                    double expected = linear.Bias![o];
                    for (int i = 0; i < 3; i++) expected += x[b, t, i] * linear.Weight[o, i];
                    Assert.Equal(expected, y[b, t, o], 5);
                }
    }

    [Fact]
    public void Forward_AcceptsAVector() => Assert.Equal([2], new Linear(3, 2, new RandomGenerator(5)).Forward(Tensor.Ones(3)).Shape.ToArray());

    [Fact]
    public void Gradients_MatchFiniteDifferences_ForInputAndParameters()
    {
        var linear = new Linear(3, 4, new RandomGenerator(7));
        GradientCheck.Verify(t => linear.Forward(t[0]), GradientCheck.RandomInputs(2, -1, 1, [2, 3, 3]));
        var x = GradientCheck.RandomInputs(3, -1, 1, [2, 3, 3])[0];
        GradientCheck.Verify(_ => linear.Forward(x), linear.Parameters().ToArray());
    }

    [Fact]
    public void SameSeed_GivesSameWeights() =>
        Assert.Equal(new Linear(4, 4, new RandomGenerator(9)).Weight.ToArray(), new Linear(4, 4, new RandomGenerator(9)).Weight.ToArray());

    [Fact]
    public void WrongInputSize_NamesModuleAndShapes()
    {
        var error = Assert.Throws<ShapeMismatchException>(() => new Linear(3, 2, new RandomGenerator(1)).Forward(Tensor.Zeros(2, 4)));
        Assert.Contains("Linear", error.Message);
        Assert.Contains("(2, 4)", error.Message);
        Assert.Contains("(2, 3)", error.Message);
    }
}
