namespace EncDec.Text;

/// <summary>
/// Unigram segmentation: the split of highest total piece score, found as SentencePiece's
/// <c>unigram::Model::EncodeOptimized</c> finds it (a Viterbi pass that keeps only the best path ending at each
/// position, rather than the whole lattice).
/// </summary>
/// <remarks>
/// <para>For each character position, left to right, every vocabulary piece starting there updates the best
/// path ending where the piece ends. A character that no single-character piece covers gets the unknown id with
/// score <c>min_score - kUnkPenalty</c> (kUnkPenalty = 10). User-defined pieces score
/// <c>length_in_bytes * max_score - 0.1</c>; unused pieces are skipped. Ties keep the earlier path.</para>
/// <para>The arithmetic is copied exactly, because exact ties between splits (e.g. "a"+"bc" and "ab"+"c" with the
/// same sum) are decided by rounding: path scores are stored as float, but a piece candidate is computed and
/// compared in double (the <c>- 0.1</c> literal makes SentencePiece's ternary a double), while the unknown
/// candidate is float throughout.</para>
/// </remarks>
internal sealed class UnigramSegmenter : ISegmenter
{
    private const float UnknownPenalty = 10f;

    private readonly SentencePieceVocabulary vocabulary;

    // Per id, the score a piece candidate adds, computed once as the loop would compute it (a double); NaN for an
    // unused piece, which segmentation skips. A user-defined piece's byte length is the length of its trie key.
    private readonly double[] pieceScores;

    // The lattice of the last call on this thread, reused (a line's lattice would otherwise be its largest allocation).
    [ThreadStatic] private static BestPath[]? t_best;

    /// <summary>A segmenter over <paramref name="vocabulary"/>.</summary>
    public UnigramSegmenter(SentencePieceVocabulary vocabulary)
    {
        this.vocabulary = vocabulary;
        pieceScores = new double[vocabulary.Count];
        for (int id = 0; id < pieceScores.Length; id++)
        {
            int length = vocabulary.Utf8(id).Length;
            pieceScores[id] = vocabulary.Type(id) switch
            {
                SentencePieceType.Unused => double.NaN,
                SentencePieceType.UserDefined => (length * vocabulary.MaxScore) - 0.1,
                _ => vocabulary[id].Score,
            };
        }
    }

    private struct BestPath
    {
        public int Id;
        public float Score;
        public int StartsAt;
    }

    /// <inheritdoc/>
    public List<Segment> Split(ReadOnlySpan<byte> normalized)
    {
        int size = normalized.Length;
        if (size == 0) return [];

        float unknownScore = vocabulary.MinScore - UnknownPenalty;
        var best = t_best is { } cached && cached.Length > size ? cached : (t_best = new BestPath[Math.Max(size + 1, 256)]);
        best.AsSpan(0, size + 1).Fill(new BestPath { Id = -1, StartsAt = -1 });   // best[i]: the best path over normalized[..i]

        var trie = vocabulary.Segmentable;
        var scores = pieceScores;
        for (int startsAt = 0; startsAt < size;)
        {
            float scoreTillHere = best[startsAt].Score;
            int charLength = SentencePieceUtf8.CharLength(normalized[startsAt..]);
            bool hasSingleCharPiece = false;
            int node = PieceTrie.Root;
            for (int keyEnd = startsAt; keyEnd < size && trie.TryStep(ref node, normalized[keyEnd]);)
            {
                keyEnd++;
                int id = trie.IdAt(node);
                if (id < 0) continue;
                double score = scores[id];
                if (double.IsNaN(score)) continue;
                double candidate = score + scoreTillHere;
                ref var target = ref best[keyEnd];
                if (target.StartsAt == -1 || candidate > target.Score)
                    target = new BestPath { Id = id, Score = (float)candidate, StartsAt = startsAt };
                if (keyEnd - startsAt == charLength) hasSingleCharPiece = true;
            }
            if (!hasSingleCharPiece)
            {
                float candidate = unknownScore + scoreTillHere;
                ref var target = ref best[startsAt + charLength];
                if (target.StartsAt == -1 || candidate > target.Score)
                    target = new BestPath { Id = vocabulary.UnknownId, Score = candidate, StartsAt = startsAt };
            }
            startsAt += charLength;
        }
        return Backtrack(best, size);
    }

    // The pieces of the best path over the whole text, first to last, in a list of exactly their number.
    private static List<Segment> Backtrack(BestPath[] best, int size)
    {
        int count = 0;
        for (int end = size; end > 0; end = best[end].StartsAt) count++;
        var result = new List<Segment>(count);
        System.Runtime.InteropServices.CollectionsMarshal.SetCount(result, count);
        var segments = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(result);
        for (int end = size; end > 0; end = best[end].StartsAt)
            segments[--count] = new Segment(best[end].StartsAt, end - best[end].StartsAt, best[end].Id);
        return result;
    }
}
