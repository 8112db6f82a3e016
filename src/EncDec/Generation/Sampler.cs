using EncDec.Tensors;

namespace EncDec.Generation;

/// <summary>
/// Ancestral sampling: each row draws its next token from the model's distribution, sharpened or flattened by the
/// temperature and cut to the top k tokens, then to the top-p nucleus of those (Holtzman et al. 2020), renormalised —
/// the order Hugging Face's warpers use. Each row has its own <see cref="RandomGenerator"/>, seeded from
/// <see cref="SearchOptions.Seed"/>, the input's position in the batch and the sample index, so a draw does not depend
/// on which other rows are still active. Hypothesis scores are the model's log-probabilities (temperature 1, before
/// the cuts), comparable with those of the other searches.
/// </summary>
internal sealed class Sampler(SearchOptions options) : RowwiseSearch
{
    private RandomGenerator[] _random = [];
    private int[] _order = [];
    private double[] _weights = [];

    protected override void Begin(DecodingSession session, int rows)
    {
        _random = new RandomGenerator[rows];
        for (int r = 0; r < rows; r++)
            _random[r] = new RandomGenerator(unchecked((ulong)options.Seed * 0x9E3779B97F4A7C15UL + (ulong)r + 1));
        _order = new int[session.Vocabulary];
        _weights = new double[session.Vocabulary];
    }

    protected override int Choose(ReadOnlySpan<float> logProbs, int identity)
    {
        int allowed = AllowedTokens(logProbs, options.Temperature, options.TopK, options.TopP, _order, _weights);
        if (allowed == 0) throw NothingAllowed();
        double total = 0;
        for (int i = 0; i < allowed; i++) total += _weights[i];
        double u = _random[identity].NextDouble() * total;
        for (int i = 0; i < allowed - 1; i++)
        {
            u -= _weights[i];
            if (u < 0) return _order[i];
        }
        return _order[allowed - 1];
    }

    /// <summary>
    /// The tokens sampling may draw from and their unnormalised weights, most probable first: finite log-probabilities
    /// p_i ∝ exp((lp_i − max) / T), the first <paramref name="topK"/> (0: all), then the smallest prefix whose
    /// renormalised probability reaches <paramref name="topP"/> (at least one token). Ties keep the smaller id first.
    /// </summary>
    /// <param name="logProbs">(vocab) constrained log-probabilities, -∞ for masked tokens.</param>
    /// <param name="temperature">T &gt; 0.</param>
    /// <param name="topK">k, or 0 for no limit.</param>
    /// <param name="topP">p in (0, 1].</param>
    /// <param name="order">(vocab) receives the allowed ids first.</param>
    /// <param name="weights">(vocab) receives their weights.</param>
    /// <returns>How many tokens are allowed.</returns>
    public static int AllowedTokens(ReadOnlySpan<float> logProbs, float temperature, int topK, float topP, int[] order, double[] weights)
    {
        int finite = 0;
        for (int v = 0; v < logProbs.Length; v++)
            if (!float.IsNegativeInfinity(logProbs[v])) order[finite++] = v;
        if (finite == 0) return 0;
        var values = logProbs.ToArray();
        Array.Sort(order, 0, finite, Comparer<int>.Create((a, b) => values[a] != values[b] ? values[b].CompareTo(values[a]) : a.CompareTo(b)));
        var candidates = order.AsSpan(0, finite);
        int kept = topK > 0 ? Math.Min(topK, finite) : finite;
        double max = logProbs[candidates[0]], total = 0;
        for (int i = 0; i < kept; i++) total += weights[i] = Math.Exp((logProbs[candidates[i]] - max) / temperature);
        if (topP >= 1f) return kept;
        double cumulative = 0;
        for (int i = 0; i < kept; i++)
        {
            cumulative += weights[i] / total;
            if (cumulative >= topP) return i + 1;
        }
        return kept;
    }
}
