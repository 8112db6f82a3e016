using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;
using EncDec.Tests.Kernels;

namespace EncDec.Tests.Operations;

public class ActivationOpsTests
{
    private static Func<Tensor, Tensor> Op(string name) => name switch
    {
        "Relu" => x => x.Relu(),
        "Gelu" => x => x.Gelu(),
        "GeluTanh" => x => x.Gelu(GeluApproximation.Tanh),
        "Silu" => x => x.Silu(),
        "Tanh" => x => x.Tanh(),
        "Sigmoid" => x => x.Sigmoid(),
        _ => throw new ArgumentException(name),
    };

    private static Func<double, double> Reference(string name) => name switch
    {
        "Relu" => v => Math.Max(v, 0),
        "Gelu" => ReferenceMath.Gelu,
        "GeluTanh" => ReferenceMath.GeluTanh,
        "Silu" => ReferenceMath.Silu,
        "Tanh" => Math.Tanh,
        "Sigmoid" => ReferenceMath.Sigmoid,
        _ => throw new ArgumentException(name),
    };

    public static TheoryData<string> Names => ["Relu", "Gelu", "GeluTanh", "Silu", "Tanh", "Sigmoid"];

    // Magnitudes in [0.1, 3): both signs, clear of relu's kink at 0 by more than the finite-difference step.
    [Theory, MemberData(nameof(Names))]
    public void Gradients_MatchFiniteDifferences(string name) =>
        GradientCheck.Verify(t => Op(name)(t[0]), [OpTestData.AwayFromZero(1, 0.1f, 3f, 3, 4)]);

    [Theory, MemberData(nameof(Names))]
    public void Gradients_OnTransposedAndNarrowedInputs_MatchFiniteDifferences(string name) =>
        GradientCheck.Verify(t => Op(name)(t[0].Transpose()) + Op(name)(t[1].Narrow(1, 1, 4)),
            [OpTestData.AwayFromZero(2, 0.1f, 3f, 4, 3), OpTestData.AwayFromZero(3, 0.1f, 3f, 3, 6)]);

    [Theory, MemberData(nameof(Names))]
    public void Forward_MatchesDoublePrecision_OnContiguousAndStridedInput(string name)
    {
        var x = GradientCheck.RandomInputs(4, -6f, 6f, [8, 9])[0];
        OpTestData.AssertClose(OpTestData.Map(x, Reference(name)), Op(name)(x).ToArray(), 2e-6, 2e-7, name);
        var strided = x.Transpose().Narrow(0, 2, 5);
        OpTestData.AssertClose(OpTestData.Map(strided, Reference(name)), Op(name)(strided).ToArray(), 2e-6, 2e-7, name + " strided");
    }

    [Fact]
    public void Gelu_Exact_IsAccurateDeepInBothTails()
    {
        // x·Φ(x) with Φ relatively accurate: gelu(−8) ≈ −5e-15 is still right to ~3e-6 relative, not 0 or noise.
        var x = Tensor.FromArray([-8f, -6f, -4f, -2f, -0.5f, 0f, 1e-4f, 0.5f, 2f, 4f, 8f, 50f], 12);
        OpTestData.AssertClose(OpTestData.Map(x, ReferenceMath.Gelu), x.Gelu().ToArray(), 3e-6, 0, "gelu");
    }

    [Theory]
    [InlineData("Gelu")]
    [InlineData("GeluTanh")]
    [InlineData("Silu")]
    public void Backward_MatchesTheDoublePrecisionDerivative(string name)
    {
        Func<double, double> derivative = name switch
        {
            "Gelu" => ReferenceMath.GeluDerivative,
            "GeluTanh" => ReferenceMath.GeluTanhDerivative,
            _ => ReferenceMath.SiluDerivative,
        };
        var values = Enumerable.Range(0, 161).Select(i => -8f + i * 0.1f).ToArray();   // grid on [−8, 8]
        var x = Tensor.FromArray(values, values.Length);
        x.RequiresGrad = true;
        Op(name)(x).Backward(Tensor.Ones(values.Length));
        OpTestData.AssertClose(values.Select(v => derivative(v)).ToArray(), x.Grad!.ToArray(), 3e-6, 3e-7, name);
    }

    [Fact]
    public void GeluTanh_LeftTail_MatchesTheSigmoidIdentity()
    {
        // PyTorch's ½x(1 + tanh u) cancels to 0 in double for x ≲ −6; x·σ(2u) is the same function without cancellation.
        var x = Tensor.FromArray([-6f, -8f, -10f], 3);
        double Identity(double v) => v * ReferenceMath.Sigmoid(2 * Math.Sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v));
        OpTestData.AssertClose(OpTestData.Map(x, Identity), x.Gelu(GeluApproximation.Tanh).ToArray(), 1e-5, 0);
    }

    [Theory, MemberData(nameof(Names))]
    public void ExtremeInputs_GiveFiniteValuesAndGradients(string name)
    {
        var x = Tensor.FromArray([-1e4f, -100f, -30f, 30f, 100f, 1e4f], 6);
        x.RequiresGrad = true;
        var y = Op(name)(x);
        Assert.All(y.ToArray(), v => Assert.True(float.IsFinite(v), $"{name} gave {v}"));
        y.Backward(Tensor.Ones(6));
        Assert.All(x.Grad!.ToArray(), g => Assert.True(float.IsFinite(g), $"{name} gradient {g}"));
        Assert.Equal(name == "Sigmoid" ? 1f : name == "Tanh" ? 1f : 1e4f, y[5]);
    }

    [Fact]
    public void Relu_HasSlopeZeroAtTheKink_AndPropagatesNaN()
    {
        var x = Tensor.FromArray([-1f, 0f, 2f, float.NaN], 4);
        x.RequiresGrad = true;
        var y = x.Relu();
        Assert.Equal([0f, 0f, 2f, float.NaN], y.ToArray());
        y.Backward(Tensor.Full(3f, 4));
        Assert.Equal([0f, 0f, 3f, 0f], x.Grad!.ToArray());
    }

    [Fact]
    public void Gelu_UnknownApproximation_IsRejectedWithItsName()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(2).Gelu((GeluApproximation)7));
        Assert.Contains("Gelu", error.Message);
        Assert.Contains("approximation 7", error.Message);
    }

    [Fact]
    public void Backward_Accumulates_AcrossCalls()
    {
        var x = Tensor.FromArray([0.5f, -1f], 2);
        x.RequiresGrad = true;
        x.Sigmoid().Backward(Tensor.Ones(2));
        x.Sigmoid().Backward(Tensor.Ones(2));
        var expected = new[] { 0.5, -1.0 }.Select(v => 2 * ReferenceMath.Sigmoid(v) * (1 - ReferenceMath.Sigmoid(v))).ToArray();
        OpTestData.AssertClose(expected, x.Grad!.ToArray(), 1e-6, 0);
    }

    [Fact]
    public void InsideScope_AllocateNothingAfterWarmUp()
    {
        var x = OpTestData.AwayFromZero(12, 0.1f, 3f, 4, 6);
        x.RequiresGrad = true;
        var seed = Tensor.Ones(6, 4);
        var seedX = Tensor.Ones(4, 6);
        var ops = new[] { "Relu", "Gelu", "GeluTanh", "Silu", "Tanh", "Sigmoid" }.Select(Op).ToArray();
        void Step()
        {
            using var scope = TensorScope.Begin();
            var t = x.Transpose();                                     // strided input too
            foreach (var op in ops) op(t).Backward(seed);
            t.Exp().Backward(seed);
            t.Pow(2f).Backward(seed);
            x.Pow(3f).Sqrt().Log().Backward(seedX);
        }
        AllocationAssert.ZeroAfterWarmUp(Step);
    }
}
