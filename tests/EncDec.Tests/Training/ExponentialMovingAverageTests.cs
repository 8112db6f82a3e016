using EncDec.Tensors;
using EncDec.Training;
using static EncDec.Tests.Training.OptimizerTestKit;

namespace EncDec.Tests.Training;

public class ExponentialMovingAverageTests
{
    [Fact]
    public void Update_FollowsTheFormula_FromACopyOfTheStartingWeights()
    {
        var parameters = NewParameters();
        var ema = new ExponentialMovingAverage(parameters, decay: 0.75f);
        var expected = parameters.Select(p => p.ToArray().Select(x => (double)x).ToArray()).ToArray();
        var optimizer = new Sgd(parameters, 0.1f);
        for (int t = 1; t <= 4; t++)
        {
            SetGradients(parameters, t);
            optimizer.Step();
            ema.Update();
            for (int k = 0; k < parameters.Length; k++)
            {
                var live = parameters[k].ToArray();
                for (int i = 0; i < live.Length; i++) expected[k][i] = 0.75 * expected[k][i] + 0.25 * live[i];
            }
        }
        var copies = NewParameters();
        ema.CopyTo(copies);
        for (int k = 0; k < parameters.Length; k++)
            AssertClose(expected[k].Select(x => (float)x).ToArray(), copies[k].ToArray(), 1e-6, $"shadow {k}");
        Assert.Equal(4, ema.Updates);
    }

    [Fact]
    public void Apply_SwapsTheAverageIn_AndDisposeRestoresTheTrainingWeightsExactly()
    {
        var parameters = NewParameters();
        var ema = new ExponentialMovingAverage(parameters, decay: 0.5f);
        SetGradients(parameters, 1);
        new Sgd(parameters, 0.3f).Step();
        ema.Update();
        var training = parameters.Select(p => p.ToArray()).ToArray();
        var averaged = NewParameters();
        ema.CopyTo(averaged);

        using (ema.Apply())
        {
            Assert.True(ema.IsApplied);
            for (int k = 0; k < parameters.Length; k++) Assert.Equal(averaged[k].ToArray(), parameters[k].ToArray());
            var copiesWhileApplied = NewParameters();
            ema.CopyTo(copiesWhileApplied);
            Assert.Equal(averaged[0].ToArray(), copiesWhileApplied[0].ToArray());
            Assert.Throws<InvalidOperationException>(ema.Update);
            Assert.Throws<InvalidOperationException>(() => ema.Apply());
        }
        Assert.False(ema.IsApplied);
        for (int k = 0; k < parameters.Length; k++) Assert.Equal(training[k], parameters[k].ToArray());
    }

    [Fact]
    public void ExportedState_RestoresTheAverage()
    {
        var parameters = NewParameters();
        var ema = new ExponentialMovingAverage(parameters, 0.9f);
        SetGradients(parameters, 1);
        new Sgd(parameters, 0.3f).Step();
        ema.Update();
        var restored = new ExponentialMovingAverage(NewParameters(), 0.9f);
        restored.ImportState(ema.ExportState());
        var a = NewParameters();
        var b = NewParameters();
        ema.CopyTo(a);
        restored.CopyTo(b);
        Assert.Equal(a[0].ToArray(), b[0].ToArray());
        Assert.Equal(1, restored.Updates);
    }

    [Fact]
    public void ImportState_FromAnotherModel_NamesTheKey()
    {
        var state = new ExponentialMovingAverage(NewParameters()).ExportState();
        var error = Assert.Throws<InvalidDataException>(() => new ExponentialMovingAverage(NewParameters([[3, 4], [7]])).ImportState(state));
        Assert.Contains("'0.shadow'", error.Message);
    }

    [Fact]
    public void CopyTo_RejectsAnotherShape() =>
        Assert.Throws<ShapeMismatchException>(() => new ExponentialMovingAverage(NewParameters()).CopyTo(NewParameters([[5, 3], [7]])));

    [Fact]
    public void Update_AllocatesNothing()
    {
        var ema = new ExponentialMovingAverage(NewParameters());
        AllocationAssert.ZeroAfterWarmUp(ema.Update);
    }
}
