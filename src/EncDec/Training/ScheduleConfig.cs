namespace EncDec.Training;

/// <summary>
/// The learning-rate schedule. Every kind warms up linearly over <see cref="WarmupSteps"/>; after that
/// <c>constant</c> holds the peak, <c>inverse-sqrt</c> decays as √(warmup/step) (fairseq), <c>linear</c>
/// and <c>cosine</c> decay to <see cref="MinLearningRate"/> at <see cref="TotalSteps"/>, and <c>plateau</c>
/// multiplies the rate by <see cref="PlateauFactor"/> after <see cref="PlateauPatience"/> validations
/// without improvement.
/// </summary>
/// <param name="Kind">constant | inverse-sqrt | linear | cosine | plateau.</param>
/// <param name="WarmupSteps">Steps of linear warm-up (must be positive for inverse-sqrt).</param>
/// <param name="TotalSteps">linear and cosine: the step at which MinLearningRate is reached (&gt; WarmupSteps).</param>
/// <param name="MinLearningRate">Floor of the decay (inverse-sqrt, linear, cosine, plateau).</param>
/// <param name="PlateauFactor">plateau: multiplier per reduction, in (0, 1).</param>
/// <param name="PlateauPatience">plateau: validations without improvement that trigger a reduction.</param>
/// <param name="PlateauThreshold">plateau: relative improvement that counts.</param>
/// <param name="PlateauHigherIsBetter">plateau: true for BLEU-like metrics, false for losses.</param>
public sealed record ScheduleConfig(string Kind = "inverse-sqrt", long WarmupSteps = 4000, long TotalSteps = 0,
    float MinLearningRate = 0f, float PlateauFactor = 0.5f, int PlateauPatience = 2, float PlateauThreshold = 1e-4f,
    bool PlateauHigherIsBetter = false)
{
    /// <summary>The kinds <see cref="Kind"/> accepts.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["constant", "inverse-sqrt", "linear", "cosine", "plateau"];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (!Kinds.Contains(Kind)) throw Invalid(nameof(Kind), Kind, $"must be one of {string.Join(", ", Kinds)}");
        if (WarmupSteps < 0) throw Invalid(nameof(WarmupSteps), WarmupSteps, "must be non-negative");
        if (Kind == "inverse-sqrt" && WarmupSteps == 0) throw Invalid(nameof(WarmupSteps), WarmupSteps, "must be positive for inverse-sqrt");
        if (Kind is "linear" or "cosine" && TotalSteps <= WarmupSteps)
            throw Invalid(nameof(TotalSteps), TotalSteps, $"must exceed WarmupSteps {WarmupSteps} for {Kind}");
        if (TotalSteps < 0) throw Invalid(nameof(TotalSteps), TotalSteps, "must be non-negative");
        if (!(MinLearningRate >= 0) || !float.IsFinite(MinLearningRate))
            throw Invalid(nameof(MinLearningRate), MinLearningRate, "must be non-negative and finite");
        if (Kind != "plateau") return;
        if (!(PlateauFactor > 0 && PlateauFactor < 1)) throw Invalid(nameof(PlateauFactor), PlateauFactor, "must be in (0, 1)");
        if (PlateauPatience < 1) throw Invalid(nameof(PlateauPatience), PlateauPatience, "must be at least 1");
        if (!(PlateauThreshold >= 0) || !float.IsFinite(PlateauThreshold))
            throw Invalid(nameof(PlateauThreshold), PlateauThreshold, "must be non-negative and finite");
    }

    /// <summary>The schedule this configuration names, peaking at <paramref name="peakLearningRate"/>
    /// (normally <see cref="OptimizerConfig.LearningRate"/>).</summary>
    /// <param name="peakLearningRate">The rate at the end of the warm-up; must be at least MinLearningRate.</param>
    public LearningRateSchedule Create(float peakLearningRate)
    {
        Validate();
        if (!(peakLearningRate > 0) || !float.IsFinite(peakLearningRate))
            throw new ArgumentOutOfRangeException(nameof(peakLearningRate), peakLearningRate, "peak learning rate must be positive and finite");
        if (MinLearningRate > peakLearningRate)
            throw Invalid(nameof(MinLearningRate), MinLearningRate, $"must not exceed the peak learning rate {peakLearningRate}");
        return Kind switch
        {
            "constant" => new ConstantSchedule(peakLearningRate, WarmupSteps),
            "inverse-sqrt" => new InverseSqrtSchedule(peakLearningRate, WarmupSteps, MinLearningRate),
            "linear" => new LinearSchedule(peakLearningRate, WarmupSteps, TotalSteps, MinLearningRate),
            "cosine" => new CosineSchedule(peakLearningRate, WarmupSteps, TotalSteps, MinLearningRate),
            _ => new PlateauSchedule(peakLearningRate, WarmupSteps, PlateauFactor, PlateauPatience, PlateauThreshold,
                PlateauHigherIsBetter, MinLearningRate),
        };
    }

    private static ArgumentException Invalid(string field, object value, string rule) =>
        new($"schedule {field} = {value} {rule}", field);
}
