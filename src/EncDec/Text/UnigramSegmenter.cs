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
internal sealed class UnigramSegmenter(SentencePieceVocabulary vocabulary) : ISegmenter
{
    private const float UnknownPenalty = 10f;

    private struct BestPath
    {
        public int Id;
        public float Score;
        public int StartsAt;
    }

    /// <inheritdoc/>
    public List<Segment> Split(ReadOnlySpan<byte> normalized)
    {
        var result = new List<Segment>();
        int size = normalized.Length;
        if (size == 0) return result;

        float unknownScore = vocabulary.MinScore - UnknownPenalty;
        var best = new BestPath[size + 1];        // best[i]: the best path over normalized[..i]
        for (int i = 0; i <= size; i++) best[i] = new BestPath { Id = -1, StartsAt = -1 };

        var trie = vocabulary.Segmentable;
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
                var type = vocabulary.Type(id);
                if (type == SentencePieceType.Unused) continue;
                int length = keyEnd - startsAt;
                double score = type == SentencePieceType.UserDefined
                    ? (length * vocabulary.MaxScore) - 0.1
                    : vocabulary[id].Score;
                double candidate = score + scoreTillHere;
                ref var target = ref best[keyEnd];
                if (target.StartsAt == -1 || candidate > target.Score)
                    target = new BestPath { Id = id, Score = (float)candidate, StartsAt = startsAt };
                if (length == charLength) hasSingleCharPiece = true;
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

        for (int end = size; end > 0; end = best[end].StartsAt)
            result.Add(new Segment(best[end].StartsAt, end - best[end].StartsAt, best[end].Id));
        result.Reverse();
        return result;
    }
}
