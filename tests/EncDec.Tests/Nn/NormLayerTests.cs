using EncDec.Nn;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Nn;

public class NormLayerTests
{
    [Fact]
    public void LayerNorm_StartsAsPlainNormalisation()
    {
        var norm = new LayerNorm(4);
        Assert.Equal(["weight", "bias"], norm.NamedParameters().Select(p => p.Name));
        var y = norm.Forward(Tensor.FromArray([1f, 2f, 3f, 4f], 1, 4)).ToArray();
        double std = Math.Sqrt(1.25 + 1e-5);
        Assert.Equal([-1.5 / std, -0.5 / std, 0.5 / std, 1.5 / std], y.Select(v => (double)v), new ToleranceComparer(1e-5));
    }

    [Fact]
    public void RmsNorm_DividesByRootMeanSquare()
    {
        var norm = new RmsNorm(2);
        Assert.Equal(["weight"], norm.NamedParameters().Select(p => p.Name));
        var y = norm.Forward(Tensor.FromArray([3f, 4f], 2)).ToArray();
        double rms = Math.Sqrt(12.5 + 1e-6);
        Assert.Equal([3 / rms, 4 / rms], y.Select(v => (double)v), new ToleranceComparer(1e-5));
    }

    [Fact]
    public void Gradients_MatchFiniteDifferences_ForInputAndParameters()
    {
        var layerNorm = new LayerNorm(3);
        var rmsNorm = new RmsNorm(3);
        var rng = new RandomGenerator(1);
        rng.FillUniform(layerNorm.Weight.AsSpan(), 0.5f, 1.5f);
        rng.FillUniform(layerNorm.Bias.AsSpan(), -0.5f, 0.5f);
        rng.FillUniform(rmsNorm.Weight.AsSpan(), 0.5f, 1.5f);
        GradientCheck.Verify(t => layerNorm.Forward(t[0]), GradientCheck.RandomInputs(1, -2, 2, [2, 3]));
        GradientCheck.Verify(t => rmsNorm.Forward(t[0]), GradientCheck.RandomInputs(2, -2, 2, [2, 3]));
        var x = GradientCheck.RandomInputs(3, -2, 2, [2, 3])[0];
        GradientCheck.Verify(_ => layerNorm.Forward(x), layerNorm.Parameters().ToArray());
        GradientCheck.Verify(_ => rmsNorm.Forward(x), rmsNorm.Parameters().ToArray());
    }

    [Fact]
    public void WrongDim_NamesModuleAndShape()
    {
        Assert.Contains("LayerNorm: input (2, 5)", Assert.Throws<ShapeMismatchException>(() => new LayerNorm(4).Forward(Tensor.Zeros(2, 5))).Message);
        Assert.Contains("RmsNorm: input (5,)", Assert.Throws<ShapeMismatchException>(() => new RmsNorm(4).Forward(Tensor.Zeros(5))).Message);
    }

    [Fact]
    public void Dropout_IsActiveOnlyInTraining()
    {
        var dropout = new Dropout(0.5f, new RandomGenerator(1));
        var x = Tensor.Ones(1000);
        var trained = dropout.Forward(x).ToArray();
        Assert.All(trained, v => Assert.True(v == 0f || v == 2f));
        Assert.InRange(trained.Count(v => v == 0f), 400, 600);
        dropout.Eval();
        Assert.Same(x, dropout.Forward(x));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(1f, new RandomGenerator(1)));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double value) => 0;
    }
}
