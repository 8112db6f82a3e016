using System.Diagnostics;
using EncDec.Data;
using EncDec.Models;
using EncDec.Training.Configuration;

namespace EncDec.Training;

/// <summary>The body of <see cref="Trainer.Run"/>: the loop over epochs and updates with its reports, validations and checkpoints.</summary>
internal sealed class TrainingLoop(TrainingSession session, CheckpointStore store, MetricsLog metrics, ITrainingObserver observer, TrainingState state)
{
    private readonly TrainingConfig _config = session.Config;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly double _elapsedBefore = state.ElapsedSeconds;
    private readonly List<ValidationScore> _validations = [.. state.Validations];
    private long _step = state.Step, _batchesInEpoch = state.BatchesInEpoch, _targetTokens = state.TargetTokens;
    private int _epoch = state.Epoch, _badValidations = state.ValidationsWithoutImprovement;
    private readonly long _startStep = state.Step;
    private long _checkpointedStep = -1;
    private double _windowLoss, _windowTokens, _lastNorm;
    private double _windowStart = state.ElapsedSeconds;

    private double Elapsed => _elapsedBefore + _clock.Elapsed.TotalSeconds;

    public TrainingOutcome Run(CancellationToken cancellation)
    {
        var loop = _config.Training;
        var update = new UpdateStep(session.Model, session.Optimizer, session.Parameters, session.Average, loop, session.Tokenizers.Ids, session.Rng);
        observer.Message(_step == 0 ? "training starts" : $"training resumes at step {_step}");
        string? reason = null;
        while (reason is null)
        {
            if (loop.MaxEpochs > 0 && _epoch >= loop.MaxEpochs) { reason = $"reached max_epochs {loop.MaxEpochs}"; break; }
            var group = new List<Batch>(loop.AccumulationSteps);
            foreach (var batch in session.Train.Epoch(_epoch, _batchesInEpoch))
            {
                group.Add(batch);
                if (group.Count < loop.AccumulationSteps) continue;
                reason = Update(update, group, cancellation);
                group.Clear();
                if (reason is not null) break;
            }
            if (reason is null && group.Count > 0) reason = Update(update, group, cancellation);
            if (reason is null)
            {
                if (_batchesInEpoch == 0) throw new InvalidDataException($"the training data yields no batch: {session.Train.Statistics}");
                _epoch++;
                _batchesInEpoch = 0;
            }
        }
        return Finish(reason);
    }

    /// <summary>One update and whatever is due after it; returns a stop reason or null to go on.</summary>
    private string? Update(UpdateStep update, List<Batch> group, CancellationToken cancellation)
    {
        var loop = _config.Training;
        _step++;
        session.Optimizer.LearningRate = session.Schedule.LearningRate(_step);
        var result = update.Run(group, _step);
        _batchesInEpoch += group.Count;
        _targetTokens += result.TargetTokens;
        _lastNorm = result.GradientNorm;
        if (result.Skipped) observer.Message($"step {_step}: gradient norm {result.GradientNorm} is not finite; update skipped");
        else { _windowLoss += result.Loss * result.TargetTokens; _windowTokens += result.TargetTokens; }
        if (_step % loop.LogEvery == 0) Report();
        string? reason = null;
        if (loop.MaxSteps > 0 && _step >= loop.MaxSteps) reason = $"reached max_steps {loop.MaxSteps}";
        else if (loop.TimeLimitMinutes > 0 && Elapsed >= loop.TimeLimitMinutes * 60) reason = $"reached time_limit_minutes {loop.TimeLimitMinutes}";
        else if (cancellation.IsCancellationRequested) reason = "interrupted";
        var validation = _config.Validation;
        if (reason is null && validation.Every > 0 && _step % validation.Every == 0 && session.Dev is not null)
        {
            reason = Validate();
            Checkpoint();
        }
        else if (reason is null && loop.CheckpointEvery > 0 && _step % loop.CheckpointEvery == 0) Checkpoint();
        return reason;
    }

    private void Report()
    {
        double seconds = Elapsed - _windowStart;
        double loss = _windowTokens > 0 ? _windowLoss / _windowTokens : double.NaN;
        double speed = seconds > 0 ? _windowTokens / seconds : 0;
        long maxSteps = _config.Training.MaxSteps;
        TimeSpan? remaining = null;
        double rate = (_step - _startStep) / Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        if (maxSteps > 0 && rate > 0) remaining = TimeSpan.FromSeconds((maxSteps - _step) / rate);
        if (_config.Training.TimeLimitMinutes > 0)
        {
            var byTime = TimeSpan.FromSeconds(Math.Max(0, _config.Training.TimeLimitMinutes * 60 - Elapsed));
            remaining = remaining is { } r && r < byTime ? r : byTime;
        }
        observer.Progress(new TrainingProgress(_step, maxSteps, _epoch, loss, session.Optimizer.LearningRate, _lastNorm, speed,
            TimeSpan.FromSeconds(Elapsed), remaining));
        metrics.Append(new MetricRecord("train", _step, new Dictionary<string, double>
        {
            ["epoch"] = _epoch, ["loss"] = loss, ["perplexity"] = Math.Exp(loss), ["learning_rate"] = session.Optimizer.LearningRate,
            ["gradient_norm"] = _lastNorm, ["target_tokens_per_s"] = speed, ["target_tokens"] = _targetTokens, ["elapsed_s"] = Elapsed,
        }));
        _windowLoss = _windowTokens = 0;
        _windowStart = Elapsed;
    }

    /// <summary>Evaluates on the dev set, records the score, saves the model when it is the best; returns an early-stop reason or null.</summary>
    private string? Validate()
    {
        var validation = _config.Validation;
        DevResult result;
        using (session.Average?.Apply())
            result = session.Dev!.Evaluate(session.Model, Trainer.DevTranslator(session), validation.MaxSentences);
        double score = result.Score(validation.Metric);
        bool improved = BestValidation() is not { } best || IsBetter(score, best.Score);
        _validations.Add(new ValidationScore(_step, score));
        _badValidations = improved ? 0 : _badValidations + 1;
        session.Schedule.ReportValidation(score);
        observer.Validation(_step, result, improved);
        metrics.Append(new MetricRecord("valid", _step, new Dictionary<string, double>
        {
            ["loss"] = result.Loss, ["perplexity"] = result.Perplexity, ["bleu"] = result.Bleu, ["chrf"] = result.Chrf,
            ["exact_match"] = result.ExactMatch, ["score"] = score, ["elapsed_s"] = Elapsed,
        }));
        TrainingCurve.Write(Path.Combine(_config.Output, "curve.svg"), metrics.Records, $"{_config.Model.Preset} — {_config.Output}");
        if (improved) SaveModel();
        if (validation.ReachesTarget(score)) return $"{validation.Metric} {score:F2} reached stop_at {validation.StopAt}";
        if (validation.Patience > 0 && _badValidations >= validation.Patience)
            return $"early stopping: no {validation.Metric} improvement in {validation.Patience} validations";
        return null;
    }

    /// <summary>The best validation so far (the earlier one on ties), or null before the first.</summary>
    private ValidationScore? BestValidation() => _validations.Count == 0 ? null
        : _validations.First(v => v.Step == CheckpointStore.Best(_validations, 1, _config.Validation.HigherIsBetter)[0]);

    private bool IsBetter(double score, double best) =>
        double.IsFinite(score) && (!double.IsFinite(best) || (_config.Validation.HigherIsBetter ? score > best : score < best));

    private void SaveModel()
    {
        using (session.Average?.Apply())
            TranslationModelFolder.Save(session.AsTranslationModel(), session.ModelFolderPath);
    }

    private void Checkpoint()
    {
        if (_checkpointedStep == _step) return;   // an early stop already checkpointed this step before Finish
        _checkpointedStep = _step;
        var optimizer = session.Optimizer.ExportState();
        var state = new TrainingState(_step, _epoch, _batchesInEpoch, session.Rng.GetState(), _config.Optimizer.Name,
            optimizer.Counters, session.Schedule.ExportState(), [.. _validations], _badValidations, _targetTokens, Elapsed);
        store.Save(session.Model, session.ModelConfig, optimizer.Buffers, session.Average?.ExportState().Buffers, state);
        store.Prune(_validations, _config.Validation.KeepBest, _config.Validation.HigherIsBetter);
    }

    private TrainingOutcome Finish(string reason)
    {
        if (_windowTokens > 0) Report();
        bool validated = _validations.Count > 0 && _validations[^1].Step == _step;
        if (!validated && session.Dev is not null && _step > _startStep) Validate();
        Checkpoint();
        if (session.Dev is null) SaveModel();
        TrainingCurve.Write(Path.Combine(_config.Output, "curve.svg"), metrics.Records, $"{_config.Model.Preset} — {_config.Output}");
        var best = BestValidation();
        observer.Message($"stopped at step {_step}: {reason}; model in {session.ModelFolderPath}");
        return new TrainingOutcome(_step, reason, best, session.ModelFolderPath);
    }
}
