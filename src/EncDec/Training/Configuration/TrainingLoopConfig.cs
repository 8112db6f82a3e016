namespace EncDec.Training.Configuration;

/// <summary>How the probability of feeding the model its own prediction grows during training (Bengio et al. 2015).</summary>
public enum ScheduledSamplingKind
{
    /// <summary>Always teacher forcing.</summary>
    None,

    /// <summary>p = max_rate · (1 − k / (k + exp(step / k))): slow start, then saturating (Bengio et al.'s inverse sigmoid decay of teacher forcing).</summary>
    InverseSigmoid,

    /// <summary>p grows linearly from 0 at step 0 to max_rate at step k.</summary>
    Linear,

    /// <summary>p = max_rate · (1 − 0.5^(step / k)): half of max_rate after k steps.</summary>
    Exponential,
}

/// <summary>The training loop itself (section <c>training</c>).</summary>
/// <param name="MaxSteps">Stop after this many optimiser updates (0: no limit).</param>
/// <param name="MaxEpochs">Stop after this many passes over the data (0: no limit).</param>
/// <param name="TimeLimitMinutes">Stop after this much wall time (0: no limit); the last state is checkpointed.</param>
/// <param name="AccumulationSteps">Mini-batches whose gradients add up into one update (a larger effective batch).</param>
/// <param name="ClipNorm">Clip the global gradient norm to this (0: no clipping; the norm is still logged).</param>
/// <param name="LabelSmoothing">ε of label-smoothed cross-entropy.</param>
/// <param name="ScheduledSampling">Schedule of the probability of replacing a teacher-forced input by the model's prediction.</param>
/// <param name="ScheduledSamplingK">The schedule's time constant, in steps.</param>
/// <param name="ScheduledSamplingMaxRate">The highest replacement probability.</param>
/// <param name="EmaDecay">Keep an exponential moving average of the weights with this decay (0: off); validation and the saved model use it.</param>
/// <param name="Seed">Seed of the data order and of dropout.</param>
/// <param name="Threads">Threads for the tensor engine (0: all cores).</param>
/// <param name="LogEvery">Print and log training metrics every this many steps.</param>
/// <param name="CheckpointEvery">Write a resumable checkpoint every this many steps (0: only at validation and at the end).</param>
public sealed record TrainingLoopConfig(
    long MaxSteps = 0,
    int MaxEpochs = 0,
    double TimeLimitMinutes = 0,
    int AccumulationSteps = 1,
    double ClipNorm = 1.0,
    float LabelSmoothing = 0.1f,
    ScheduledSamplingKind ScheduledSampling = ScheduledSamplingKind.None,
    double ScheduledSamplingK = 2000,
    double ScheduledSamplingMaxRate = 0.25,
    float EmaDecay = 0f,
    ulong Seed = 1,
    int Threads = 0,
    int LogEvery = 100,
    int CheckpointEvery = 1000)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming an out-of-range field.</summary>
    public void Validate()
    {
        if (MaxSteps < 0) throw new ArgumentException($"max_steps {MaxSteps} is negative");
        if (MaxEpochs < 0) throw new ArgumentException($"max_epochs {MaxEpochs} is negative");
        if (!(TimeLimitMinutes >= 0)) throw new ArgumentException($"time_limit_minutes {TimeLimitMinutes} is negative");
        if (MaxSteps == 0 && MaxEpochs == 0 && TimeLimitMinutes == 0)
            throw new ArgumentException("set at least one of max_steps, max_epochs or time_limit_minutes");
        if (AccumulationSteps < 1) throw new ArgumentException($"accumulation_steps {AccumulationSteps} must be at least 1");
        if (!(ClipNorm >= 0)) throw new ArgumentException($"clip_norm {ClipNorm} is negative");
        if (!(LabelSmoothing >= 0 && LabelSmoothing < 1)) throw new ArgumentException($"label_smoothing {LabelSmoothing} is outside [0, 1)");
        if (!Enum.IsDefined(ScheduledSampling)) throw new ArgumentException($"unknown scheduled_sampling {ScheduledSampling}");
        if (!(ScheduledSamplingK > 0)) throw new ArgumentException($"scheduled_sampling_k {ScheduledSamplingK} must be positive");
        if (!(ScheduledSamplingMaxRate >= 0 && ScheduledSamplingMaxRate <= 1))
            throw new ArgumentException($"scheduled_sampling_max_rate {ScheduledSamplingMaxRate} is outside [0, 1]");
        if (!(EmaDecay >= 0 && EmaDecay < 1)) throw new ArgumentException($"ema_decay {EmaDecay} is outside [0, 1)");
        if (Threads < 0) throw new ArgumentException($"threads {Threads} is negative");
        if (LogEvery < 1) throw new ArgumentException($"log_every {LogEvery} must be at least 1");
        if (CheckpointEvery < 0) throw new ArgumentException($"checkpoint_every {CheckpointEvery} is negative");
    }
}
