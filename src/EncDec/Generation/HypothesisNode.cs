namespace EncDec.Generation;

/// <summary>
/// One token of a hypothesis, linked to the hypothesis it extends: beams share their prefixes, so moving a
/// hypothesis to another row or forking it costs one node, never a copy of its history.
/// </summary>
internal sealed class HypothesisNode(HypothesisNode? parent, int token, float logProb, float[]? attention, float[]? heads)
{
    /// <summary>The hypothesis this token extends; null for the first token.</summary>
    public HypothesisNode? Parent { get; } = parent;

    /// <summary>The token id.</summary>
    public int Token { get; } = token;

    /// <summary>Its log-probability.</summary>
    public float LogProb { get; } = logProb;

    /// <summary>Attention over the real source positions at this step (srcLen), when requested.</summary>
    public float[]? Attention { get; } = attention;

    /// <summary>Per-layer, per-head attention at this step (layers·heads·srcLen), when requested.</summary>
    public float[]? Heads { get; } = heads;

    /// <summary>Number of tokens up to and including this one.</summary>
    public int Length { get; } = (parent?.Length ?? 0) + 1;

    /// <summary>The tokens of <paramref name="node"/>'s hypothesis, first to last (empty for null).</summary>
    public static int[] History(HypothesisNode? node)
    {
        var tokens = new int[node?.Length ?? 0];
        for (var n = node; n is not null; n = n.Parent) tokens[n.Length - 1] = n.Token;
        return tokens;
    }

    /// <summary>The nodes of <paramref name="node"/>'s hypothesis, first to last.</summary>
    public static HypothesisNode[] Path(HypothesisNode? node)
    {
        var nodes = new HypothesisNode[node?.Length ?? 0];
        for (var n = node; n is not null; n = n.Parent) nodes[n.Length - 1] = n;
        return nodes;
    }
}
