using BenchmarkDotNet.Attributes;
using EncDec.Cli.Bench;

namespace EncDec.Bench;

/// <summary>
/// One steady training step of a small MLP (forward, backward, SGD update). The memory diagnoser's
/// "Allocated" column is the figure to watch: it must read 0 B.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private MlpTrainingStep _step = null!;

    /// <summary>Builds the model and warms the pools so the measured steps are steady.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _step = new MlpTrainingStep();
        for (int i = 0; i < 5; i++) _step.Step();
    }

    /// <summary>Forward, backward and update of batch 64 through 256 -> 512 -> 10.</summary>
    [Benchmark]
    public float MlpStep() => _step.Step();
}
