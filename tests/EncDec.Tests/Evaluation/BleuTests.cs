using EncDec.Evaluation;

namespace EncDec.Tests.Evaluation;

/// <summary>
/// <see cref="Bleu"/> on small corpora whose scores follow by hand from SacreBLEU 2.x's <c>BLEU.corpus_score</c>
/// and <c>compute_bleu</c> (defaults: 13a, case-sensitive, 4-grams, 'exp' smoothing, closest reference length).
/// Each derivation is in the test; the values were also checked against a line-by-line Python transcription.
/// </summary>
public class BleuTests
{
    private const double Tolerance = 1e-9;

    private static BleuScore Score(string[] hypotheses, params string[][] references) =>
        Bleu.CorpusScore(hypotheses, references);

    [Fact]
    public void IdenticalSegment_Scores100()
    {
        var score = Score(["the cat sat on the mat"], ["the cat sat on the mat"]);

        Assert.Equal(100.0, score.Score, Tolerance);
        Assert.Equal([6L, 5, 4, 3], score.Counts);
        Assert.Equal([6L, 5, 4, 3], score.Totals);
        Assert.Equal(1.0, score.BrevityPenalty);
    }

    [Fact]
    public void TokenizationIs13a_SoDetokenizedAndTokenizedTextMatch()
    {
        // "Hello, world! How are you?" tokenizes to the reference's 8 tokens exactly.
        var score = Score(["Hello, world! How are you?"], ["Hello , world ! How are you ?"]);

        Assert.Equal(100.0, score.Score, Tolerance);
        Assert.Equal(8, score.SystemLength);
    }

    [Fact]
    public void ExpSmoothing_GivesTheKthOrderWithoutMatches_100Over2ToTheKTimesItsTotal()
    {
        // "a b c d" vs "a b x d": matches 3/4, 1/3 (a b), 0/2, 0/1. The first zero order gets 100/(2*2) = 25,
        // the second 100/(4*1) = 25. BLEU = (75 * 100/3 * 25 * 25)^(1/4) = 1562500^(1/4) = 25 * sqrt(2).
        var score = Score(["a b c d"], ["a b x d"]);

        Assert.Equal(25 * Math.Sqrt(2), score.Score, Tolerance);
        Assert.Equal([3L, 1, 0, 0], score.Counts);
        Assert.Equal([4L, 3, 2, 1], score.Totals);
        Assert.Equal([75.0, 100.0 / 3, 25.0, 25.0], score.Precisions.ToArray(), (x, y) => Math.Abs(x - y) < Tolerance);
    }

    [Fact]
    public void CaseSensitive_ByDefault()
    {
        // "hello" does not match "Hello": 3/4, 2/3, 1/2, 0/1 -> the 4-gram gets 100/(2*1) = 50.
        // BLEU = (75 * 200/3 * 50 * 50)^(1/4) = 12500000^(1/4).
        var score = Score(["hello world foo bar"], ["Hello world foo bar"]);

        Assert.Equal(Math.Pow(12_500_000, 0.25), score.Score, Tolerance);
    }

    [Fact]
    public void Counts_AreClippedByTheLargestCountInAnyReference()
    {
        // Papineni et al.'s example: "the" x7 against references with "the" twice and once -> clipped to 2/7.
        // Bigrams 0/6, trigrams 0/5, 4-grams 0/4 get 100/(2*6), 100/(4*5), 100/(8*4) from exp smoothing.
        // The 7-token reference is the closest length. BLEU = (200/7 * 100/12 * 5 * 3.125)^(1/4) = (312500/84)^(1/4).
        var score = Score(["the the the the the the the"], ["the cat is on the mat"], ["there is a cat on the mat"]);

        Assert.Equal(Math.Pow(312_500.0 / 84, 0.25), score.Score, Tolerance);
        Assert.Equal([2L, 0, 0, 0], score.Counts);
        Assert.Equal([7L, 6, 5, 4], score.Totals);
        Assert.Equal([200.0 / 7, 100.0 / 12, 5.0, 3.125], score.Precisions.ToArray(), (x, y) => Math.Abs(x - y) < Tolerance);
        Assert.Equal(7, score.ReferenceLength);
    }

    [Fact]
    public void ClosestReferenceLength_TiesGoToTheShorterReference()
    {
        // Hypothesis of 4 tokens, references of 5 and 3: both 1 away, so r = 3 and BP = 1 (c > r).
        // Every n-gram is in the first reference. Had the tie gone to 5, BP would be exp(1 - 5/4).
        var score = Score(["a b c d"], ["a b c d e"], ["a b c"]);

        Assert.Equal(3, score.ReferenceLength);
        Assert.Equal(1.0, score.BrevityPenalty);
        Assert.Equal(100.0, score.Score, Tolerance);
        Assert.Equal(4.0 / 3, score.Ratio, Tolerance);
    }

    [Fact]
    public void HypothesisShorterThanFourTokens_ScoresZero_BecauseAnOrderWithNoNgramEndsTheProduct()
    {
        // "a b" vs "a b c": totals (2, 1, 0, 0); the loop stops at order 3, leaving precisions 0 whose log is
        // SacreBLEU's floor -9999999999, so exp(...) = 0. BP = exp(1 - 3/2).
        var score = Score(["a b"], ["a b c"]);

        Assert.Equal(0.0, score.Score);
        Assert.Equal([100.0, 100.0, 0.0, 0.0], score.Precisions);
        Assert.Equal(Math.Exp(-0.5), score.BrevityPenalty, Tolerance);
    }

    [Fact]
    public void EmptyHypothesis_ScoresZero_WithBrevityPenaltyZero()
    {
        // No match at all: SacreBLEU's early stop returns 0; c = 0 < r = 3 gives BP 0.0.
        var score = Score([""], ["a b c"]);

        Assert.Equal(0.0, score.Score);
        Assert.Equal(0.0, score.BrevityPenalty);
        Assert.Equal((0L, 3L), (score.SystemLength, score.ReferenceLength));
        Assert.Equal([0L, 0, 0, 0], score.Totals);
    }

    [Fact]
    public void EmptyCorpus_ScoresZero_WithBrevityPenaltyOne()
    {
        // SacreBLEU's corpus_score raises IndexError on an empty list (it reads hyps[0]); its compute_bleu on the
        // all-zero statistics of an empty corpus gives 0 with BP 1 (c = r = 0) and ratio 0, which is what we return.
        var score = Bleu.CorpusScore([], [Array.Empty<string>()]);

        Assert.Equal(0.0, score.Score);
        Assert.Equal(1.0, score.BrevityPenalty);
        Assert.Equal(0.0, score.Ratio);
    }

    [Fact]
    public void Statistics_AreSummedOverTheCorpus_NotAveragedOverSentences()
    {
        // Segment 1 matches fully (4 tokens); segment 2 is empty against 2 reference tokens.
        // Corpus: all precisions 100, c = 4, r = 6, so BLEU = 100 * exp(1 - 6/4) (sentence mean would be 50).
        var score = Score(["a b c d", ""], ["a b c d", "x y"]);

        Assert.Equal(100 * Math.Exp(-0.5), score.Score, Tolerance);
        Assert.Equal((4L, 6L), (score.SystemLength, score.ReferenceLength));
    }

    [Fact]
    public void EmptyReference_MeansThatStreamHasNoReferenceForTheSegment()
    {
        // SacreBLEU drops "" references, so the second stream does not pull r towards 0.
        var score = Score(["a b c d"], ["a b c d"], [""]);

        Assert.Equal(100.0, score.Score, Tolerance);
        Assert.Equal(4, score.ReferenceLength);
    }

    [Fact]
    public void SegmentWhoseReferencesAreAllEmpty_IsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Score(["a", "b"], ["a", ""], ["x", ""]));
        Assert.Contains("Segment 1", e.Message);
    }

    [Fact]
    public void ReferenceStreamOfAnotherLength_IsRejected_NamingTheStreamAndBothLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => Score(["a", "b", "c"], ["a", "b", "c"], ["a", "b"]));
        Assert.Contains("Reference stream 1 has 2 segments but there are 3 hypotheses", e.Message);
    }

    [Fact]
    public void NoReferenceStream_IsRejected() =>
        Assert.Throws<ArgumentException>(() => Bleu.CorpusScore(["a"], []));

    [Fact]
    public void ToString_IsSacreBleusLine()
    {
        var score = Score(["a b c d"], ["a b x d"]);
        Assert.Equal("BLEU = 35.36 75.0/33.3/25.0/25.0 (BP = 1.000 ratio = 1.000 hyp_len = 4 ref_len = 4)", score.ToString());
    }
}
