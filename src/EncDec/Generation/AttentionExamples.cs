using EncDec.Evaluation;
using EncDec.Models;

namespace EncDec.Generation;

/// <summary>
/// Turns a translation with attention (<see cref="SearchOptions.ReturnAttention"/>) into an
/// <see cref="AttentionExample"/> for <see cref="AttentionPage"/>: source pieces across (the end token included when
/// the model appends it), output pieces down (the end token included when it was emitted), one map per decoder
/// layer and head, plus the average the decoder reports (for Transformers, the last layer's heads averaged).
/// </summary>
public static class AttentionExamples
{
    /// <summary>The example for the best hypothesis of <paramref name="result"/>.</summary>
    /// <exception cref="ArgumentException">The result carries no attention (search ran without ReturnAttention) or is empty.</exception>
    public static AttentionExample From(TranslationModel model, TranslationResult result, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Hypotheses.Count == 0) throw new ArgumentException($"line {result.LineNumber} is empty: nothing to show");
        var best = result.Hypotheses[0].Search;
        var average = best.Attention ?? throw new ArgumentException("the translation carries no attention; search with ReturnAttention");
        var source = result.SourceIds.Select(id => Piece(model.SourceTokenizer, id)).ToList();
        var target = best.Tokens.Select(id => Piece(model.TargetTokenizer, id)).ToList();
        if (best.Ended) target.Add(Piece(model.TargetTokenizer, model.Ids.End));
        var maps = new List<AttentionMap> { new("average", Rows(average, target.Count)) };
        if (best.Heads is { } heads)
            for (int layer = 0; layer < heads.Layers; layer++)
                for (int head = 0; head < heads.Heads; head++)
                    maps.Add(new AttentionMap($"layer {layer + 1} head {head + 1}", HeadRows(heads, layer, head, target.Count)));
        var example = new AttentionExample(title ?? result.Source, source, target, maps);
        example.Validate();
        return example;
    }

    private static string Piece(Text.ITokenizer tokenizer, int id) =>
        (uint)id < (uint)tokenizer.VocabularySize ? tokenizer.IdToPiece(id) : $"<{id}>";

    private static float[][] Rows(float[][] attention, int count) => [.. attention.Take(count)];

    private static float[][] HeadRows(AttentionHeads heads, int layer, int head, int count)
    {
        var rows = new float[Math.Min(count, heads.Steps.Length)][];
        for (int step = 0; step < rows.Length; step++)
        {
            rows[step] = new float[heads.SourceLength];
            for (int s = 0; s < heads.SourceLength; s++) rows[step][s] = heads.Weight(step, layer, head, s);
        }
        return rows;
    }
}
