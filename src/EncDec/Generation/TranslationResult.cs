namespace EncDec.Generation;

/// <summary>One output sentence of a <see cref="Translator"/>.</summary>
/// <param name="Text">The detokenized output (unknown tokens replaced when asked).</param>
/// <param name="Search">The hypothesis it was made from: ids, scores, attention.</param>
public sealed record TranslationHypothesis(string Text, Hypothesis Search);

/// <summary>The translation of one input line.</summary>
/// <param name="LineNumber">1-based position of the line in the input.</param>
/// <param name="Source">The input line.</param>
/// <param name="SourceIds">The ids fed to the encoder (after truncation, the end id included when appended); empty for
/// an empty line.</param>
/// <param name="Hypotheses">Best first; empty for an empty line, which is not run through the model.</param>
/// <param name="Truncated">Whether the source was cut to the maximum source length.</param>
public sealed record TranslationResult(long LineNumber, string Source, int[] SourceIds,
    IReadOnlyList<TranslationHypothesis> Hypotheses, bool Truncated = false)
{
    /// <summary>The best output, or "" for an empty line.</summary>
    public string Text => Hypotheses.Count == 0 ? "" : Hypotheses[0].Text;
}
