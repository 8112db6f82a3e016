namespace EncDec.Training;

/// <summary>
/// Reduce-on-plateau: warm-up to the peak, then a constant rate that is multiplied by
/// <see cref="Factor"/> (floored at <see cref="MinLearningRate"/>) once <see cref="Patience"/> validations
/// in a row have not improved on the best by more than <see cref="Threshold"/>, relatively: better means
/// metric &lt; best − |best|·threshold, or metric &gt; best + |best|·threshold when higher is better. This is
/// Marian's <c>--lr-decay-strategy stalled</c> counting; PyTorch's ReduceLROnPlateau reduces one validation later
/// (patience p there is patience p + 1 here). The count restarts after each reduction.
/// </summary>
public sealed class PlateauSchedule : LearningRateSchedule
{
    private const string CurrentKey = "current_learning_rate", BestKey = "best", BadKey = "bad_validations";

    private double _current;
    private double? _best;
    private int _bad;

    /// <summary>A plateau schedule starting at <paramref name="peakLearningRate"/>.</summary>
    /// <param name="peakLearningRate">The rate until the first reduction.</param>
    /// <param name="warmupSteps">Steps of linear warm-up; 0 for none.</param>
    /// <param name="factor">Multiplier per reduction, in (0, 1).</param>
    /// <param name="patience">Validations without improvement that trigger a reduction (≥ 1).</param>
    /// <param name="threshold">Relative improvement that counts, ≥ 0.</param>
    /// <param name="higherIsBetter">True for metrics like BLEU, false for losses.</param>
    /// <param name="minLearningRate">Floor of the reductions, in [0, peak].</param>
    public PlateauSchedule(float peakLearningRate, long warmupSteps = 0, float factor = 0.5f, int patience = 2,
        float threshold = 1e-4f, bool higherIsBetter = false, float minLearningRate = 0f)
        : base(peakLearningRate, warmupSteps)
    {
        if (!(factor > 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must be in (0, 1)");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patience);
        if (!(threshold >= 0) || !float.IsFinite(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "threshold must be non-negative and finite");
        if (!(minLearningRate >= 0 && minLearningRate <= peakLearningRate))
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, "minimum learning rate must be in [0, peak]");
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        HigherIsBetter = higherIsBetter;
        MinLearningRate = minLearningRate;
        _current = peakLearningRate;
    }

    /// <summary>Multiplier per reduction.</summary>
    public float Factor { get; }

    /// <summary>Validations without improvement that trigger a reduction.</summary>
    public int Patience { get; }

    /// <summary>Relative improvement that counts.</summary>
    public float Threshold { get; }

    /// <summary>True when a larger metric is better.</summary>
    public bool HigherIsBetter { get; }

    /// <summary>Floor of the reductions.</summary>
    public float MinLearningRate { get; }

    /// <summary>The best metric so far; null before the first finite one.</summary>
    public double? Best => _best;

    /// <summary>Validations since the last improvement or reduction.</summary>
    public int BadValidations => _bad;

    /// <inheritdoc />
    protected override double Compute(long step) => _current * WarmupFraction(step);

    /// <summary>Counts a validation as an improvement or not, reducing the rate after <see cref="Patience"/> misses.
    /// A non-finite metric never improves.</summary>
    public override void ReportValidation(double metric)
    {
        if (double.IsFinite(metric) && (_best is not { } best || Improves(metric, best)))
        {
            _best = metric;
            _bad = 0;
            return;
        }
        if (++_bad < Patience) return;
        _current = Math.Max(_current * Factor, MinLearningRate);
        _bad = 0;
    }

    /// <summary>Keys <c>current_learning_rate</c>, <c>bad_validations</c> and, once known, <c>best</c>.</summary>
    public override IReadOnlyDictionary<string, double> ExportState()
    {
        var state = new Dictionary<string, double> { [CurrentKey] = _current, [BadKey] = _bad };
        if (_best is { } best) state[BestKey] = best;
        return state;
    }

    /// <inheritdoc />
    public override void ImportState(IReadOnlyDictionary<string, double> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var unknown = state.Keys.Where(key => key is not (CurrentKey or BestKey or BadKey)).Order().ToList();
        if (unknown.Count > 0) throw new InvalidDataException($"plateau schedule state has unknown keys: {string.Join(", ", unknown)}");
        double current = Read(state, CurrentKey);
        double bad = Read(state, BadKey);
        if (!(current >= 0 && current <= PeakLearningRate))
            throw new InvalidDataException($"plateau schedule state '{CurrentKey}' = {current} is outside [0, {PeakLearningRate}]");
        if (!(bad >= 0 && bad < Patience && bad == Math.Floor(bad)))
            throw new InvalidDataException($"plateau schedule state '{BadKey}' = {bad} is not a count below the patience {Patience}");
        double? best = state.TryGetValue(BestKey, out double value) ? value : null;
        if (best is { } b && !double.IsFinite(b)) throw new InvalidDataException($"plateau schedule state '{BestKey}' = {b} is not finite");
        _current = current;
        _bad = (int)bad;
        _best = best;
    }

    private bool Improves(double metric, double best) => HigherIsBetter
        ? metric > best + Math.Abs(best) * Threshold
        : metric < best - Math.Abs(best) * Threshold;

    private static double Read(IReadOnlyDictionary<string, double> state, string key) =>
        state.TryGetValue(key, out double value) ? value : throw new InvalidDataException($"plateau schedule state lacks '{key}'");
}
