namespace EncDec.Training.Configuration;

/// <summary>The metric that chooses the best checkpoint and drives early stopping.</summary>
public enum ValidationMetric
{
    /// <summary>Corpus BLEU of greedy (or beam) translations of the dev set, SacreBLEU's defaults; higher is better.</summary>
    Bleu,

    /// <summary>Corpus chrF; higher is better.</summary>
    Chrf,

    /// <summary>Dev cross-entropy per target token (no label smoothing); lower is better.</summary>
    Loss,

    /// <summary>Share of dev sentences translated exactly as the reference; higher is better.</summary>
    ExactMatch,
}

/// <summary>Validation on the development set (section <c>validation</c>).</summary>
/// <param name="Every">Validate every this many steps (0: only at the end).</param>
/// <param name="Metric">The metric that picks the best checkpoint and drives early stopping.</param>
/// <param name="Patience">Stop after this many validations without improvement (0: never stop early).</param>
/// <param name="KeepBest">How many best checkpoints to keep (the last one is always kept too).</param>
/// <param name="MaxSentences">Translate at most this many dev sentences (0: all); the loss uses the whole set.</param>
/// <param name="Beam">Beam size of the dev translations (1: greedy).</param>
/// <param name="MaxLengthRatio">Dev translations stop at ratio · source length + offset tokens.</param>
/// <param name="MaxLengthOffset">See <paramref name="MaxLengthRatio"/>.</param>
/// <param name="StopAt">Stop as soon as the metric reaches this value (e.g. exact match 100); null never stops on it.</param>
public sealed record ValidationConfig(
    long Every = 1000,
    ValidationMetric Metric = ValidationMetric.Bleu,
    int Patience = 0,
    int KeepBest = 1,
    int MaxSentences = 0,
    int Beam = 1,
    double MaxLengthRatio = 1.5,
    int MaxLengthOffset = 10,
    double? StopAt = null)
{
    /// <summary>Whether a larger value of <see cref="Metric"/> is better.</summary>
    public bool HigherIsBetter => Metric != ValidationMetric.Loss;

    /// <summary>Whether <paramref name="score"/> reaches <see cref="StopAt"/>.</summary>
    public bool ReachesTarget(double score) =>
        StopAt is { } target && double.IsFinite(score) && (HigherIsBetter ? score >= target : score <= target);

    /// <summary>Throws <see cref="ArgumentException"/> naming an out-of-range field.</summary>
    public void Validate()
    {
        if (StopAt is { } target && !double.IsFinite(target)) throw new ArgumentException($"stop_at {target} is not a finite number");
        if (Every < 0) throw new ArgumentException($"every {Every} is negative");
        if (!Enum.IsDefined(Metric)) throw new ArgumentException($"unknown metric {Metric}");
        if (Patience < 0) throw new ArgumentException($"patience {Patience} is negative");
        if (KeepBest < 1) throw new ArgumentException($"keep_best {KeepBest} must be at least 1");
        if (MaxSentences < 0) throw new ArgumentException($"max_sentences {MaxSentences} is negative");
        if (Beam < 1) throw new ArgumentException($"beam {Beam} must be at least 1");
        if (!(MaxLengthRatio > 0)) throw new ArgumentException($"max_length_ratio {MaxLengthRatio} must be positive");
        if (MaxLengthOffset < 0) throw new ArgumentException($"max_length_offset {MaxLengthOffset} is negative");
    }
}
