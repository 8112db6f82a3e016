namespace EncDec.Training.Configuration;

/// <summary>
/// Where the parallel text is (section <c>data</c>). Each split is either two line-aligned files
/// (<c>train_source</c> + <c>train_target</c>, plain or gzip) or one file (<c>train</c>): <c>.tsv</c> (source TAB
/// target) or <c>.jsonl</c> (objects with <c>source</c> and <c>target</c> fields), chosen by extension
/// (a trailing <c>.gz</c> is ignored for that choice).
/// </summary>
/// <param name="TrainSource">Source side of the training data, one sentence a line.</param>
/// <param name="TrainTarget">Target side, line-aligned with <paramref name="TrainSource"/>.</param>
/// <param name="Train">A single TSV or JSONL training file, instead of the pair.</param>
/// <param name="DevSource">Source side of the development (validation) set.</param>
/// <param name="DevTarget">Target side of the development set.</param>
/// <param name="Dev">A single TSV or JSONL development file, instead of the pair.</param>
/// <param name="SkipInvalid">Skip and count malformed lines (invalid UTF-8, bad JSON, a missing tab) instead of
/// stopping with an error naming the file and line.</param>
public sealed record TrainingDataConfig(
    string? TrainSource = null,
    string? TrainTarget = null,
    string? Train = null,
    string? DevSource = null,
    string? DevTarget = null,
    string? Dev = null,
    bool SkipInvalid = false)
{
    /// <summary>True when a development set is configured.</summary>
    public bool HasDev => Dev is not null || DevSource is not null;

    /// <summary>Throws <see cref="ArgumentException"/> unless exactly one form is given per split.</summary>
    public void Validate()
    {
        CheckSplit("train", TrainSource, TrainTarget, Train, required: true);
        CheckSplit("dev", DevSource, DevTarget, Dev, required: false);
    }

    private static void CheckSplit(string split, string? source, string? target, string? single, bool required)
    {
        bool pair = source is not null || target is not null;
        if (pair && single is not null)
            throw new ArgumentException($"give either {split}_source + {split}_target or {split}, not both");
        if (pair && (source is null || target is null))
            throw new ArgumentException($"{split}_source and {split}_target must be given together");
        if (required && !pair && single is null)
            throw new ArgumentException($"no training data: set {split}_source and {split}_target, or {split}");
    }
}
