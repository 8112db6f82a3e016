using EncDec.Generation;
using EncDec.Training.Configuration;

namespace EncDec.Training;

/// <summary>Why a run ended and what it left.</summary>
/// <param name="Step">Updates done.</param>
/// <param name="StopReason">Which limit ended it.</param>
/// <param name="Best">The best validation, when there was one.</param>
/// <param name="ModelFolder">The folder holding the final (best) model with its tokenizers.</param>
public sealed record TrainingOutcome(long Step, string StopReason, ValidationScore? Best, string ModelFolder);

/// <summary>
/// The training loop: groups of mini-batches into updates (<see cref="UpdateStep"/>), the learning-rate schedule,
/// periodic loss reports (observer and <c>metrics.jsonl</c>), validation with best-checkpoint selection, early
/// stopping, atomic checkpoints and the loss/score curve (<c>curve.svg</c>). A run resumed from its last
/// checkpoint continues exactly where it stopped: same batches, same dropout masks, same weights (given the
/// same thread count, since parallel reductions split work by thread).
/// </summary>
public sealed class Trainer
{
    private readonly TrainingConfig _config;
    private readonly ITrainingObserver _observer;

    /// <summary>A trainer for <paramref name="config"/> reporting to <paramref name="observer"/>.</summary>
    public Trainer(TrainingConfig config, ITrainingObserver observer)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        _config = config;
        _observer = observer;
    }

    /// <summary>Trains until a limit is reached. With <paramref name="resume"/> it continues from the last checkpoint
    /// in the output folder; without it, an output folder that already holds checkpoints is an error.</summary>
    /// <param name="resume">Continue an interrupted run.</param>
    /// <param name="cancellation">Stops cleanly (with a checkpoint) at the next update when cancelled.</param>
    public TrainingOutcome Run(bool resume, CancellationToken cancellation = default)
    {
        var store = new CheckpointStore(Path.Combine(_config.Output, "checkpoints"));
        var existing = store.Steps();
        if (!resume && existing.Count > 0)
            throw new InvalidDataException($"output folder '{_config.Output}' already holds checkpoints (last: step {existing[^1]}); pass --resume to continue it or choose another output");
        if (resume && existing.Count == 0)
            throw new InvalidDataException($"nothing to resume: '{store.Folder}' holds no complete checkpoint");
        Directory.CreateDirectory(_config.Output);
        var session = TrainingSession.Create(_config, _observer, resume);
        var state = resume ? Restore(session, store, existing[^1]) : Fresh(session);
        var metrics = new MetricsLog(Path.Combine(_config.Output, "metrics.jsonl"), resume ? state.Step : null);
        return new TrainingLoop(session, store, metrics, _observer, state).Run(cancellation);
    }

    private static TrainingState Fresh(TrainingSession session) => new(
        Step: 0, Epoch: 0, BatchesInEpoch: 0, session.Rng.GetState(), session.Config.Optimizer.Name,
        new Dictionary<string, long>(), session.Schedule.ExportState(), [], 0, 0, 0);

    private TrainingState Restore(TrainingSession session, CheckpointStore store, long step)
    {
        var (state, buffers, ema) = store.Load(step, session.Model);
        if (!string.Equals(state.OptimizerKind, session.Config.Optimizer.Name, StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"checkpoint step {step} was written by optimiser '{state.OptimizerKind}', the config asks for '{session.Config.Optimizer.Name}'");
        session.Optimizer.ImportState(new OptimizerState(state.OptimizerKind, buffers, state.OptimizerCounters));
        session.Schedule.ImportState(state.Schedule);
        if (session.Average is { } average)
        {
            if (ema is null) throw new InvalidDataException($"checkpoint step {step} has no ema.safetensors but training.ema_decay is set");
            average.ImportState(new OptimizerState("ema", ema, new Dictionary<string, long>()));
        }
        session.Rng.SetState(state.Rng);
        _observer.Message($"resumed from {store.PathOf(step)} (epoch {state.Epoch}, {state.BatchesInEpoch} batches into it)");
        return state;
    }

    /// <summary>Translates dev sources with the configured search (greedy for beam 1).</summary>
    internal static Func<IReadOnlyList<string>, IReadOnlyList<string>> DevTranslator(TrainingSession session) => sources =>
    {
        var validation = session.Config.Validation;
        var options = new SearchOptions(BeamSize: validation.Beam, MaxLengthRatio: (float)validation.MaxLengthRatio,
            MaxLengthOffset: validation.MaxLengthOffset);
        var translator = new Translator(session.AsTranslationModel(), options);
        return [.. translator.Translate(sources).Select(r => r.Text)];
    };
}
