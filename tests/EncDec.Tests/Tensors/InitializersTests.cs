using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Tests.Tensors;

public class InitializersTests
{
    [Fact]
    public void ComputeFans_LinearWeight_IsInAndOut() =>
        Assert.Equal((3, 4), Initializers.ComputeFans([4, 3]));            // nn.Linear(3, 4).weight is (4, 3)

    [Fact]
    public void ComputeFans_Conv1dWeight_MultipliesByKernelSize() =>
        Assert.Equal((4 * 3, 8 * 3), Initializers.ComputeFans([8, 4, 3]));  // nn.Conv1d(4, 8, 3).weight

    [Fact]
    public void ComputeFans_Rank1_ThrowsNamingTheShape()
    {
        var error = Assert.Throws<ArgumentException>(() => Initializers.XavierUniform(Tensor.Zeros(5), new RandomGenerator(1)));
        Assert.Contains("(5,)", error.Message);
        Assert.Contains("fewer than 2 dimensions", error.Message);
    }

    [Fact]
    public void XavierUniform_RespectsBoundAndHasUniformStd()
    {
        var weight = Initializers.XavierUniform(Tensor.Zeros(256, 512), new RandomGenerator(1), gain: 2f);
        float bound = 2f * MathF.Sqrt(6f / (256 + 512));
        var values = weight.ToArray();
        Assert.All(values, v => Assert.InRange(v, -bound, bound));
        AssertStd(values, bound / Math.Sqrt(3));
        Assert.True(values.Max() > 0.99 * bound && values.Min() < -0.99 * bound, "the whole interval is used");
    }

    [Fact]
    public void XavierNormal_HasGlorotStd() =>
        AssertStd(Initializers.XavierNormal(Tensor.Zeros(128, 64, 3), new RandomGenerator(2)).ToArray(),
            Math.Sqrt(2.0 / (64 * 3 + 128 * 3)));

    [Fact]
    public void KaimingUniform_Defaults_UseSqrtSixOverFanIn()
    {
        var values = Initializers.KaimingUniform(Tensor.Zeros(300, 400), new RandomGenerator(3)).ToArray();
        float bound = MathF.Sqrt(6f / 400);                                // gain √2 (leaky ReLU with a = 0), fan_in 400
        Assert.All(values, v => Assert.InRange(v, -bound, bound));
        AssertStd(values, Math.Sqrt(2.0 / 400));
    }

    [Fact]
    public void KaimingNormal_ReluFanOut_HasHeStd() =>
        AssertStd(Initializers.KaimingNormal(Tensor.Zeros(200, 50, 3), new RandomGenerator(4), mode: FanMode.FanOut,
            nonlinearity: Nonlinearity.Relu).ToArray(), Math.Sqrt(2.0) / Math.Sqrt(200 * 3));

    [Fact]
    public void KaimingNormal_LeakyRelu_UsesNegativeSlopeInGain() =>
        AssertStd(Initializers.KaimingNormal(Tensor.Zeros(256, 300), new RandomGenerator(5), a: 0.2f).ToArray(),
            Math.Sqrt(2.0 / (1 + 0.04)) / Math.Sqrt(300));

    [Fact]
    public void KaimingUniform_WithSqrtFive_IsPyTorchLinearDefault()
    {
        // nn.Linear's default: kaiming_uniform_(a=√5), i.e. bound 1/√fan_in.
        var values = Initializers.KaimingUniform(Tensor.Zeros(64, 100), new RandomGenerator(6), a: MathF.Sqrt(5f)).ToArray();
        Assert.All(values, v => Assert.InRange(v, -0.1f, 0.1f));
        Assert.True(values.Max() > 0.098f);
    }

    [Theory]
    [InlineData(Nonlinearity.Linear, 0f, 1.0)]
    [InlineData(Nonlinearity.Sigmoid, 0f, 1.0)]
    [InlineData(Nonlinearity.Tanh, 0f, 5.0 / 3.0)]
    [InlineData(Nonlinearity.Relu, 0f, 1.41421356)]
    [InlineData(Nonlinearity.LeakyRelu, 0.01f, 1.41414284)]
    [InlineData(Nonlinearity.Selu, 0f, 0.75)]
    public void Gain_MatchesCalculateGain(Nonlinearity nonlinearity, float slope, double expected) =>
        Assert.Equal(expected, Initializers.Gain(nonlinearity, slope), 1e-6);

    [Fact]
    public void Normal_HasMeanAndStd()
    {
        var values = Initializers.Normal(Tensor.Zeros(100_000), new RandomGenerator(7), mean: -1f, std: 0.02f).ToArray();
        AssertStd(values, 0.02, expectedMean: -1);
    }

    [Fact]
    public void ConstantZerosOnes_OverwriteEveryElement()
    {
        var tensor = Tensor.Full(7f, 3, 4);
        Assert.All(Initializers.Constant(tensor, 2.5f).ToArray(), v => Assert.Equal(2.5f, v));
        Assert.All(Initializers.Zeros(tensor).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(Initializers.Ones(tensor).ToArray(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void SameSeed_GivesSameWeights() =>
        Assert.Equal(Initializers.XavierUniform(Tensor.Zeros(8, 9), new RandomGenerator(42)).ToArray(),
            Initializers.XavierUniform(Tensor.Zeros(8, 9), new RandomGenerator(42)).ToArray());

    [Fact]
    public void View_IsFilledInRowMajorOrderAndTheRestIsUntouched()
    {
        var storage = Tensor.Full(-9f, 4, 6);
        var view = storage.Narrow(1, 1, 3).Transpose();                    // (3, 4), non-contiguous
        Initializers.Uniform(view, new RandomGenerator(8), 0f, 1f);
        var expected = new float[12];
        new RandomGenerator(8).FillUniform(expected, 0f, 1f);
        Assert.Equal(expected, view.ToArray());
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(-9f, storage[i, 0]);
            Assert.Equal(-9f, storage[i, 4]);
            Assert.Equal(-9f, storage[i, 5]);
        }
    }

    /// <summary>Std within 3% and mean within 5% of a std of <paramref name="expectedMean"/> (the standard errors on
    /// these sizes are under 1%).</summary>
    private static void AssertStd(float[] values, double expected, double expectedMean = 0)
    {
        double mean = values.Average(v => (double)v);
        double std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        Assert.True(Math.Abs(std - expected) < 0.03 * expected, $"std {std}, expected {expected}");
        Assert.True(Math.Abs(mean - expectedMean) < 0.05 * expected, $"mean {mean}, expected {expectedMean}");
    }
}
