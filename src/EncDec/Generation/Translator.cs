using EncDec.Models;
using EncDec.Tensors;

namespace EncDec.Generation;

/// <summary>
/// Text in, text out over a <see cref="TranslationModel"/>: each line is tokenized (the end id appended when the model
/// was trained so), cut to the maximum source length with a warning (or rejected, by option), and an empty line gives
/// an empty output without running the model. Lines are sorted by length within a batch window and cut into batches
/// of at most <see cref="TranslatorOptions.MaxBatchTokens"/> padded tokens and
/// <see cref="TranslatorOptions.MaxBatchSentences"/> sentences, searched with <see cref="SequenceGenerator"/>,
/// detokenized (unknowns replaced from attention with <see cref="SearchOptions.ReplaceUnknown"/>) and returned in
/// input order.
/// </summary>
/// <example><code>
/// var translator = new Translator(TranslationModelFolder.Load("model"), new SearchOptions(BeamSize: 4));
/// foreach (var result in translator.Translate(File.ReadLines("test.de"))) Console.WriteLine(result.Text);
/// </code></example>
public sealed class Translator
{
    private readonly TranslationModel _model;
    private readonly SearchOptions _search;
    private readonly TranslatorOptions _options;
    private readonly Action<string>? _warning;
    private readonly int _maxSourceLength;

    /// <summary>A translator; the model is switched to evaluation mode.</summary>
    /// <param name="model">The model and its tokenizers.</param>
    /// <param name="search">The search; its maximum length is capped by the model's positional limit.</param>
    /// <param name="options">Batching and source-length policy; defaults when null.</param>
    /// <param name="warning">Receives one line per truncated source (naming the line); null ignores them.</param>
    public Translator(TranslationModel model, SearchOptions search, TranslatorOptions? options = null, Action<string>? warning = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(search);
        search.Validate();
        _options = options ?? new TranslatorOptions();
        _options.Validate();
        _model = model;
        // A target of n tokens feeds positions 0 .. n (start token first, then each token to predict the end).
        int targetCap = model.MaxTargetLength == int.MaxValue ? int.MaxValue : model.MaxTargetLength - 1;
        _search = search with { MaxLength = Math.Min(search.MaxLength, targetCap), MinLength = Math.Min(search.MinLength, targetCap) };
        _maxSourceLength = Math.Min(_options.MaxSourceLength ?? int.MaxValue, model.MaxSourceLength);
        _warning = warning;
        model.Model.Eval();
    }

    /// <summary>Translates <paramref name="lines"/> lazily: reads one batch window of lines ahead (at most
    /// <see cref="TranslatorOptions.MaxBatchTokens"/> source tokens or <see cref="TranslatorOptions.MaxBatchSentences"/>
    /// lines), translates it and yields its results in input order before reading on, so it can serve a stream.</summary>
    /// <exception cref="InputLineException">A line is too long and <see cref="TranslatorOptions.RejectOverlong"/> is set;
    /// every line before it has been yielded first.</exception>
    public IEnumerable<TranslationResult> Translate(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var window = new List<PreparedLine>();
        int tokens = 0;
        long lineNumber = 0;
        InputLineException? failure = null;
        foreach (string line in lines)
        {
            // An iterator cannot yield inside a catch: note the failure, yield the lines before it, then throw.
            try { window.Add(Prepare(line, ++lineNumber)); }
            catch (InputLineException e) { failure = e; break; }
            tokens += window[^1].Ids.Length;
            if (tokens >= _options.MaxBatchTokens || window.Count >= _options.MaxBatchSentences)
            {
                foreach (var result in TranslateWindow(window)) yield return result;
                window.Clear();
                tokens = 0;
            }
        }
        foreach (var result in TranslateWindow(window)) yield return result;
        if (failure is not null) throw failure;
    }

    /// <summary>Translates lines that are already at hand (one window), numbering them from <paramref name="firstLineNumber"/>.
    /// All or nothing: a line at fault throws before any is translated.</summary>
    /// <exception cref="InputLineException">A line is too long and <see cref="TranslatorOptions.RejectOverlong"/> is set.</exception>
    public IReadOnlyList<TranslationResult> TranslateBatch(IReadOnlyList<string> lines, long firstLineNumber = 1) =>
        TranslateWindow(lines.Select((line, i) => Prepare(line, firstLineNumber + i)).ToList());

    /// <summary>Translates lines that are already at hand, each translation starting with its line's target prefix
    /// (CTranslate2's per-example <c>target_prefix</c>): the prefix text is tokenized with the target tokenizer, its
    /// tokens are scored, not searched, and are part of the output. A null or empty prefix leaves the line to
    /// <see cref="SearchOptions.TargetPrefix"/>; an empty line still gives an empty output. All or nothing: a line at
    /// fault throws before any is translated.</summary>
    /// <exception cref="ArgumentException">The counts differ.</exception>
    /// <exception cref="InputLineException">A prefix holds the end token, or a line is too long and
    /// <see cref="TranslatorOptions.RejectOverlong"/> is set (the first such line).</exception>
    public IReadOnlyList<TranslationResult> TranslateBatch(IReadOnlyList<string> lines, IReadOnlyList<string?> targetPrefixes,
        long firstLineNumber = 1)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(targetPrefixes);
        if (targetPrefixes.Count != lines.Count)
            throw new ArgumentException($"Translator: {targetPrefixes.Count} target prefixes for {lines.Count} lines", nameof(targetPrefixes));
        return TranslateWindow(lines.Select((line, i) => Prepare(line, firstLineNumber + i) with
        {
            Prefix = TargetPrefix(targetPrefixes[i], firstLineNumber + i),
        }).ToList());
    }

    /// <summary>Tokens of <paramref name="line"/> as the encoder will see them (for budgeting a window).</summary>
    public int SourceLength(string line) => Math.Min(_model.SourceTokenizer.Encode(line).Length + (_model.AppendSourceEnd ? 1 : 0), _maxSourceLength);

    private IReadOnlyList<TranslationResult> TranslateWindow(List<PreparedLine> window)
    {
        var results = new TranslationResult[window.Count];
        var order = Enumerable.Range(0, window.Count).Where(i => window[i].Ids.Length > 0)
            .OrderBy(i => window[i].Ids.Length).ToList();   // stable: equal lengths keep input order
        for (int i = 0; i < window.Count; i++)
            if (window[i].Ids.Length == 0) results[i] = new TranslationResult(window[i].LineNumber, window[i].Line, [], []);
        int at = 0;
        while (at < order.Count)
        {
            int count = 1;
            while (at + count < order.Count && count < _options.MaxBatchSentences
                   && (count + 1) * window[order[at + count]].Ids.Length <= _options.MaxBatchTokens) count++;
            var batch = order.GetRange(at, count);
            var searched = Search(batch.Select(i => window[i]).ToList());
            for (int b = 0; b < count; b++) results[batch[b]] = searched[b];
            at += count;
        }
        return results;
    }

    private TranslationResult[] Search(List<PreparedLine> batch)
    {
        int length = batch.Max(p => p.Ids.Length);
        var ids = new int[batch.Count * length];
        var mask = new float[ids.Length];
        for (int b = 0; b < batch.Count; b++)
            for (int t = 0; t < length; t++)
            {
                bool real = t < batch[b].Ids.Length;
                ids[b * length + t] = real ? batch[b].Ids[t] : _model.Ids.Pad;
                mask[b * length + t] = real ? 0f : 1f;
            }
        var prefixes = batch.Any(line => line.Prefix is not null) ? batch.Select(line => line.Prefix).ToArray() : null;
        var found = SequenceGenerator.Generate(_model.Model, new IntTensor(ids, batch.Count, length),
            Tensor.FromArray(mask, batch.Count, length), _model.Ids, _search, prefixes);
        return batch.Select((line, b) => new TranslationResult(line.LineNumber, line.Line, line.Ids,
            found[b].Hypotheses.Select(h => new TranslationHypothesis(Detokenize(h, line), h)).ToArray(), line.Truncated)).ToArray();
    }

    private string Detokenize(Hypothesis hypothesis, PreparedLine line)
    {
        if (!_search.ReplaceUnknown || _model.Ids.Unknown < 0) return _model.TargetTokenizer.Decode(hypothesis.Tokens);
        var surfaces = UnknownReplacement.SourceSurfaces(_model.SourceTokenizer, line.Line, line.ContentIds);
        return UnknownReplacement.Apply(_model.TargetTokenizer, hypothesis, _model.Ids.Unknown, surfaces);
    }

    private PreparedLine Prepare(string line, long lineNumber)
    {
        ArgumentNullException.ThrowIfNull(line);
        var content = _model.SourceTokenizer.Encode(line);
        if (content.Length == 0) return new PreparedLine(lineNumber, line, [], [], false);
        int end = _model.AppendSourceEnd ? 1 : 0;
        bool truncated = content.Length + end > _maxSourceLength;
        if (truncated)
        {
            string reason = $"{content.Length + end} source tokens exceed the maximum source length {_maxSourceLength}";
            if (_options.RejectOverlong) throw new InputLineException(lineNumber, reason);
            _warning?.Invoke($"line {lineNumber}: {reason}; truncated");
            content = content[..(_maxSourceLength - end)];
        }
        int[] ids = end == 1 ? [.. content, _model.Ids.End] : content;
        return new PreparedLine(lineNumber, line, ids, content, truncated);
    }

    /// <summary>The ids of a line's target prefix text, or null for none.</summary>
    private int[]? TargetPrefix(string? text, long lineNumber)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var ids = _model.TargetTokenizer.Encode(text);
        int end = _search.EndId ?? _model.Ids.End;
        if (ids.Contains(end)) throw new InputLineException(lineNumber, $"the target prefix '{text}' holds the end token");
        return ids.Length == 0 ? null : ids;
    }

    /// <summary>A tokenized line: <see cref="Ids"/> as fed (end id included), <see cref="ContentIds"/> without it, and the
    /// ids of its own target prefix (null: the search options' prefix, if any).</summary>
    private sealed record PreparedLine(long LineNumber, string Line, int[] Ids, int[] ContentIds, bool Truncated)
    {
        public int[]? Prefix { get; init; }
    }
}
