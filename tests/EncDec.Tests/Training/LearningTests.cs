using EncDec.Data.Synthetic;
using EncDec.Generation;
using EncDec.Models;
using EncDec.Training;
using EncDec.Training.Configuration;

namespace EncDec.Tests.Training;

/// <summary>
/// The whole stack learns: one model per preset is trained by the real <see cref="Trainer"/> on copying, reversing and
/// sorting sequences of 5..20 symbols over 20 symbols (the task named by a first token, as T5 prefixes tasks), and must
/// reach at least 99% exact match on held-out sequences of each task. Bounded by a step limit; each can fail.
/// </summary>
public sealed class LearningTests
{
    private static readonly string[] Tasks = ["copy", "reverse", "sort"];

    public static TheoryData<string, string[]> Presets => new()
    {
        // The presets' architectures at a width that learns these tasks in minutes; a cosine decay lets the last steps settle.
        { "transformer", ["model.d_model=128", "model.ffn_dim=512", "model.heads=4", "model.layers=2", "model.tie_embeddings=true",
                          "optimizer.learning_rate=0.0015", "schedule.kind=cosine", "schedule.warmup_steps=400", "schedule.total_steps=4000",
                          "batching.max_tokens=1024", "training.max_steps=4000"] },
        { "bahdanau-gru", ["model.hidden_size=192", "model.embedding_dim=64", "optimizer.learning_rate=0.003", "schedule.kind=cosine",
                           "schedule.warmup_steps=100", "schedule.total_steps=2000", "batching.max_tokens=2048", "training.max_steps=2000"] },
    };

    [Theory]
    [MemberData(nameof(Presets))]
    public void CopyReverseSort_ReachNinetyNinePercentExactMatch_OnHeldOutSequences(string preset, string[] settings)
    {
        string folder = Directory.CreateTempSubdirectory($"encdec-learn-{preset}-").FullName;
        try
        {
            var test = WriteData(folder);
            var config = TrainingConfig.Load(null,
            [
                $"output={Path.Combine(folder, "run")}",
                $"data.train_source={Path.Combine(folder, "train.src")}", $"data.train_target={Path.Combine(folder, "train.tgt")}",
                $"data.dev_source={Path.Combine(folder, "dev.src")}", $"data.dev_target={Path.Combine(folder, "dev.tgt")}",
                "tokenizer.kind=word", "tokenizer.vocabulary_size=64", $"model.preset={preset}", "model.dropout=0",
                "training.label_smoothing=0", "training.log_every=1000", "training.checkpoint_every=0",
                // One validation, at the end: the cosine schedule has settled by then, and a dev set this small
                // reaches 100% before the held-out sets do, so picking or stopping on it would stop too early.
                "validation.every=0", "validation.metric=exact-match",
                .. settings,
            ]);
            var outcome = new Trainer(config, new TextTrainingObserver(TextWriter.Null)).Run(resume: false);

            var model = TranslationModelFolder.Load(outcome.ModelFolder);
            var translator = new Translator(model, new SearchOptions(MaxLengthRatio: 1.5f, MaxLengthOffset: 5));
            var hypotheses = translator.Translate(test.Select(p => p.Source)).Select(r => r.Text).ToList();
            foreach (string task in Tasks)
            {
                var rows = Enumerable.Range(0, test.Count).Where(i => test[i].Source.StartsWith(task + ":", StringComparison.Ordinal)).ToList();
                double exact = 100.0 * rows.Count(i => hypotheses[i] == test[i].Target) / rows.Count;
                Assert.True(exact >= 99, $"{preset} {task}: {exact:F1}% exact after {outcome.Step} steps ({outcome.StopReason})");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Writes mixed train (20,000 per task) and dev (50 per task) files; returns 100 held-out test pairs per task.</summary>
    private static List<SyntheticPair> WriteData(string folder)
    {
        var train = new List<SyntheticPair>();
        var dev = new List<SyntheticPair>();
        var test = new List<SyntheticPair>();
        for (int t = 0; t < Tasks.Length; t++)
        {
            var splits = SyntheticCorpus.GenerateSplits(SyntheticTasks.Get(Tasks[t]), train: 20_000, dev: 50, test: 100, seed: (ulong)(11 + t));
            SyntheticPair Tag(SyntheticPair p) => new($"{Tasks[t]}: {p.Source}", p.Target);
            train.AddRange(splits.Train.Select(Tag));
            dev.AddRange(splits.Dev.Select(Tag));
            test.AddRange(splits.Test.Select(Tag));
        }
        var random = new Random(3);
        SyntheticCorpus.Write([.. train.OrderBy(_ => random.Next())], folder, "train");
        SyntheticCorpus.Write(dev, folder, "dev");
        return test;
    }
}
