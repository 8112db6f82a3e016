namespace EncDec.Evaluation;

/// <summary>A sentence pair and the attention maps to draw for it.</summary>
/// <param name="Title">Heading, e.g. <c>newstest2014 line 17</c>.</param>
/// <param name="SourceTokens">Source tokens (the x axis), as the model saw them (subword pieces included).</param>
/// <param name="TargetTokens">Target tokens (the y axis).</param>
/// <param name="Maps">One map per layer and head, plus any averages, each (tgtLen, srcLen).</param>
public sealed record AttentionExample(string Title, IReadOnlyList<string> SourceTokens, IReadOnlyList<string> TargetTokens,
    IReadOnlyList<AttentionMap> Maps)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the example, the map and the shape that does not fit the tokens, or a weight that is not finite.</summary>
    public void Validate()
    {
        if (SourceTokens.Count == 0 || TargetTokens.Count == 0)
            throw new ArgumentException($"attention example '{Title}': needs at least one source and one target token " +
                $"(got {SourceTokens.Count} and {TargetTokens.Count})");
        foreach (var map in Maps) Validate(map);
    }

    /// <summary>Checks that <paramref name="map"/> is (tgtLen, srcLen) for this example's tokens and finite.</summary>
    public void Validate(AttentionMap map)
    {
        string where = $"attention example '{Title}', map '{map.Label}'";
        if (map.Weights.Length != TargetTokens.Count)
            throw new ArgumentException($"{where}: {map.Weights.Length} rows of weights for {TargetTokens.Count} target tokens");
        for (int t = 0; t < map.Weights.Length; t++)
        {
            var row = map.Weights[t] ?? throw new ArgumentException($"{where}: row {t} is null");
            if (row.Length != SourceTokens.Count)
                throw new ArgumentException($"{where}: row {t} has {row.Length} weights for {SourceTokens.Count} source tokens");
            for (int s = 0; s < row.Length; s++)
                if (!float.IsFinite(row[s])) throw new ArgumentException($"{where}: weight [{t}][{s}] is {row[s]}");
        }
    }
}
