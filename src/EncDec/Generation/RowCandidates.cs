using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EncDec.Kernels;

namespace EncDec.Generation;

/// <summary>A continuation of a beam: the row's hypothesis extended by <paramref name="Token"/>, whose summed
/// log-probability would be <paramref name="Score"/>.</summary>
internal readonly record struct Candidate(float Score, int Row, int Token);

/// <summary>
/// Beam search's candidate selection in two parts: the best continuations of each row (<see cref="Best"/>, run on
/// the thread that has just normalised the row, while it is in cache), then the best of a sentence's rows
/// (<see cref="Merge"/>). Both keep a list best first, ties broken by the smaller row and then the smaller token,
/// so merging the rows' lists in row order gives exactly the list one scan over all the sentence's rows gives
/// (<see cref="Reference"/>), whenever no score is NaN.
/// </summary>
internal static class RowCandidates
{
    /// <summary>The best ≤ <paramref name="buffer"/>.Length continuations of one row, best first: scores
    /// <paramref name="rowScore"/> + log-probability; a masked token (−∞) or a dead row (score −∞) gives none.</summary>
    /// <param name="rowScore">The row's hypothesis's summed log-probability.</param>
    /// <param name="logProbs">(vocab) the row's constrained log-probabilities.</param>
    /// <param name="row">The row, recorded in each candidate.</param>
    /// <param name="buffer">Receives the candidates.</param>
    /// <returns>How many candidates were found.</returns>
    public static int Best(float rowScore, ReadOnlySpan<float> logProbs, int row, Span<Candidate> buffer)
    {
        if (float.IsNegativeInfinity(rowScore) || buffer.IsEmpty) return 0;
        int count = 0, token = 0;
        if (SimdPath.Current != SimdLevel.Scalar)
        {
            // Once the list is full, a block of 8 tokens is skipped when none can enter: every sum at most the worst kept
            // score. The test is "all ≤", not "none >", so a NaN sum still reaches the scalar rule, as in Reference.
            ref float first = ref MemoryMarshal.GetReference(logProbs);
            var scores = Vector256.Create(rowScore);
            for (; token <= logProbs.Length - Vector256<float>.Count; token += Vector256<float>.Count)
            {
                if (count == buffer.Length
                    && Vector256.LessThanOrEqualAll(scores + Vector256.LoadUnsafe(ref first, (nuint)token), Vector256.Create(buffer[count - 1].Score)))
                    continue;
                for (int t = token; t < token + Vector256<float>.Count; t++) Offer(rowScore, logProbs[t], row, t, buffer, ref count);
            }
        }
        for (; token < logProbs.Length; token++) Offer(rowScore, logProbs[token], row, token, buffer, ref count);
        return count;
    }

    /// <summary>Adds each of <paramref name="candidates"/> (one row's list, best first) that ranks within
    /// <paramref name="buffer"/>.Length to the list <paramref name="buffer"/> of <paramref name="count"/> candidates
    /// from earlier rows.</summary>
    public static void Merge(ReadOnlySpan<Candidate> candidates, Span<Candidate> buffer, ref int count)
    {
        foreach (var candidate in candidates)
        {
            if (count == buffer.Length && candidate.Score <= buffer[count - 1].Score) return;   // the rest rank lower still
            Insert(candidate, buffer, ref count);
        }
    }

    /// <summary>The one-scan definition: the best ≤ <paramref name="buffer"/>.Length continuations of consecutive rows
    /// numbered from <paramref name="firstRow"/>, into <paramref name="buffer"/>; returns how many were found.</summary>
    /// <param name="firstRow">The number of the first row.</param>
    /// <param name="scores">(rows) each row's summed log-probability.</param>
    /// <param name="logProbs">(rows, vocab) each row's log-probabilities.</param>
    /// <param name="buffer">Receives the candidates.</param>
    public static int Reference(int firstRow, float[] scores, float[][] logProbs, Span<Candidate> buffer)
    {
        int count = 0;
        for (int r = 0; r < scores.Length; r++)
        {
            if (float.IsNegativeInfinity(scores[r])) continue;
            for (int token = 0; token < logProbs[r].Length; token++)
                Offer(scores[r], logProbs[r][token], firstRow + r, token, buffer, ref count);
        }
        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Offer(float rowScore, float logProb, int row, int token, Span<Candidate> buffer, ref int count)
    {
        if (float.IsNegativeInfinity(logProb)) return;
        float score = rowScore + logProb;
        if (count == buffer.Length && score <= buffer[count - 1].Score) return;
        Insert(new Candidate(score, row, token), buffer, ref count);
    }

    /// <summary>Inserts after every candidate at least as good, so ties keep the earlier (row, token) first; when the
    /// list is full the last one drops out.</summary>
    private static void Insert(Candidate candidate, Span<Candidate> buffer, ref int count)
    {
        int at = count == buffer.Length ? count - 1 : count++;
        while (at > 0 && buffer[at - 1].Score < candidate.Score)
        {
            buffer[at] = buffer[at - 1];
            at--;
        }
        buffer[at] = candidate;
    }
}
