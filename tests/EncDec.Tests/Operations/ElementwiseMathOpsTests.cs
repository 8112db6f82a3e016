using EncDec.Autograd;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Operations;

public class ElementwiseMathOpsTests
{
    /// <summary>Each case: the op, its double-precision reference, and an input range inside its domain.</summary>
    private static (Func<Tensor, Tensor> Op, Func<double, double> Reference, float Low, float High) Case(string name) => name switch
    {
        "Exp" => (x => x.Exp(), Math.Exp, -3f, 3f),
        "Log" => (x => x.Log(), Math.Log, 0.3f, 3f),
        "Sqrt" => (x => x.Sqrt(), Math.Sqrt, 0.3f, 3f),
        "Pow2.5" => (x => x.Pow(2.5f), v => Math.Pow(v, 2.5), 0.3f, 2f),
        "Pow-1.5" => (x => x.Pow(-1.5f), v => Math.Pow(v, -1.5), 0.5f, 2f),
        "Pow3" => (x => x.Pow(3f), v => Math.Pow(v, 3), -1.5f, 1.5f),
        _ => throw new ArgumentException(name),
    };

    public static TheoryData<string> Names => ["Exp", "Log", "Sqrt", "Pow2.5", "Pow-1.5", "Pow3"];

    [Theory, MemberData(nameof(Names))]
    public void Gradients_MatchFiniteDifferences(string name)
    {
        var (op, _, low, high) = Case(name);
        GradientCheck.Verify(t => op(t[0]), GradientCheck.RandomInputs(1, low, high, [3, 4]));
    }

    [Theory, MemberData(nameof(Names))]
    public void Gradients_OnTransposedAndNarrowedInputs_MatchFiniteDifferences(string name)
    {
        var (op, _, low, high) = Case(name);
        GradientCheck.Verify(t => op(t[0].Transpose()) * op(t[1].Narrow(1, 1, 4)),
            GradientCheck.RandomInputs(2, low, high, [4, 3], [3, 6]));
    }

    [Theory, MemberData(nameof(Names))]
    public void Forward_MatchesDoublePrecision_OnContiguousAndStridedInput(string name)
    {
        var (op, reference, low, high) = Case(name);
        var x = GradientCheck.RandomInputs(3, low, high, [6, 7])[0];
        OpTestData.AssertClose(OpTestData.Map(x, reference), op(x).ToArray(), 4e-7, 1e-7, name);
        var transposed = x.Transpose();
        OpTestData.AssertClose(OpTestData.Map(transposed, reference), op(transposed).ToArray(), 4e-7, 1e-7, name + " strided");
    }

    [Fact]
    public void Pow_ZeroExponent_GivesOnesAndZeroGradient_EvenAtZero()
    {
        var x = Tensor.FromArray([0f, -2f, 3f], 3);
        x.RequiresGrad = true;
        var y = x.Pow(0f);
        Assert.Equal([1f, 1f, 1f], y.ToArray());
        y.Backward(Tensor.Ones(3));
        Assert.Equal([0f, 0f, 0f], x.Grad!.ToArray());
    }

    [Fact]
    public void Pow_NegativeBase_IntegerExponent_HasTheUsualDerivative()
    {
        var x = Tensor.FromArray([-2f, 0.5f], 2);
        x.RequiresGrad = true;
        var y = x.Pow(3f);
        Assert.Equal([-8f, 0.125f], y.ToArray());
        y.Backward(Tensor.Ones(2));
        Assert.Equal([12f, 0.75f], x.Grad!.ToArray());
    }

    [Fact]
    public void Pow_LongInput_GradientStreamsThroughChunks()
    {
        // 700 elements crosses the 256-float stack chunks of the backward loop, with a ragged tail.
        var x = GradientCheck.RandomInputs(4, 0.5f, 2f, [700])[0];
        x.RequiresGrad = true;
        var dy = GradientCheck.RandomInputs(5, -1f, 1f, [700])[0];
        x.Pow(1.7f).Backward(dy);
        var xs = x.ToArray();
        var dys = dy.ToArray();
        var expected = xs.Select((v, i) => dys[i] * 1.7 * Math.Pow(v, 0.7)).ToArray();
        OpTestData.AssertClose(expected, x.Grad!.ToArray(), 2e-6, 1e-7);
    }

    [Fact]
    public void LogAndSqrt_OutsideTheirDomain_FollowIeee()
    {
        var x = Tensor.FromArray([0f, -1f], 2);
        Assert.Equal([float.NegativeInfinity, float.NaN], x.Log().ToArray());
        Assert.Equal([0f, float.NaN], x.Sqrt().ToArray());
    }

    [Fact]
    public void Backward_Accumulates_AcrossCalls()
    {
        var x = Tensor.FromArray([0.5f, 1f], 2);
        x.RequiresGrad = true;
        x.Exp().Backward(Tensor.Ones(2));
        x.Exp().Backward(Tensor.Ones(2));
        OpTestData.AssertClose([2 * Math.Exp(0.5), 2 * Math.E], x.Grad!.ToArray(), 1e-6, 0);
    }

    [Fact]
    public void NoGrad_RecordsNothing()
    {
        var x = Tensor.FromArray([1f, 2f], 2);
        x.RequiresGrad = true;
        using (GradMode.Disable())
        {
            var y = x.Sqrt().Log().Pow(2f);
            Assert.False(y.RequiresGrad);
            Assert.True(y.IsLeaf);
        }
    }

    [Fact]
    public void EmptyTensor_GivesEmptyResult()
    {
        var x = Tensor.Zeros(0, 3);
        Assert.Equal([0, 3], x.Exp().Shape.ToArray());
        Assert.Equal(0, x.Pow(2f).Count);
    }
}
