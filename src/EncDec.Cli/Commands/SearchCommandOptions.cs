using System.CommandLine;
using System.Text.RegularExpressions;
using EncDec.Generation;
using EncDec.Models;

namespace EncDec.Cli.Commands;

/// <summary>
/// The search settings of <c>encdec translate</c> as command-line options, mapped onto <see cref="SearchOptions"/>:
/// beam size and n-best, lengths, length and coverage penalties, early stopping, repetition constraints, sampling, and
/// the options given as text (a forced target prefix, suppressed text, the end token), which need the loaded model's
/// target tokenizer and are therefore resolved after loading, by <see cref="WithText"/>.
/// </summary>
public sealed class SearchCommandOptions
{
    private readonly Option<int> _beam = Positive("--beam", "Beam size (1: greedy search)", 1);
    private readonly Option<int> _nbest = Positive("--nbest", "Translations per line, tab-separated in plain output (with --sample: samples per line)", 1);
    private readonly Option<int> _minLength = new("--min-length") { Description = "Fewest target tokens before the end token", HelpName = "N" };
    private readonly Option<int> _maxLength = Positive("--max-length", "Most target tokens", 256);
    private readonly Option<float?> _maxLengthRatio = new("--max-length-ratio")
    {
        Description = "Cap each line's target at ⌈a · source tokens + b⌉ tokens, b from --max-length-offset (and at most --max-length)",
        HelpName = "A",
    };
    private readonly Option<int> _maxLengthOffset = new("--max-length-offset") { Description = "b of --max-length-ratio [default: 0]", HelpName = "B" };
    private readonly Option<float?> _lengthPenalty = new("--length-penalty")
    {
        Description = "α of the length normalisation, whose form --length-penalty-form gives (default: no normalisation)",
        HelpName = "A",
    };
    private readonly Option<string> _lengthPenaltyForm = Choice("--length-penalty-form",
        "average: score / length^α; gnmt: score / ((5 + length) / 6)^α (α 1 unless --length-penalty is given)", "average", "average", "gnmt");
    private readonly Option<float> _coverage = new("--coverage-penalty") { Description = "β of GNMT's coverage penalty (default 0: off)", HelpName = "B" };
    private readonly Option<string> _earlyStopping = Choice("--early-stopping",
        "When beam search stops a sentence that has beam-size finished hypotheses: beam-full at once; heuristic when no " +
        "active hypothesis scores better now; exact when none can whatever it emits", "heuristic", "beam-full", "heuristic", "exact");
    private readonly Option<int> _noRepeatNgram = new("--no-repeat-ngram-size") { Description = "No n-gram of this size occurs twice in a translation (0: off)", HelpName = "N" };
    private readonly Option<float> _repetitionPenalty = new("--repetition-penalty")
    {
        Description = "θ of CTRL's penalty on tokens already emitted: positive logits divided by θ, negative ones multiplied (1: off)",
        HelpName = "θ",
        DefaultValueFactory = _ => 1f,
    };
    private readonly Option<bool> _sample = new("--sample") { Description = "Sample instead of searching" };
    private readonly Option<float> _temperature = new("--temperature") { Description = "Sampling temperature", HelpName = "T", DefaultValueFactory = _ => 1f };
    private readonly Option<int> _topK = new("--top-k") { Description = "Sample from the k most probable tokens (0: all)", HelpName = "K" };
    private readonly Option<float> _topP = new("--top-p") { Description = "Sample from the top-p nucleus (1: all)", HelpName = "P", DefaultValueFactory = _ => 1f };
    private readonly Option<long> _seed = new("--seed") { Description = "Sampling seed", HelpName = "S" };
    private readonly Option<bool> _replaceUnknown = new("--replace-unknown") { Description = "Replace unknown output tokens by the most attended source token" };
    private readonly Option<string?> _targetPrefix = new("--target-prefix")
    {
        Description = "Text every translation starts with (tokenized with the target vocabulary; scored, not searched, and part of the output)",
        HelpName = "TEXT",
    };
    private readonly Option<string[]> _suppress = new("--suppress")
    {
        Description = "Text never generated (tokenized with the target vocabulary: one token is never emitted, a longer sequence " +
            "never completed); repeat the option for several",
        HelpName = "TEXT",
    };
    private readonly Option<string?> _endToken = new("--end-token")
    {
        Description = "The target vocabulary's token that ends a translation (default: the model's end token)",
        HelpName = "TOKEN",
    };

    /// <summary>Every option, in the order of the help text.</summary>
    public IEnumerable<Option> All =>
    [
        _beam, _nbest, _minLength, _maxLength, _maxLengthRatio, _maxLengthOffset, _lengthPenalty, _lengthPenaltyForm, _coverage,
        _earlyStopping, _noRepeatNgram, _repetitionPenalty, _sample, _temperature, _topK, _topP, _seed, _replaceUnknown,
        _targetPrefix, _suppress, _endToken,
    ];

    /// <summary>The options that need no model, validated: an invalid value, or a sampling option without
    /// <c>--sample</c>, is an <see cref="ArgumentException"/> naming the command-line flags involved.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="returnAttention">Whether hypotheses carry their attention (JSON output).</param>
    public SearchOptions Build(ParseResult parse, bool returnAttention)
    {
        bool sampling = parse.GetValue(_sample);
        var samplingOnly = new Option[] { _temperature, _topK, _topP, _seed }.Where(o => parse.GetResult(o) is { Implicit: false }).ToArray();
        if (!sampling && samplingOnly.Length > 0)
            throw new ArgumentException($"{string.Join(" and ", samplingOnly.Select(o => o.Name))} " +
                $"{(samplingOnly.Length == 1 ? "applies" : "apply")} only with --sample");
        try
        {
            return Map(parse, returnAttention, sampling);
        }
        catch (ArgumentException e) when (e.ParamName is not null)
        {
            throw new ArgumentException(InFlags(e.Message, e.ParamName), e);
        }
    }

    /// <summary>The flag each validated <see cref="SearchOptions"/> field (as its message shows it) comes from, longest
    /// field names first so that a name never replaces part of a longer one.</summary>
    private static readonly (string Field, string Flag)[] FieldFlags =
    [
        (nameof(SearchOptions.MaxLengthRatio), "--max-length-ratio"), (nameof(SearchOptions.RepetitionPenalty), "--repetition-penalty"),
        (nameof(SearchOptions.NoRepeatNgramSize), "--no-repeat-ngram-size"), (nameof(SearchOptions.CoveragePenalty), "--coverage-penalty"),
        (nameof(SearchOptions.LengthPenalty), "--length-penalty"), (nameof(SearchOptions.Temperature), "--temperature"),
        (nameof(SearchOptions.NumSamples), "--nbest"), (nameof(SearchOptions.MinLength), "--min-length"),
        (nameof(SearchOptions.MaxLength), "--max-length"), (nameof(SearchOptions.BeamSize), "--beam"), (nameof(SearchOptions.NBest), "--nbest"),
        (nameof(SearchOptions.TopK), "--top-k"), (nameof(SearchOptions.TopP), "--top-p"), ($"{nameof(SearchOptions.Sampling)} True", "--sample"),
    ];

    /// <summary><see cref="SearchOptions.Validate"/>'s message ("SearchOptions: MaxLength 5 must be at least 1 and at least
    /// MinLength 10 (Parameter 'MaxLength')") in the flags the user typed ("--max-length 5 must be at least 1 and at least
    /// --min-length 10").</summary>
    internal static string InFlags(string message, string field)
    {
        string text = message.Replace($" (Parameter '{field}')", "").Replace("SearchOptions: ", "");
        foreach (var (name, flag) in FieldFlags)
            text = Regex.Replace(text, $@"\b{name}\b", flag);
        return text;
    }

    private SearchOptions Map(ParseResult parse, bool returnAttention, bool sampling)
    {
        float? alpha = parse.GetValue(_lengthPenalty);
        bool formGiven = parse.GetResult(_lengthPenaltyForm) is { Implicit: false };
        var lengthPenaltyKind = alpha is null && !formGiven ? LengthPenaltyKind.None
            : parse.GetValue(_lengthPenaltyForm) == "gnmt" ? LengthPenaltyKind.Gnmt : LengthPenaltyKind.Average;
        var search = new SearchOptions(BeamSize: parse.GetValue(_beam), NBest: sampling ? 1 : parse.GetValue(_nbest),
            MinLength: parse.GetValue(_minLength), MaxLength: parse.GetValue(_maxLength),
            MaxLengthRatio: parse.GetValue(_maxLengthRatio), MaxLengthOffset: parse.GetValue(_maxLengthOffset),
            LengthPenaltyKind: lengthPenaltyKind, LengthPenalty: alpha ?? 1f, CoveragePenalty: parse.GetValue(_coverage),
            EarlyStopping: parse.GetValue(_earlyStopping) switch
            {
                "beam-full" => EarlyStopping.BeamFull,
                "exact" => EarlyStopping.Exact,
                _ => EarlyStopping.Heuristic,
            },
            NoRepeatNgramSize: parse.GetValue(_noRepeatNgram), RepetitionPenalty: parse.GetValue(_repetitionPenalty),
            ReplaceUnknown: parse.GetValue(_replaceUnknown), ReturnAttention: returnAttention, Sampling: sampling,
            Temperature: parse.GetValue(_temperature), TopK: parse.GetValue(_topK), TopP: parse.GetValue(_topP), Seed: parse.GetValue(_seed),
            NumSamples: sampling ? parse.GetValue(_nbest) : 1);   // samples, not beams, give the n outputs
        search.Validate();
        return search;
    }

    /// <summary><paramref name="search"/> with the target prefix, suppressed text and end token of the command line,
    /// tokenized with <paramref name="model"/>'s target tokenizer.</summary>
    /// <exception cref="CliUsageException">Text that gives no tokens, or an end token outside the vocabulary.</exception>
    public SearchOptions WithText(SearchOptions search, ParseResult parse, TranslationModel model)
    {
        var tokenizer = model.TargetTokenizer;
        if (parse.GetValue(_endToken) is { } endToken) search = search with { EndId = TokenId(endToken, model) };
        if (parse.GetValue(_targetPrefix) is { } prefix) search = search with { TargetPrefix = Tokens("--target-prefix", prefix, model) };
        var suppressed = parse.GetValue(_suppress) ?? [];
        if (suppressed.Length > 0)
            search = search with { SuppressedSequences = [.. search.SuppressedSequences, .. suppressed.Select(text => Tokens("--suppress", text, model))] };
        int end = search.EndId ?? model.Ids.End;
        if (search.TargetPrefix is { } ids && ids.Contains(end))
            throw new CliUsageException($"--target-prefix '{parse.GetValue(_targetPrefix)}' contains the end token '{tokenizer.IdToPiece(end)}'");
        search.Validate();
        return search;
    }

    private static int[] Tokens(string option, string text, TranslationModel model)
    {
        var ids = model.TargetTokenizer.Encode(text);
        if (ids.Length == 0) throw new CliUsageException($"{option} '{text}' gives no target tokens");
        return ids;
    }

    /// <summary>The id of a vocabulary piece; tokenizers map unknown pieces to the unknown id (or -1), which is
    /// accepted only when the piece is the unknown token itself.</summary>
    private static int TokenId(string piece, TranslationModel model)
    {
        var tokenizer = model.TargetTokenizer;
        int id = tokenizer.PieceToId(piece);
        if (id < 0 || (id == model.Ids.Unknown && tokenizer.IdToPiece(id) != piece))
            throw new CliUsageException($"--end-token '{piece}' is not in the target vocabulary ({tokenizer.VocabularySize} tokens)");
        return id;
    }

    internal static Option<int> Positive(string name, string description, int fallback)
    {
        var option = new Option<int>(name) { Description = description, HelpName = "N", DefaultValueFactory = _ => fallback };
        option.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError($"{name} must be at least 1"); });
        return option;
    }

    private static Option<string> Choice(string name, string description, string fallback, params string[] choices)
    {
        var option = new Option<string>(name) { Description = description, HelpName = string.Join('|', choices), DefaultValueFactory = _ => fallback };
        option.AcceptOnlyFromAmong(choices);
        return option;
    }
}
