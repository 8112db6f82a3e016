namespace EncDec.Generation;

/// <summary>
/// How <see cref="SequenceGenerator"/> searches: greedy (<see cref="BeamSize"/> 1), beam search, or sampling, and the
/// constraints and penalties every strategy shares. Lengths count target tokens without the start and end tokens.
/// </summary>
/// <param name="BeamSize">Hypotheses kept per sentence; 1 is greedy search.</param>
/// <param name="NBest">Hypotheses returned per sentence (at most <see cref="BeamSize"/>).</param>
/// <param name="MinLength">The end token is masked until a hypothesis has this many tokens.</param>
/// <param name="MaxLength">Absolute cap: a hypothesis with this many tokens must emit the end token next.</param>
/// <param name="MaxLengthRatio">With a value a: the cap becomes min(<see cref="MaxLength"/>, ⌈a·srcLen + b⌉) with b =
/// <see cref="MaxLengthOffset"/> and srcLen the real source length (fairseq's <c>--max-len-a/-b</c>).</param>
/// <param name="MaxLengthOffset">b of the relative cap (ignored without <see cref="MaxLengthRatio"/>).</param>
/// <param name="LengthPenaltyKind">How finished scores are normalised for length.</param>
/// <param name="LengthPenalty">α of the length penalty.</param>
/// <param name="CoveragePenalty">β of GNMT's coverage penalty, β·Σ_src log(min(Σ_t attention, 1)) added to the
/// normalised score (0: off). Needs a decoder with attention.</param>
/// <param name="EarlyStopping">When beam search stops a sentence (see <see cref="Generation.EarlyStopping"/>).</param>
/// <param name="NoRepeatNgramSize">n &gt; 0: no n-gram occurs twice in a hypothesis.</param>
/// <param name="RepetitionPenalty">θ of CTRL's penalty (Keskar et al. 2019) on the logits of tokens already emitted:
/// positive logits are divided by θ, negative ones multiplied (1: off).</param>
/// <param name="EndId">Overrides <see cref="Models.SpecialIds.End"/> as the token that ends a hypothesis.</param>
/// <param name="ReplaceUnknown">Text level (<see cref="Translator"/>): an unknown output token is replaced by the source
/// token it attends to most. Implies computing attention.</param>
/// <param name="ReturnAttention">Hypotheses carry their attention (averaged and per head).</param>
/// <param name="Sampling">Sample instead of searching (needs <see cref="BeamSize"/> 1).</param>
/// <param name="Temperature">Sampling: logits are divided by this before the softmax.</param>
/// <param name="TopK">Sampling: only the k most probable tokens may be drawn (0: no limit).</param>
/// <param name="TopP">Sampling: only the smallest set of most probable tokens whose probability reaches p (1: no limit).</param>
/// <param name="Seed">Sampling: the draws are a function of the seed, the input's position in the batch and the sample index.</param>
/// <param name="NumSamples">Sampling: independent samples per input.</param>
/// <param name="IgnoreEnd">The end token is never emitted; every hypothesis runs to the maximum length (benchmarks).</param>
public sealed record SearchOptions(
    int BeamSize = 1,
    int NBest = 1,
    int MinLength = 0,
    int MaxLength = 256,
    float? MaxLengthRatio = null,
    int MaxLengthOffset = 0,
    LengthPenaltyKind LengthPenaltyKind = LengthPenaltyKind.None,
    float LengthPenalty = 1f,
    float CoveragePenalty = 0f,
    EarlyStopping EarlyStopping = EarlyStopping.Heuristic,
    int NoRepeatNgramSize = 0,
    float RepetitionPenalty = 1f,
    int? EndId = null,
    bool ReplaceUnknown = false,
    bool ReturnAttention = false,
    bool Sampling = false,
    float Temperature = 1f,
    int TopK = 0,
    float TopP = 1f,
    long Seed = 0,
    int NumSamples = 1,
    bool IgnoreEnd = false)
{
    /// <summary>Token sequences that may not be generated: a single id is never emitted, a longer sequence never
    /// completed (its last id is masked after the others). Not a constructor parameter because it is not a scalar.</summary>
    public IReadOnlyList<int[]> SuppressedSequences { get; init; } = [];

    /// <summary>A target prefix forced on every input (its tokens are scored, not searched); per-input prefixes passed to
    /// <see cref="SequenceGenerator.Generate"/> take precedence.</summary>
    public int[]? TargetPrefix { get; init; }

    /// <summary>The defaults: greedy search up to 256 tokens.</summary>
    public static SearchOptions Greedy { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field and its value.</summary>
    public void Validate()
    {
        Require(BeamSize >= 1, nameof(BeamSize), BeamSize, "must be at least 1");
        Require(NBest >= 1 && NBest <= BeamSize, nameof(NBest), NBest, $"must be in [1, BeamSize {BeamSize}]");
        Require(MinLength >= 0, nameof(MinLength), MinLength, "must not be negative");
        Require(MaxLength >= 1 && MaxLength >= MinLength, nameof(MaxLength), MaxLength, $"must be at least 1 and at least MinLength {MinLength}");
        Require(MaxLengthRatio is null || (MaxLengthRatio >= 0 && float.IsFinite(MaxLengthRatio.Value)), nameof(MaxLengthRatio), MaxLengthRatio, "must be finite and not negative");
        Require(float.IsFinite(LengthPenalty), nameof(LengthPenalty), LengthPenalty, "must be finite");
        Require(CoveragePenalty >= 0 && float.IsFinite(CoveragePenalty), nameof(CoveragePenalty), CoveragePenalty, "must be finite and not negative");
        Require(NoRepeatNgramSize >= 0, nameof(NoRepeatNgramSize), NoRepeatNgramSize, "must not be negative");
        Require(RepetitionPenalty > 0 && float.IsFinite(RepetitionPenalty), nameof(RepetitionPenalty), RepetitionPenalty, "must be positive");
        Require(EndId is null or >= 0, nameof(EndId), EndId, "must not be negative");
        Require(!Sampling || BeamSize == 1, nameof(Sampling), Sampling, $"needs BeamSize 1, got {BeamSize}");
        Require(Temperature > 0 && float.IsFinite(Temperature), nameof(Temperature), Temperature, "must be positive");
        Require(TopK >= 0, nameof(TopK), TopK, "must not be negative");
        Require(TopP > 0 && TopP <= 1, nameof(TopP), TopP, "must be in (0, 1]");
        Require(NumSamples >= 1 && (Sampling || NumSamples == 1), nameof(NumSamples), NumSamples, "must be 1 without Sampling, at least 1 with it");
        for (int i = 0; i < SuppressedSequences.Count; i++)
            Require(SuppressedSequences[i] is { Length: > 0 } s && s.All(id => id >= 0), nameof(SuppressedSequences), i, "entry must be a non-empty sequence of ids");
        Require(TargetPrefix is null || TargetPrefix.All(id => id >= 0), nameof(TargetPrefix), TargetPrefix?.Length, "must hold ids, not negative values");
    }

    /// <summary>The length cap for a source of <paramref name="sourceLength"/> real tokens, before any target prefix.</summary>
    public int MaxLengthFor(int sourceLength) =>
        MaxLengthRatio is { } ratio
            ? Math.Max(1, Math.Min(MaxLength, (int)Math.Ceiling(ratio * sourceLength + MaxLengthOffset)))
            : MaxLength;

    private static void Require(bool valid, string field, object? value, string rule)
    {
        if (!valid) throw new ArgumentException($"SearchOptions: {field} {value?.ToString() ?? "null"} {rule}", field);
    }
}
