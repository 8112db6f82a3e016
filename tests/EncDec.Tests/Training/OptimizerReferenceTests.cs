using EncDec.Tensors;
using EncDec.Training;
using static EncDec.Tests.Training.OptimizerTestKit;

namespace EncDec.Tests.Training;

/// <summary>Our optimisers against PyTorch's, eight steps on two parameters (goldens from reference_optimizers.py).</summary>
public class OptimizerReferenceTests
{
    private const double Tolerance = 2e-6;   // float32 rounding order differs (fused multiply-adds), nothing else

    private static void AssertMatchesTorch(Func<Tensor[], IOptimizer> create, float[][] golden)
    {
        var parameters = NewParameters();
        Run(create(parameters), parameters, 1, 8);
        for (int k = 0; k < parameters.Length; k++) AssertClose(golden[k], parameters[k].ToArray(), Tolerance, $"parameter {k}");
    }

    [Fact]
    public void SgdWithMomentumAndL2_MatchesPyTorch() =>
        AssertMatchesTorch(p => new Sgd(p, 0.1f, momentum: 0.9f, weightDecay: 0.01f), TorchOptimizerGoldens.SgdMomentumL2);

    [Fact]
    public void SgdNesterov_MatchesPyTorch() =>
        AssertMatchesTorch(p => new Sgd(p, 0.05f, momentum: 0.8f, nesterov: true), TorchOptimizerGoldens.SgdNesterov);

    [Fact]
    public void SgdPlain_MatchesPyTorch() =>
        AssertMatchesTorch(p => new Sgd(p, 0.2f), TorchOptimizerGoldens.SgdPlain);

    [Fact]
    public void AdamWithL2_MatchesPyTorch() =>
        AssertMatchesTorch(p => new Adam(p, 0.01f, 0.9f, 0.98f, 1e-9f, weightDecay: 0.1f), TorchOptimizerGoldens.AdamL2);

    [Fact]
    public void AdamW_MatchesPyTorch() =>
        AssertMatchesTorch(p => new AdamW(p, 0.02f, 0.9f, 0.999f, 1e-8f, weightDecay: 0.05f), TorchOptimizerGoldens.AdamW);

    [Fact]
    public void ConfigCreatedAdam_MatchesPyTorch() =>
        AssertMatchesTorch(p => new OptimizerConfig("adam", 0.01f, 0.9f, 0.98f, 1e-9f, WeightDecay: 0.1f).Create(p),
            TorchOptimizerGoldens.AdamL2);

    [Fact]
    public void SgdWithL2_LeavesTheGradientUnchanged()
    {
        var parameters = NewParameters();
        SetGradients(parameters, 1);
        var gradient = parameters[0].Grad!.ToArray();
        new Sgd(parameters, 0.1f, momentum: 0.9f, weightDecay: 0.5f, nesterov: true).Step();
        Assert.Equal(gradient, parameters[0].Grad!.ToArray());
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("sgd-nesterov")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void ElementwiseOptimizers_UpdateALargeParameterBlockByBlock_AsManySmallOnes(string name)
    {
        // 5000 elements span three blocks of Adam.BlockSize with a tail; 50 parameters of 100 hold the same values.
        var large = NewParameters([[5000]]);
        var small = Enumerable.Range(0, 50).Select(_ => NewParameters([[100]])[0]).ToArray();
        for (int j = 0; j < 50; j++) large[0].AsSpan().Slice(j * 100, 100).CopyTo(small[j].AsSpan());
        var largeOptimizer = OptimizerStateTests.Configured(name).Create(large);
        var smallOptimizer = OptimizerStateTests.Configured(name).Create(small);
        for (int t = 1; t <= 3; t++)
        {
            SetGradients(large, t);
            for (int j = 0; j < 50; j++) small[j].Grad = Tensor.FromArray(large[0].Grad!.AsSpan().Slice(j * 100, 100), 100);
            largeOptimizer.Step();
            smallOptimizer.Step();
        }
        Assert.Equal(small.SelectMany(p => p.ToArray()), large[0].ToArray());
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("sgd-nesterov")]
    [InlineData("adam")]
    [InlineData("adamw")]
    [InlineData("adafactor")]
    [InlineData("adafactor-beta1")]
    public void StepsAfterTheFirst_AllocateNothing(string name)
    {
        var parameters = NewParameters();
        SetGradients(parameters, 1);
        var optimizer = OptimizerStateTests.Configured(name).Create(parameters);
        AllocationAssert.ZeroAfterWarmUp(optimizer.Step);
    }
}
