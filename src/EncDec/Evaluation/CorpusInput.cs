namespace EncDec.Evaluation;

/// <summary>
/// Checks a corpus (hypotheses and reference streams) and regroups the references by segment, the way SacreBLEU
/// 2.x's <c>Metric._cache_references</c> does before any metric sees them.
/// </summary>
internal static class CorpusInput
{
    /// <summary>
    /// The references of each segment, with empty references left out: SacreBLEU treats "" as "this segment has
    /// fewer references", which is how a corpus with a varying number of references is written.
    /// </summary>
    /// <param name="hypotheses">One string per segment.</param>
    /// <param name="references">One or more streams, each with one string per segment.</param>
    /// <returns>For each segment, its non-empty references in stream order.</returns>
    /// <exception cref="ArgumentException">
    /// No reference stream; a stream whose length differs from the hypotheses'; a null string; or a segment whose
    /// references are all empty (SacreBLEU raises on that too).
    /// </exception>
    public static string[][] ReferencesBySegment(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> references)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0)
            throw new ArgumentException("At least one reference stream is needed.", nameof(references));
        for (int k = 0; k < references.Count; k++)
        {
            if (references[k] is null)
                throw new ArgumentException($"Reference stream {k} is null.", nameof(references));
            if (references[k].Count != hypotheses.Count)
                throw new ArgumentException(
                    $"Reference stream {k} has {references[k].Count} segments but there are {hypotheses.Count} hypotheses.",
                    nameof(references));
        }

        var bySegment = new string[hypotheses.Count][];
        var kept = new List<string>(references.Count);
        for (int i = 0; i < hypotheses.Count; i++)
        {
            if (hypotheses[i] is null)
                throw new ArgumentException($"Hypothesis {i} is null.", nameof(hypotheses));
            kept.Clear();
            for (int k = 0; k < references.Count; k++)
            {
                string reference = references[k][i]
                    ?? throw new ArgumentException($"Reference {i} of stream {k} is null.", nameof(references));
                if (reference.Length > 0) kept.Add(reference);
            }
            if (kept.Count == 0)
                throw new ArgumentException(
                    $"Segment {i} has no non-empty reference in any of the {references.Count} reference stream(s).",
                    nameof(references));
            bySegment[i] = kept.ToArray();
        }
        return bySegment;
    }
}
