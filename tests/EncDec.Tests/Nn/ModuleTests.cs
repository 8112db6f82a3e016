using EncDec.Nn;
using EncDec.Tensors;

namespace EncDec.Tests.Nn;

public class ModuleTests
{
    private sealed class Leaf : Module
    {
        public Leaf(int size)
        {
            RegisterParameter("weight", Tensor.Zeros(size, size));
            RegisterParameter("bias", Tensor.Zeros(size));
        }
    }

    private sealed class Tree : Module
    {
        public Tree()
        {
            RegisterParameter("scale", Tensor.Ones(1));
            RegisterModule("embed", new Leaf(2));
            RegisterModules("layers", [new Leaf(3), new Leaf(3)]);
        }
    }

    [Fact]
    public void NamedParameters_AreDottedPaths_InRegistrationOrder() =>
        Assert.Equal(
            ["scale", "embed.weight", "embed.bias", "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"],
            new Tree().NamedParameters().Select(p => p.Name));

    [Fact]
    public void ParameterCount_SumsEveryParameter() => Assert.Equal(1 + 6 + 2 * 12, new Tree().ParameterCount());

    [Fact]
    public void Parameters_RequireGrad() => Assert.All(new Tree().Parameters(), p => Assert.True(p.RequiresGrad));

    [Fact]
    public void Eval_ReachesEveryChild()
    {
        var tree = new Tree();
        tree.Eval();
        Assert.All(tree.NamedModules(), m => Assert.False(m.Module.IsTraining));
        tree.Train();
        Assert.True(tree.NamedModules().All(m => m.Module.IsTraining));
    }

    private sealed class Duplicate : Module
    {
        public Duplicate()
        {
            RegisterParameter("weight", Tensor.Zeros(1));
            RegisterParameter("weight", Tensor.Zeros(1));
        }
    }

    [Fact]
    public void RegisteringANameTwice_Throws() =>
        Assert.Contains("'weight'", Assert.Throws<ArgumentException>(() => new Duplicate()).Message);
}
