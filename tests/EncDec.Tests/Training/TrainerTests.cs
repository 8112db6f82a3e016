using EncDec.Interop;
using EncDec.Models;
using EncDec.Training;

namespace EncDec.Tests.Training;

public sealed class TrainerTests
{
    private static byte[] Weights(string checkpoint) => File.ReadAllBytes(Path.Combine(checkpoint, ModelFolder.WeightsFileName));

    [Fact]
    public void Run_WritesCheckpointsMetricsCurveAndALoadableModel()
    {
        using var kit = new TrainingRunKit();
        var log = new StringWriter();
        var outcome = new Trainer(kit.Config(), new TextTrainingObserver(log)).Run(resume: false);

        Assert.Equal(30, outcome.Step);
        Assert.Contains("max_steps", outcome.StopReason);
        var records = MetricsLog.ReadAll(Path.Combine(kit.Output, "metrics.jsonl"));
        Assert.Equal([5L, 10, 15, 20, 25, 30], records.Where(r => r.Kind == "train").Select(r => r.Step));
        Assert.Equal([10L, 20, 30], records.Where(r => r.Kind == "valid").Select(r => r.Step));
        Assert.All(records.Where(r => r.Kind == "valid"), r => Assert.InRange(r.Values["exact_match"], 0, 100));
        Assert.True(File.Exists(Path.Combine(kit.Output, "curve.svg")));

        var store = new CheckpointStore(Path.Combine(kit.Output, "checkpoints"));
        var steps = store.Steps();
        Assert.Contains(30L, steps);                       // the last
        Assert.Contains(outcome.Best!.Step, steps);        // the best
        Assert.True(steps.Count <= 2, $"kept {string.Join(",", steps)}");

        var model = TranslationModelFolder.Load(outcome.ModelFolder);
        Assert.Equal(model.Config.SourceVocabulary, model.SourceTokenizer.VocabularySize);
        Assert.Contains("training starts", log.ToString());
    }

    [Fact]
    public void TrainingReducesTheLoss()
    {
        using var kit = new TrainingRunKit();
        new Trainer(kit.Config("training.max_steps=60", "validation.every=0"), new TextTrainingObserver(TextWriter.Null)).Run(resume: false);
        var losses = MetricsLog.ReadAll(Path.Combine(kit.Output, "metrics.jsonl")).Where(r => r.Kind == "train").Select(r => r.Values["loss"]).ToList();
        Assert.True(losses[^1] < 0.7 * losses[0], $"losses {string.Join(", ", losses)}");
    }

    [Fact]
    public void Resume_ContinuesExactlyAsAnUninterruptedRun()
    {
        using var straight = new TrainingRunKit();
        new Trainer(straight.Config(), new TextTrainingObserver(TextWriter.Null)).Run(resume: false);

        using var interrupted = new TrainingRunKit();
        new Trainer(interrupted.Config("training.max_steps=15"), new TextTrainingObserver(TextWriter.Null)).Run(resume: false);
        new Trainer(interrupted.Config(), new TextTrainingObserver(TextWriter.Null)).Run(resume: true);

        string Last(TrainingRunKit kit) => new CheckpointStore(Path.Combine(kit.Output, "checkpoints")).PathOf(30);
        Assert.Equal(Weights(Last(straight)), Weights(Last(interrupted)));
        Assert.Equal(
            File.ReadAllBytes(Path.Combine(Last(straight), "optimizer.safetensors")),
            File.ReadAllBytes(Path.Combine(Last(interrupted), "optimizer.safetensors")));
    }

    [Fact]
    public void ExistingRun_WithoutResume_IsAnError_AndResumeWithoutCheckpoints_IsAnError()
    {
        using var kit = new TrainingRunKit();
        Assert.Contains("nothing to resume", Assert.Throws<InvalidDataException>(
            () => new Trainer(kit.Config(), new TextTrainingObserver(TextWriter.Null)).Run(resume: true)).Message);
        new Trainer(kit.Config("training.max_steps=5"), new TextTrainingObserver(TextWriter.Null)).Run(resume: false);
        Assert.Contains("--resume", Assert.Throws<InvalidDataException>(
            () => new Trainer(kit.Config(), new TextTrainingObserver(TextWriter.Null)).Run(resume: false)).Message);
    }
}
