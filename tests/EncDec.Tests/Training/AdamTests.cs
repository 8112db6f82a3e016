using EncDec.Tensors;
using EncDec.Training;

namespace EncDec.Tests.Training;

public class AdamTests
{
    private const int Size = 37;   // not a multiple of any SIMD width, so vector tails are exercised

    private static float InitialValue(int i) => MathF.Sin(0.9f * i) * 2f;

    /// <summary>A deterministic gradient that changes sign and scale between steps.</summary>
    private static float GradientAt(int i, int step) => MathF.Cos(1.3f * i + 0.7f * step) * (1 + 0.5f * step);

    private static Tensor NewParameter()
    {
        var p = Tensor.FromArray(Enumerable.Range(0, Size).Select(InitialValue).ToArray(), Size);
        p.RequiresGrad = true;
        return p;
    }

    private static void SetGradient(Tensor p, int step) =>
        p.Grad = Tensor.FromArray(Enumerable.Range(0, Size).Select(i => GradientAt(i, step)).ToArray(), Size);

    /// <summary>PyTorch's Adam/AdamW written out in double, one element at a time.</summary>
    private static double[] Reference(int steps, double lr, double beta1, double beta2, double eps, double decay, bool decoupled)
    {
        var p = Enumerable.Range(0, Size).Select(i => (double)InitialValue(i)).ToArray();
        var m = new double[Size];
        var v = new double[Size];
        for (int t = 1; t <= steps; t++)
        {
            for (int i = 0; i < Size; i++)
            {
                double g = GradientAt(i, t);
                if (decoupled) p[i] *= 1 - lr * decay;
                else g += decay * p[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                double mHat = m[i] / (1 - Math.Pow(beta1, t));
                double vHat = v[i] / (1 - Math.Pow(beta2, t));
                p[i] -= lr * mHat / (Math.Sqrt(vHat) + eps);
            }
        }
        return p;
    }

    private static void AssertMatchesReference(Adam optimiser, Tensor p, double[] expected, int steps)
    {
        for (int t = 1; t <= steps; t++)
        {
            SetGradient(p, t);
            optimiser.Step();
        }
        var actual = p.ToArray();
        for (int i = 0; i < Size; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 2e-6 * (1 + Math.Abs(expected[i])),
                $"element {i}: got {actual[i]}, reference {expected[i]}");
    }

    [Fact]
    public void Adam_FollowsPyTorchsUpdate_OverSeveralSteps()
    {
        var p = NewParameter();
        AssertMatchesReference(new Adam([p], learningRate: 0.05f), p, Reference(6, 0.05f, 0.9f, 0.999f, 1e-8f, 0, false), 6);
    }

    [Fact]
    public void Adam_WithL2_AddsTheDecayToTheGradient()
    {
        var p = NewParameter();
        var adam = new Adam([p], learningRate: 0.01f, beta1: 0.8f, beta2: 0.99f, epsilon: 1e-3f, weightDecay: 0.1f);
        AssertMatchesReference(adam, p, Reference(5, 0.01f, 0.8f, 0.99f, 1e-3f, 0.1f, false), 5);
    }

    [Fact]
    public void AdamW_DecaysTheWeightsDirectly_ByLrTimesLambda()
    {
        var p = NewParameter();
        var adamW = new AdamW([p], learningRate: 0.02f, epsilon: 1e-6f, weightDecay: 0.3f);
        Assert.True(adamW.DecoupledWeightDecay);
        AssertMatchesReference(adamW, p, Reference(5, 0.02f, 0.9f, 0.999f, 1e-6f, 0.3f, true), 5);
    }

    [Fact]
    public void FirstStep_MovesEachWeightByAboutTheLearningRate_AgainstTheGradientSign()
    {
        // Bias correction makes m̂ = g and √v̂ = |g| at t = 1, so the step is lr·g/(|g| + ε).
        var p = NewParameter();
        var before = p.ToArray();
        SetGradient(p, 1);
        new Adam([p], learningRate: 0.1f).Step();
        var after = p.ToArray();
        for (int i = 0; i < Size; i++)
            Assert.Equal(-0.1f * MathF.Sign(GradientAt(i, 1)), after[i] - before[i], 1e-5f);
    }

    [Fact]
    public void Step_LeavesTheGradientUnchanged_EvenWithL2Decay()
    {
        var p = NewParameter();
        SetGradient(p, 1);
        var gradient = p.Grad!.ToArray();
        new Adam([p], weightDecay: 0.5f).Step();
        Assert.Equal(gradient, p.Grad!.ToArray());
    }

    [Fact]
    public void ParametersWithoutGradient_AreUntouched_AndKeepTheirOwnStepCount()
    {
        var withGrad = NewParameter();
        var without = NewParameter();
        var adam = new Adam([withGrad, without], learningRate: 0.05f);
        SetGradient(withGrad, 1);
        adam.Step();
        Assert.Equal(NewParameter().ToArray(), without.ToArray());

        // `without` joins late: its first update must be a first step (t = 1) of its own.
        var expected = Reference(1, 0.05f, 0.9f, 0.999f, 1e-8f, 0, false);
        SetGradient(without, 1);
        withGrad.Grad = null;
        adam.Step();
        var actual = without.ToArray();
        for (int i = 0; i < Size; i++) Assert.Equal(expected[i], actual[i], 1e-6);
    }

    [Fact]
    public void LearningRate_CanBeChangedBetweenSteps()
    {
        var p = NewParameter();
        var adam = new Adam([p], learningRate: 1f);
        adam.LearningRate = 0.001f;
        SetGradient(p, 1);
        adam.Step();
        Assert.Equal(0.001f, MathF.Abs(p.ToArray()[0] - InitialValue(0)), 1e-6f);
    }

    [Fact]
    public void ZeroGrad_ClearsEveryGradient()
    {
        var p = NewParameter();
        SetGradient(p, 2);
        new AdamW([p]).ZeroGrad();
        Assert.All(p.Grad!.ToArray(), g => Assert.Equal(0f, g));
    }

    [Fact]
    public void StepsAfterTheFirst_AllocateNothing()
    {
        var p = NewParameter();
        SetGradient(p, 1);
        var adamW = new AdamW([p], learningRate: 1e-4f);
        AllocationAssert.ZeroAfterWarmUp(adamW.Step);
    }

    [Theory]
    [InlineData(0f, 0.9f, 0.999f, 1e-8f, 0f)]
    [InlineData(float.NaN, 0.9f, 0.999f, 1e-8f, 0f)]
    [InlineData(1e-3f, 1f, 0.999f, 1e-8f, 0f)]
    [InlineData(1e-3f, 0.9f, -0.1f, 1e-8f, 0f)]
    [InlineData(1e-3f, 0.9f, 0.999f, -1f, 0f)]
    [InlineData(1e-3f, 0.9f, 0.999f, 1e-8f, -0.1f)]
    public void Constructor_RejectsOutOfRangeHyperparameters(float lr, float beta1, float beta2, float eps, float decay) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam([NewParameter()], lr, beta1, beta2, eps, decay));

    [Fact]
    public void Constructor_RejectsParametersThatDoNotRequireGrad() =>
        Assert.Throws<ArgumentException>(() => new AdamW([Tensor.Zeros(3)]));
}
