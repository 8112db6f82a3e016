using EncDec.Cli.Bench;

namespace EncDec.Tests.Cli;

public class MlpTrainingStepTests
{
    [Fact]
    public void SteadyTrainingStep_AllocatesZeroBytes()
    {
        var step = new MlpTrainingStep(batch: 32, inputDim: 64, hidden: 128, classes: 10);
        for (int i = 0; i < 5; i++) step.Step();                       // warm-up: pools fill, buffers appear
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) step.Step();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
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
