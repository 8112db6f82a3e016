namespace EncDec.Cli.Quickstart;

/// <summary>What <c>encdec quickstart</c> was asked for.</summary>
/// <param name="Output">The folder that receives the data, the run, the model and the attention page.</param>
/// <param name="Preset">The model preset; Transformer presets are shrunk to a width of 128 so they train in minutes.</param>
/// <param name="Minutes">The training time budget.</param>
/// <param name="Threads">Tensor-engine threads (0: all cores).</param>
/// <param name="Seed">Seeds the corpus, the data order and the initial weights.</param>
/// <param name="TrainPairs">Generated training pairs.</param>
/// <param name="Quiet">Print only the summary.</param>
public sealed record QuickstartSettings(string Output = "quickstart", string Preset = "transformer", double Minutes = 3.5,
    int Threads = 0, ulong Seed = 1, int TrainPairs = 200_000, bool Quiet = false)
{
    /// <summary>Held-out pairs the model is scored on at the end.</summary>
    public const int TestPairs = 500;

    /// <summary>Held-out pairs validated on during training.</summary>
    public const int DevPairs = 300;

    /// <summary>The training settings, as <c>key=value</c> overrides of <see cref="EncDec.Training.Configuration.TrainingConfig"/>.</summary>
    public IReadOnlyList<string> TrainingOverrides(string dataFolder, bool transformer)
    {
        string data = dataFolder;
        var settings = new List<string>
        {
            $"output={Output}",
            $"data.train_source={Path.Combine(data, "train.src")}", $"data.train_target={Path.Combine(data, "train.tgt")}",
            $"data.dev_source={Path.Combine(data, "dev.src")}", $"data.dev_target={Path.Combine(data, "dev.tgt")}",
            "tokenizer.kind=word", "tokenizer.vocabulary_size=4000", "tokenizer.joint=true",
            $"model.preset={Preset}", $"model.seed={Seed}",
            "batching.max_tokens=4096",
            "optimizer.name=adam",
            $"training.time_limit_minutes={Minutes.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            "training.label_smoothing=0.1", "training.log_every=25", "training.checkpoint_every=0",
            $"training.seed={Seed}", $"training.threads={Threads}",
            "validation.every=300", "validation.metric=exact-match", "validation.stop_at=99.5", "validation.beam=1",
        };
        settings.AddRange(transformer
            ? ["model.d_model=128", "model.ffn_dim=512", "model.heads=4", "model.layers=2", "model.dropout=0.1", "model.tie_embeddings=true",
               "optimizer.learning_rate=0.0015", "schedule.kind=inverse-sqrt", "schedule.warmup_steps=300"]
            : ["optimizer.learning_rate=0.002", "schedule.kind=inverse-sqrt", "schedule.warmup_steps=100"]);
        return settings;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming an invalid setting.</summary>
    public void Validate()
    {
        if (!(Minutes > 0 && Minutes <= 24 * 60)) throw new ArgumentException($"--minutes {Minutes} must be in (0, 1440]");
        if (Threads < 0) throw new ArgumentException($"--threads {Threads} is negative");
        if (TrainPairs < 1000) throw new ArgumentException($"--train-pairs {TrainPairs} must be at least 1000");
        if (!Models.ModelPresets.Names.Contains(Preset, StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException($"unknown preset '{Preset}'; presets: {string.Join(", ", Models.ModelPresets.Names)}");
    }
}
