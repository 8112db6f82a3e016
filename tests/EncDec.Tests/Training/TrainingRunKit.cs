using EncDec.Training;
using EncDec.Training.Configuration;

namespace EncDec.Tests.Training;

/// <summary>
/// A tiny, fast training run for the trainer tests: a copy task over ten symbols written to files in a temporary
/// folder, a word vocabulary and a one-layer Transformer of width 32, so a run of a few dozen updates takes about a second.
/// </summary>
internal sealed class TrainingRunKit : IDisposable
{
    public TrainingRunKit(int trainPairs = 400, int devPairs = 40, int seed = 5)
    {
        Folder = Directory.CreateTempSubdirectory("encdec-train-").FullName;
        var random = new Random(seed);
        WritePairs("train", trainPairs, random);
        WritePairs("dev", devPairs, random);
    }

    public string Folder { get; }

    public string Output => Path.Combine(Folder, "run");

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    /// <summary>The settings of the tiny run, as <c>key=value</c> overrides (later ones win).</summary>
    public List<string> Settings(params string[] extra) =>
    [
        $"output={Output}",
        $"data.train_source={Path.Combine(Folder, "train.src")}", $"data.train_target={Path.Combine(Folder, "train.tgt")}",
        $"data.dev_source={Path.Combine(Folder, "dev.src")}", $"data.dev_target={Path.Combine(Folder, "dev.tgt")}",
        "tokenizer.kind=word", "tokenizer.vocabulary_size=64",
        "model.preset=transformer", "model.d_model=32", "model.ffn_dim=64", "model.heads=2", "model.layers=1", "model.dropout=0.1",
        "batching.max_tokens=400", "batching.pool_size=1000",
        "optimizer.name=adam", "optimizer.learning_rate=0.003",
        "schedule.kind=inverse-sqrt", "schedule.warmup_steps=10",
        "training.max_steps=30", "training.log_every=5", "training.checkpoint_every=5",
        "validation.every=10", "validation.metric=exact-match", "validation.keep_best=1",
        .. extra,
    ];

    public TrainingConfig Config(params string[] extra) => TrainingConfig.Load(null, Settings(extra));

    /// <summary>Writes the settings as a YAML run file (flat dotted keys nested by section).</summary>
    public string WriteRunFile(string name, params string[] extra)
    {
        var lines = new List<string>();
        foreach (var group in Settings(extra).Select(s => s.Split('=', 2)).GroupBy(kv => kv[0].Contains('.') ? kv[0][..kv[0].IndexOf('.')] : ""))
        {
            if (group.Key.Length == 0) { lines.AddRange(group.Select(kv => $"{kv[0]}: \"{kv[1]}\"")); continue; }
            lines.Add($"{group.Key}:");
            var last = group.GroupBy(kv => kv[0]).Select(g => g.Last());
            lines.AddRange(last.Select(kv => $"  {kv[0][(group.Key.Length + 1)..]}: \"{kv[1]}\""));
        }
        string path = Path.Combine(Folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private void WritePairs(string split, int count, Random random)
    {
        var lines = Enumerable.Range(0, count)
            .Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(2, 6)).Select(_ => (char)('a' + random.Next(10)))))
            .ToList();
        File.WriteAllLines(Path.Combine(Folder, $"{split}.src"), lines);
        File.WriteAllLines(Path.Combine(Folder, $"{split}.tgt"), lines);
    }
}
