using EncDec.Kernels;

namespace EncDec.Generation;

/// <summary>
/// The constraints and penalties every search applies to one hypothesis's next-token distribution: the repetition
/// penalty on logits (before the softmax, as CTRL and CTranslate2 do), then masks on log-probabilities (set to -∞,
/// not renormalised, as fairseq does): forced prefix, ignored or too-early end, maximum length, suppressed
/// sequences, repeated n-grams. <see cref="Apply"/> may run for different rows on several threads at once.
/// </summary>
internal sealed class TokenRules
{
    private readonly SearchOptions _options;
    [ThreadStatic] private static int[]? t_seen;    // stamp per vocabulary id: tokens already penalised in this row
    [ThreadStatic] private static int t_stamp;

    public TokenRules(SearchOptions options, int endId, int vocabulary)
    {
        _options = options;
        EndId = endId;
        Vocabulary = vocabulary;
        foreach (var sequence in options.SuppressedSequences)
            foreach (int id in sequence)
                if (id >= vocabulary)
                    throw new ArgumentException($"SearchOptions: suppressed id {id} is outside the vocabulary of {vocabulary}", nameof(options));
        NeedsHistory = options.RepetitionPenalty != 1f || options.NoRepeatNgramSize > 0
            || options.SuppressedSequences.Any(s => s.Length > 1);
    }

    /// <summary>The token that ends a hypothesis.</summary>
    public int EndId { get; }

    /// <summary>Size of the target vocabulary.</summary>
    public int Vocabulary { get; }

    /// <summary>Whether <see cref="Apply"/> reads the hypothesis's tokens (else only its length).</summary>
    public bool NeedsHistory { get; }

    /// <summary>Turns one row of logits into the constrained log-probabilities.</summary>
    /// <param name="logits">(vocab) the row's logits, left as they are.</param>
    /// <param name="row">(vocab) receives the log-probabilities.</param>
    /// <param name="history">The hypothesis's tokens so far (may be empty unless <see cref="NeedsHistory"/>).</param>
    /// <param name="length">How many tokens the hypothesis has.</param>
    /// <param name="maxLength">Its cap: at this length only the end token is allowed.</param>
    /// <param name="prefix">Tokens forced at the first positions, or null.</param>
    public void Apply(ReadOnlySpan<float> logits, Span<float> row, ReadOnlySpan<int> history, int length, int maxLength, int[]? prefix)
    {
        if (_options.RepetitionPenalty != 1f)
        {
            logits.CopyTo(row);
            PenaliseRepetitions(row, history);
            LogSoftmaxRow.InPlace(row);
        }
        else LogSoftmaxRow.Into(logits, row);
        if (prefix is not null && length < prefix.Length)
        {
            KeepOnly(row, prefix[length]);
            return;
        }
        if (length >= maxLength && !_options.IgnoreEnd)
        {
            KeepOnly(row, EndId);
            return;
        }
        if (_options.IgnoreEnd || length < _options.MinLength) row[EndId] = float.NegativeInfinity;
        foreach (var sequence in _options.SuppressedSequences)
            if (history.EndsWith(sequence.AsSpan(0, sequence.Length - 1)))
                row[sequence[^1]] = float.NegativeInfinity;
        if (_options.NoRepeatNgramSize > 0) MaskRepeatedNgrams(row, history, _options.NoRepeatNgramSize);
    }

    /// <summary>CTRL: each distinct token already emitted has its logit divided by θ when positive, multiplied when not.</summary>
    private void PenaliseRepetitions(Span<float> logits, ReadOnlySpan<int> history)
    {
        float theta = _options.RepetitionPenalty;
        var seen = t_seen is { } existing && existing.Length >= Vocabulary ? existing : t_seen = new int[Vocabulary];
        int stamp = ++t_stamp;
        foreach (int token in history)
        {
            if (seen[token] == stamp) continue;
            seen[token] = stamp;
            logits[token] = logits[token] > 0 ? logits[token] / theta : logits[token] * theta;
        }
    }

    /// <summary>Masks every token that would complete an n-gram already in <paramref name="history"/>.</summary>
    private static void MaskRepeatedNgrams(Span<float> row, ReadOnlySpan<int> history, int n)
    {
        if (history.Length < n - 1) return;
        var tail = history[(history.Length - n + 1)..];   // the n-1 tokens the next one would extend
        for (int start = 0; start + n <= history.Length; start++)
            if (history.Slice(start, n - 1).SequenceEqual(tail))
                row[history[start + n - 1]] = float.NegativeInfinity;
    }

    private static void KeepOnly(Span<float> row, int token)
    {
        float kept = row[token];
        row.Fill(float.NegativeInfinity);
        row[token] = kept;
    }
}
