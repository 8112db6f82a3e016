using EncDec.Cli.Bench;

namespace EncDec.Tests.Cli;

public class MlpTrainingStepTests
{
    [Fact]
    public void SteadyTrainingStep_AllocatesZeroBytes()
    {
        var step = new MlpTrainingStep(batch: 32, inputDim: 64, hidden: 128, classes: 10);
        AllocationAssert.ZeroAfterWarmUp(() => step.Step(), warmup: 5, steps: 20);
    }

    [Fact]
    public void TrainingSteps_ReduceTheLoss()
    {
        var step = new MlpTrainingStep(batch: 32, inputDim: 64, hidden: 128, classes: 10);
        float first = step.Step();
        float last = first;
        for (int i = 0; i < 40; i++) last = step.Step();
        Assert.True(last < 0.5f * first, $"loss went from {first} to {last}");
    }
}
