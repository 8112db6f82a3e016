using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Nn;

public class FeedForwardTests
{
    private static FeedForward Create(FeedForwardActivation activation, bool bias = true, float dropout = 0f) =>
        new(3, 5, activation, bias, dropout, new RandomGenerator(11));

    [Fact]
    public void PlainBlock_HasFc1AndFc2()
    {
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"],
            Create(FeedForwardActivation.Relu).NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void GatedBlock_HasT5Names()
    {
        var block = Create(FeedForwardActivation.GatedGelu, bias: false);
        Assert.Equal(["wi_0.weight", "wi_1.weight", "wo.weight"], block.NamedParameters().Select(p => p.Name));
        Assert.Equal([5, 3], block.Parameters().First().Shape.ToArray());
        Assert.Equal([3, 5], block.Parameters().Last().Shape.ToArray());
    }

    [Fact]
    public void Forward_KeepsShape_AndMatchesTheFormula()
    {
        var block = Create(FeedForwardActivation.Relu);
        var x = GradientCheck.RandomInputs(1, -1, 1, [2, 4, 3])[0];
        var y = block.Forward(x);
        Assert.Equal([2, 4, 3], y.Shape.ToArray());
        var linears = block.NamedModules().Select(m => m.Module).OfType<Linear>().ToArray();
        var expected = linears[1].Forward(linears[0].Forward(x).Relu());
        Assert.Equal(expected.ToArray(), y.ToArray());
    }

    [Fact]
    public void GatedForward_MultipliesActivatedGateByLinearBranch()
    {
        var block = Create(FeedForwardActivation.GatedSilu, bias: false);
        var x = GradientCheck.RandomInputs(2, -1, 1, [4, 3])[0];
        var linears = block.NamedModules().Select(m => m.Module).OfType<Linear>().ToArray();
        var expected = linears[2].Forward(linears[0].Forward(x).Silu().Multiply(linears[1].Forward(x)));
        Assert.Equal(expected.ToArray(), block.Forward(x).ToArray());
    }

    [Theory]
    [InlineData(FeedForwardActivation.Relu)]
    [InlineData(FeedForwardActivation.Gelu)]
    [InlineData(FeedForwardActivation.GeluTanh)]
    [InlineData(FeedForwardActivation.Silu)]
    [InlineData(FeedForwardActivation.GatedGelu)]
    [InlineData(FeedForwardActivation.GatedSilu)]
    public void Gradients_MatchFiniteDifferences_ForInputAndParameters(FeedForwardActivation activation)
    {
        var block = Create(activation);
        GradientCheck.Verify(t => block.Forward(t[0]), GradientCheck.RandomInputs(3, -1, 1, [2, 3]));
        var x = GradientCheck.RandomInputs(4, -1, 1, [2, 3])[0];
        GradientCheck.Verify(_ => block.Forward(x), block.Parameters().ToArray());
    }

    [Fact]
    public void Dropout_AppliesInTrainingOnly()
    {
        var block = Create(FeedForwardActivation.Relu, dropout: 0.5f);
        var x = GradientCheck.RandomInputs(5, -1, 1, [8, 3])[0];
        block.Eval();
        var first = block.Forward(x).ToArray();
        Assert.Equal(first, block.Forward(x).ToArray());
        block.Train();
        Assert.NotEqual(first, block.Forward(x).ToArray());
    }

    [Fact]
    public void WrongInputSize_NamesModule() =>
        Assert.Contains("FeedForward: input (2, 4)",
            Assert.Throws<ShapeMismatchException>(() => Create(FeedForwardActivation.Relu).Forward(Tensor.Zeros(2, 4))).Message);
}
