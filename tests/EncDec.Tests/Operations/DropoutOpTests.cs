using EncDec.Autograd;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Operations;

public class DropoutOpTests
{
    [Fact]
    public void ZeroProbabilityOrEvaluation_ReturnsTheSameTensorWithoutDrawing()
    {
        var x = Tensor.Ones(3, 4);
        var rng = new RandomGenerator(1);
        var before = rng.GetState();
        Assert.Same(x, x.Dropout(0f, rng));
        Assert.Same(x, x.Dropout(0.5f, rng, training: false));
        Assert.Equal(before, rng.GetState());
    }

    [Theory]
    [InlineData(-0.1f)]
    [InlineData(1f)]
    [InlineData(float.NaN)]
    public void ProbabilityOutsideZeroToOne_Throws(float p)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Ones(2, 2).Dropout(p, new RandomGenerator(1)));
        Assert.Contains("Dropout", error.Message);
        Assert.Contains("[0, 1)", error.Message);
    }

    [Fact]
    public void Mask_IsTheBernoulliDrawOfTheSameSeed_ScaledByInverseKeep()
    {
        var x = GradientCheck.RandomInputs(1, 1f, 2f, [5, 7])[0];
        var y = x.Dropout(0.4f, new RandomGenerator(99));
        var keep = new float[35];
        new RandomGenerator(99).FillBernoulli(keep, 0.6f);
        var xs = x.ToArray();
        var ys = y.ToArray();
        for (int i = 0; i < 35; i++) Assert.Equal(keep[i] * xs[i] * (1f / 0.6f), ys[i], 1e-6f);
        Assert.Contains(0f, ys);
        Assert.Contains(ys, v => v != 0f);
    }

    [Fact]
    public void SameSeed_GivesSameMask() =>
        Assert.Equal(Tensor.Ones(64).Dropout(0.5f, new RandomGenerator(3)).ToArray(),
            Tensor.Ones(64).Dropout(0.5f, new RandomGenerator(3)).ToArray());

    [Fact]
    public void Backward_MultipliesByTheSavedMask()
    {
        var x = Tensor.Ones(6, 5);
        x.RequiresGrad = true;
        var y = x.Dropout(0.3f, new RandomGenerator(21));
        var dy = GradientCheck.RandomInputs(2, -1f, 1f, [6, 5])[0];
        y.Backward(dy);
        var mask = y.ToArray();                                   // x is ones, so y is the scaled mask
        var expected = dy.ToArray().Select((g, i) => g * mask[i]).ToArray();
        Assert.Equal(expected, x.Grad!.ToArray());
        y.Backward(dy);                                           // backward accumulates
        Assert.Equal(expected.Select(g => 2 * g).ToArray(), x.Grad!.ToArray());
    }

    [Fact]
    public void Gradients_MatchFiniteDifferences() =>
        GradientCheck.Verify(t => t[0].Dropout(0.3f, new RandomGenerator(5)), GradientCheck.RandomInputs(3, -1f, 1f, [4, 6]));

    [Fact]
    public void OnTransposedInput_GradientsMatch() =>
        GradientCheck.Verify(t => t[0].Transpose().Dropout(0.5f, new RandomGenerator(6)) * t[1],
            GradientCheck.RandomInputs(4, -1f, 1f, [5, 3], [3, 5]));

    [Fact]
    public void Expectation_IsPreserved()
    {
        var y = Tensor.Ones(100_000).Dropout(0.3f, new RandomGenerator(8)).ToArray();
        Assert.Equal(1.0, y.Average(v => (double)v), 0.01);       // SE ≈ 0.002
        Assert.Equal(0.3, y.Count(v => v == 0f) / 100_000.0, 0.01);
    }

    [Fact]
    public void NoGrad_RecordsNothing()
    {
        var x = Tensor.Ones(4);
        x.RequiresGrad = true;
        using (GradMode.Disable())
        {
            var y = x.Dropout(0.5f, new RandomGenerator(1));
            Assert.False(y.RequiresGrad);
        }
    }

    [Fact]
    public void ForwardAndBackward_InAScope_AllocateNothingAfterWarmUp()
    {
        var x = Tensor.Ones(16, 32);
        x.RequiresGrad = true;
        var rng = new RandomGenerator(1);
        void Step()
        {
            using (TensorScope.Begin())
            {
                var y = x.Dropout(0.1f, rng);
                y.Backward(y);
            }
        }
        AllocationAssert.ZeroAfterWarmUp(Step);
    }

}
