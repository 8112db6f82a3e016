using System.Numerics.Tensors;

namespace EncDec.Generation;

/// <summary>Greedy search: each row takes its most probable allowed token (the smallest id on ties).</summary>
internal sealed class GreedySearch : RowwiseSearch
{
    /// <summary>Index of the largest finite value, the first on ties; -1 when every value is -∞.</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty) return -1;
        int index = TensorPrimitives.IndexOfMax(values);   // vectorised; it returns the first of equal maxima
        float best = values[index];
        if (!float.IsNaN(best)) return best > float.NegativeInfinity ? index : -1;
        return ArgMaxIgnoringNaN(values);
    }

    /// <summary>The scalar definition, which skips NaN (IndexOfMax returns the first NaN).</summary>
    internal static int ArgMaxIgnoringNaN(ReadOnlySpan<float> values)
    {
        int best = -1;
        float bestValue = float.NegativeInfinity;
        for (int i = 0; i < values.Length; i++)
            if (values[i] > bestValue)
            {
                best = i;
                bestValue = values[i];
            }
        return best;
    }

    /// <summary>The session finds each row's best token in its parallel pass over the rows.</summary>
    protected override void Begin(DecodingSession session, int rows) => session.TracksBestTokens = true;

    protected override int Choose(DecodingSession session, int row, int identity)
    {
        int token = session.BestToken(row);
        return token >= 0 ? token : throw NothingAllowed();
    }

    protected override int Choose(ReadOnlySpan<float> logProbs, int identity)
    {
        int token = ArgMax(logProbs);
        return token >= 0 ? token : throw NothingAllowed();
    }
}
