using EncDec.Data;
using EncDec.Generation;
using EncDec.Kernels;
using EncDec.Models;
using EncDec.Tensors;
using EncDec.Training.Configuration;

namespace EncDec.Training;

/// <summary>
/// Everything a run is made of, built from its <see cref="TrainingConfig"/>: the corpora and batchers, the
/// tokenizers (learned, or on resume read back from <c>OUTPUT/model</c>), the model, its optimiser, schedule and
/// optional moving average, and the generator behind dropout and scheduled sampling.
/// </summary>
public sealed class TrainingSession
{
    private TrainingSession(TrainingConfig config, TrainingTokenizers tokenizers, ModelConfig modelConfig, EncoderDecoderModel model,
        RandomGenerator rng, TokenBatcher train, DevEvaluator? dev)
    {
        Config = config;
        Tokenizers = tokenizers;
        ModelConfig = modelConfig;
        Model = model;
        Rng = rng;
        Train = train;
        Dev = dev;
        Parameters = [.. model.Parameters().Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>()];
        Optimizer = config.Optimizer.Create(Parameters);
        Schedule = config.Schedule.Create(config.Optimizer.LearningRate);
        Average = config.Training.EmaDecay > 0 ? new ExponentialMovingAverage(Parameters, config.Training.EmaDecay) : null;
    }

    /// <summary>The run's configuration.</summary>
    public TrainingConfig Config { get; }

    /// <summary>Source and target tokenizers and special ids.</summary>
    public TrainingTokenizers Tokenizers { get; }

    /// <summary>The architecture.</summary>
    public ModelConfig ModelConfig { get; }

    /// <summary>The model being trained.</summary>
    public EncoderDecoderModel Model { get; }

    /// <summary>Every trainable tensor once (tied tables appear once).</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>The optimiser.</summary>
    public IOptimizer Optimizer { get; }

    /// <summary>The learning-rate schedule.</summary>
    public LearningRateSchedule Schedule { get; }

    /// <summary>The moving average of the weights, when configured.</summary>
    public ExponentialMovingAverage? Average { get; }

    /// <summary>Draws dropout masks and scheduled-sampling choices; saved in checkpoints.</summary>
    public RandomGenerator Rng { get; }

    /// <summary>Training batches.</summary>
    public TokenBatcher Train { get; }

    /// <summary>Dev-set evaluation, when a dev set is configured.</summary>
    public DevEvaluator? Dev { get; }

    /// <summary>The model folder written under the output folder (tokenizers, then the best weights).</summary>
    public string ModelFolderPath => Path.Combine(Config.Output, "model");

    /// <summary>The model with its tokenizers, as translation and saving see it.</summary>
    public TranslationModel AsTranslationModel() =>
        new(Model, ModelConfig, Tokenizers.Source, Tokenizers.Target, Tokenizers.Ids, AppendSourceEnd: true);

    /// <summary>Builds a session. With <paramref name="resume"/> the tokenizers are read from <c>OUTPUT/model</c>;
    /// otherwise they are learned or loaded and saved there with the initial weights.</summary>
    public static TrainingSession Create(TrainingConfig config, ITrainingObserver observer, bool resume)
    {
        if (config.Training.Threads > 0) Parallelism.ThreadCount = config.Training.Threads;
        var data = config.Data;
        var readOptions = new CorpusReadOptions(SkipInvalid: data.SkipInvalid);
        var trainCorpus = data.Train is { } single ? OpenSingle(single, readOptions) : ParallelCorpus.Open(data.TrainSource!, data.TrainTarget!, readOptions);
        string modelFolder = Path.Combine(config.Output, "model");
        TrainingTokenizers tokenizers;
        if (resume)
        {
            var saved = TranslationModelFolder.Load(modelFolder);
            tokenizers = new TrainingTokenizers(saved.SourceTokenizer, saved.TargetTokenizer, saved.Ids);
            observer.Message($"tokenizers read from {modelFolder}");
        }
        else
        {
            observer.Message($"preparing {config.Tokenizer.Kind} tokenizer(s) from {trainCorpus.Description}");
            tokenizers = TrainingTokenizers.Prepare(config.Tokenizer, trainCorpus, config.Output, config.Training.Seed);
        }
        var modelConfig = config.Model.Build(tokenizers.Source.VocabularySize, tokenizers.Target.VocabularySize);
        var rng = new RandomGenerator(modelConfig.Seed);
        var model = ModelBuilder.Build(modelConfig, rng);
        model.Train();
        var batching = config.Batching with { Seed = config.Training.Seed };
        var train = new TokenBatcher(trainCorpus, tokenizers.Source.Encode, tokenizers.Target.Encode, tokenizers.Ids, appendSourceEnd: true, batching);
        var dev = data.HasDev ? CreateDev(data, readOptions, tokenizers, batching) : null;
        var session = new TrainingSession(config, tokenizers, modelConfig, model, rng, train, dev);
        if (!resume) TranslationModelFolder.Save(session.AsTranslationModel(), modelFolder);
        observer.Message($"model {config.Model.Preset}: {model.ParameterCount():N0} parameters, vocabularies {tokenizers.Source.VocabularySize} / {tokenizers.Target.VocabularySize}");
        return session;
    }

    private static DevEvaluator CreateDev(TrainingDataConfig data, CorpusReadOptions options, TrainingTokenizers tokenizers, BatchingOptions batching)
    {
        var corpus = data.Dev is { } single ? OpenSingle(single, options) : ParallelCorpus.Open(data.DevSource!, data.DevTarget!, options);
        var pairs = corpus.Read().Select(p => (p.Source, p.Target)).ToList();
        var batcher = new TokenBatcher(ParallelCorpus.FromPairs(pairs, corpus.Description), tokenizers.Source.Encode, tokenizers.Target.Encode,
            tokenizers.Ids, appendSourceEnd: true, batching with { Shuffle = false, Filter = LengthFilter.Truncate });
        return new DevEvaluator(batcher, pairs, tokenizers.Ids);
    }

    /// <summary>A TSV or JSONL file, chosen by its extension (ignoring a trailing .gz).</summary>
    private static IParallelCorpus OpenSingle(string path, CorpusReadOptions options)
    {
        string name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
        if (name.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            return ParallelCorpus.OpenJsonl(path, options);
        if (name.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
            return ParallelCorpus.OpenTsv(path, options);
        throw new InvalidDataException($"'{path}': a single data file must end in .tsv or .jsonl (optionally .gz); use *_source and *_target for two files");
    }
}
