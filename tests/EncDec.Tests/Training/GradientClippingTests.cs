using EncDec.Tensors;
using EncDec.Training;
using static EncDec.Tests.Training.OptimizerTestKit;

namespace EncDec.Tests.Training;

public class GradientClippingTests
{
    private static double NaiveNorm(IEnumerable<Tensor> parameters) =>
        Math.Sqrt(parameters.Where(p => p.Grad is not null).SelectMany(p => p.Grad!.ToArray()).Sum(g => (double)g * g));

    [Fact]
    public void ReturnedNorm_EqualsTheNaiveDoubleNorm_AndMaxNormZeroOnlyMeasures()
    {
        var parameters = NewParameters([[3, 5], [7], [5000]]);   // 5000: crosses the 4096-element chunk
        SetGradients(parameters, 3);
        var before = parameters.Select(p => p.Grad!.ToArray()).ToArray();
        double norm = GradientClipping.ClipByGlobalNorm(parameters, 0);
        Assert.Equal(NaiveNorm(parameters), norm, 1e-9 * norm);
        for (int k = 0; k < parameters.Length; k++) Assert.Equal(before[k], parameters[k].Grad!.ToArray());
    }

    [Fact]
    public void AboveMaxNorm_ScalesEveryGradientToExactlyMaxNorm_KeepingDirections()
    {
        var parameters = NewParameters();
        SetGradients(parameters, 2);
        var before = parameters.Select(p => p.Grad!.ToArray()).ToArray();
        double norm = GradientClipping.ClipByGlobalNorm(parameters, 1.5);
        Assert.True(norm > 1.5);
        Assert.Equal(1.5, NaiveNorm(parameters), 1e-6);
        float ratio = (float)(1.5 / norm);
        for (int k = 0; k < parameters.Length; k++)
            AssertClose(before[k].Select(g => g * ratio).ToArray(), parameters[k].Grad!.ToArray(), 1e-7, $"gradient {k}");
    }

    [Fact]
    public void BelowMaxNorm_LeavesGradientsUntouched_AndSkipsParametersWithoutGradient()
    {
        var parameters = NewParameters([[3, 5], [7], [4]]);
        SetGradients(parameters, 1);
        parameters[2].Grad = null;
        var before = parameters[0].Grad!.ToArray();
        double norm = GradientClipping.ClipByGlobalNorm(parameters, 1e6);
        Assert.Equal(NaiveNorm(parameters), norm, 1e-9 * norm);
        Assert.Equal(before, parameters[0].Grad!.ToArray());
    }

    [Fact]
    public void NonFiniteNorm_IsReturned_AndGradientsAreLeftForTheCallerToSkip()
    {
        var parameters = NewParameters();
        SetGradients(parameters, 1);
        parameters[1].Grad!.AsSpan()[3] = float.PositiveInfinity;
        var before = parameters[0].Grad!.ToArray();
        Assert.Equal(double.PositiveInfinity, GradientClipping.ClipByGlobalNorm(parameters, 1.0));
        Assert.Equal(before, parameters[0].Grad!.ToArray());
        parameters[1].Grad!.AsSpan()[3] = float.NaN;
        Assert.True(double.IsNaN(GradientClipping.ClipByGlobalNorm(parameters, 1.0)));
    }

    [Fact]
    public void Clipping_AllocatesNothing()
    {
        var parameters = NewParameters();
        SetGradients(parameters, 1);
        AllocationAssert.ZeroAfterWarmUp(() => GradientClipping.ClipByGlobalNorm(parameters, 0.5));
    }
}
