using EncDec.Evaluation;

namespace EncDec.Tests.Evaluation;

/// <summary>
/// <see cref="Chrf"/> on small corpora whose scores follow by hand from SacreBLEU 2.x's <c>CHRF</c> with its defaults
/// (character 6-grams, whitespace removed, beta 2, no epsilon smoothing: precision and recall are averaged over
/// the orders with n-grams on both sides, then F = 5PR / (4P + R)). Each derivation is in the test; the values
/// were also checked against a line-by-line Python transcription.
/// </summary>
public class ChrfTests
{
    private const double Tolerance = 1e-9;

    private static double Score(string[] hypotheses, params string[][] references) =>
        Chrf.CorpusScore(hypotheses, references).Score;

    [Fact]
    public void IdenticalSegment_Scores100()
    {
        // Orders 1..3 have P = R = 1; orders 4..6 have no reference n-gram and drop out.
        Assert.Equal(100.0, Score(["abc"], ["abc"]), Tolerance);
    }

    [Theory]
    [InlineData("a b c")]
    [InlineData(" a\tb\u00A0c\n")]
    [InlineData("a\u001Cbc")]   // Python's str.split() whitespace, which char.IsWhiteSpace does not include
    public void Whitespace_IsRemovedBeforeCounting(string hypothesis) =>
        Assert.Equal(100.0, Score([hypothesis], ["abc"]), Tolerance);

    [Fact]
    public void OrdersTooLongForTheReference_DropOutOfTheAverage()
    {
        // "ab" vs "ac": order 1 P = R = 1/2, order 2 P = R = 0, orders 3..6 absent.
        // P = R = 1/4, F = 5 * 1/16 / (4/4 + 1/4) = 1/4.
        Assert.Equal(25.0, Score(["ab"], ["ac"]), Tolerance);
    }

    [Fact]
    public void Recall_WeighsMoreThanPrecision()
    {
        // "a" vs "ab": P = 1, R = 1/2 (order 2 has no hypothesis n-gram): F = 5 * 0.5 / (4 + 0.5) = 5/9.
        Assert.Equal(500.0 / 9, Score(["a"], ["ab"]), Tolerance);
        // "ab" vs "a": P = 1/2, R = 1 (order 2 has no reference n-gram): F = 5 * 0.5 / (2 + 1) = 5/6.
        Assert.Equal(500.0 / 6, Score(["ab"], ["a"]), Tolerance);
    }

    [Fact]
    public void Characters_AreCodePoints_NotUtf16Units()
    {
        // As in Python, the emoji is one character, so this is the "ab" vs "ac" case: 25. Counting surrogate
        // halves would give 3 unigrams, 2 bigrams and 1 trigram a side and about 38.9.
        Assert.Equal(25.0, Score(["\U0001F600a"], ["\U0001F600b"]), Tolerance);
    }

    [Fact]
    public void EmptyHypothesis_ScoresZero() => Assert.Equal(0.0, Score([""], ["abc"]));

    [Fact]
    public void EmptyCorpus_ScoresZero() => Assert.Equal(0.0, Chrf.CorpusScore([], [Array.Empty<string>()]).Score);

    [Fact]
    public void SeveralReferences_EachSegmentKeepsTheReferenceWithTheBestFScore()
    {
        // Against "ac" the segment scores 25, against "ab" 100: the latter's statistics are kept, in either order.
        Assert.Equal(100.0, Score(["ab"], ["ac"], ["ab"]), Tolerance);
        Assert.Equal(100.0, Score(["ab"], ["ab"], ["ac"]), Tolerance);
    }

    [Fact]
    public void Statistics_AreSummedOverTheCorpus_NotAveragedOverSentences()
    {
        // "abcd"/"abcd" gives (hyp, ref, match) = (4,4,4), (3,3,3), (2,2,2), (1,1,1); "x"/"y" adds (1,1,0) to
        // order 1 only. P = R = (4/5 + 1 + 1 + 1) / 4 = 0.95, so F = 95 (the sentence mean would be 50).
        Assert.Equal(95.0, Score(["abcd", "x"], ["abcd", "y"]), Tolerance);
    }

    [Fact]
    public void ReferenceStreamOfAnotherLength_IsRejected_NamingTheStreamAndBothLengths()
    {
        var e = Assert.Throws<ArgumentException>(() => Score(["a"], ["a", "b"]));
        Assert.Contains("Reference stream 0 has 2 segments but there are 1 hypotheses", e.Message);
    }

    [Fact]
    public void Score_ReportsSacreBleusDefaultsAndLine()
    {
        var score = Chrf.CorpusScore(["ab"], [["ac"]]);

        Assert.Equal((6, 0, 2), (score.CharOrder, score.WordOrder, score.Beta));
        Assert.Equal("chrF2 = 25.00", score.ToString());
    }
}
