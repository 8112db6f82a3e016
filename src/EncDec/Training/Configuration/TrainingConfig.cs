using EncDec.Data;

namespace EncDec.Training.Configuration;

/// <summary>
/// A whole training run, as written in <c>run.yaml</c>: one section per record below, keys in snake_case, any key
/// overridable on the command line as <c>section.key=value</c>. Load with <see cref="Load"/>.
/// </summary>
/// <example><code>
/// output: runs/multi30k-en-fr
/// data: { train_source: train.en.gz, train_target: train.fr.gz, dev_source: val.en.gz, dev_target: val.fr.gz }
/// tokenizer: { kind: unigram, vocabulary_size: 8000 }
/// model: { preset: transformer }
/// batching: { max_tokens: 4096 }
/// optimizer: { name: adam, learning_rate: 0.0007 }
/// schedule: { kind: inverse-sqrt, warmup_steps: 4000 }
/// training: { max_steps: 20000, label_smoothing: 0.1 }
/// validation: { every: 1000, metric: bleu, patience: 5 }
/// </code></example>
/// <param name="Output">Folder for checkpoints, the final model, metrics and curves.</param>
/// <param name="Data">The parallel text.</param>
/// <param name="Tokenizer">The vocabulary to learn or load.</param>
/// <param name="Model">The architecture.</param>
/// <param name="Batching">Token-based batching.</param>
/// <param name="Optimizer">The optimiser and its hyper-parameters.</param>
/// <param name="Schedule">The learning-rate schedule.</param>
/// <param name="Training">Steps, accumulation, clipping, smoothing, seeds.</param>
/// <param name="Validation">Dev-set evaluation, best checkpoints and early stopping.</param>
public sealed record TrainingConfig(
    string Output,
    TrainingDataConfig Data,
    TokenizerConfig Tokenizer,
    ModelChoiceConfig Model,
    BatchingOptions Batching,
    OptimizerConfig Optimizer,
    ScheduleConfig Schedule,
    TrainingLoopConfig Training,
    ValidationConfig Validation)
{
    /// <summary>Throws <see cref="ArgumentException"/> for settings that conflict across sections.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Output)) throw new ArgumentException("output folder is empty");
        if (Model.TieEmbeddings && !Tokenizer.Joint) throw new ArgumentException("model.tie_embeddings needs tokenizer.joint: true");
        if (Validation.Every > 0 && !Data.HasDev && Validation.Patience > 0)
            throw new ArgumentException("validation.patience needs a dev set (data.dev_source + data.dev_target, or data.dev)");
    }

    /// <summary>Reads <paramref name="yamlPath"/> (may be null: overrides only), applies <paramref name="overrides"/>
    /// (<c>section.key=value</c>) and binds and validates everything.</summary>
    /// <exception cref="InvalidDataException">A malformed file, an unknown key or an invalid value, naming where it was set.</exception>
    public static TrainingConfig Load(string? yamlPath, IEnumerable<string> overrides)
    {
        var settings = yamlPath is null ? new ConfigSettings() : ConfigSettings.FromYamlFile(yamlPath);
        foreach (string assignment in overrides)
        {
            try { settings.Override(assignment); }
            catch (ArgumentException e) { throw new InvalidDataException(e.Message, e); }
        }
        return Bind(settings);
    }

    /// <summary>Binds already collected settings.</summary>
    public static TrainingConfig Bind(ConfigSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return ConfigBinder.Bind<TrainingConfig>(settings);
    }
}
