using EncDec.Kernels;

namespace EncDec.Generation;

/// <summary>Greedy search: each row takes its most probable allowed token (the smallest id on ties), found by
/// <see cref="ArgMaxKernel"/>.</summary>
internal sealed class GreedySearch : RowwiseSearch
{
    /// <summary>The session finds each row's best token in its parallel pass over the rows.</summary>
    protected override void Begin(DecodingSession session, int rows) => session.TracksBestTokens = true;

    protected override int Choose(DecodingSession session, int row, int identity)
    {
        int token = session.BestToken(row);
        return token >= 0 ? token : throw NothingAllowed();
    }

    protected override int Choose(ReadOnlySpan<float> logProbs, int identity)
    {
        int token = ArgMaxKernel.Apply(logProbs);
        return token >= 0 ? token : throw NothingAllowed();
    }
}
