using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Nn;

public class EmbeddingTests
{
    [Fact]
    public void Forward_LooksUpRows_WithIdsShapePlusDim()
    {
        var embedding = new Embedding(5, 3, new RandomGenerator(1));
        Assert.Equal(["weight"], embedding.NamedParameters().Select(p => p.Name));
        var y = embedding.Forward(new IntTensor([4, 0, 2, 2], 2, 2));
        Assert.Equal([2, 2, 3], y.Shape.ToArray());
        for (int d = 0; d < 3; d++)
        {
            Assert.Equal(embedding.Weight[4, d], y[0, 0, d]);
            Assert.Equal(embedding.Weight[2, d], y[1, 1, d]);
        }
    }

    [Fact]
    public void Init_IsStandardNormal()
    {
        var weight = new Embedding(200, 50, new RandomGenerator(2)).Weight.ToArray();
        Assert.InRange(weight.Average(), -0.05, 0.05);
        Assert.InRange(weight.Select(w => (double)w * w).Average(), 0.9, 1.1);
    }

    [Fact]
    public void PaddingRow_StartsAtZero_AndGetsNoGradient()
    {
        var embedding = new Embedding(4, 2, new RandomGenerator(3), paddingIndex: 1);
        Assert.Equal([0f, 0f], embedding.Forward(new IntTensor([1], 1)).ToArray());
        embedding.Forward(new IntTensor([1, 2, 1], 3)).Sum().Backward();
        Assert.Equal([0f, 0f, 0f, 0f, 1f, 1f, 0f, 0f], embedding.Weight.Grad!.ToArray());
    }

    [Fact]
    public void Gradient_MatchesFiniteDifferences()
    {
        var embedding = new Embedding(4, 3, new RandomGenerator(4));
        var ids = new IntTensor([3, 1, 3], 3);
        GradientCheck.Verify(_ => embedding.Forward(ids), [embedding.Weight]);
    }
}
