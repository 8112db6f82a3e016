using EncDec.Generation;
using EncDec.Models;

namespace EncDec.Tests.Generation;

/// <summary>Length limits, n-gram blocking, suppression, forced prefixes and the repetition penalty, in greedy and beam search.</summary>
public class ConstraintTests
{
    private static readonly EncoderDecoderModel Transformer = GenerationKit.Model("transformer");

    public static TheoryData<int> Beams => new() { 1, 3 };

    private static SearchResult[] Run(SearchOptions options) => GenerationKit.Generate(Transformer, options);

    private static IEnumerable<int[]> AllHypotheses(SearchResult[] results) => results.SelectMany(r => r.Hypotheses).Select(h => h.Tokens);

    private static IEnumerable<(int, int)> Bigrams(int[] tokens) => tokens.Zip(tokens.Skip(1));

    [Theory]
    [MemberData(nameof(Beams))]
    public void MinLength_MasksTheEndUntilReached(int beam)
    {
        int end = Run(new SearchOptions(MaxLength: 1, IgnoreEnd: true))[0].Best.Tokens[0];   // would end sentence 0 at once
        var without = Run(new SearchOptions(BeamSize: beam, MaxLength: 10, EndId: end));
        var with = Run(new SearchOptions(BeamSize: beam, MaxLength: 10, EndId: end, MinLength: 3));

        Assert.Empty(without[0].Best.Tokens);
        Assert.All(with, r => Assert.True(r.Best.Tokens.Length >= 3, $"{r.Best.Tokens.Length} tokens"));
    }

    [Theory]
    [MemberData(nameof(Beams))]
    public void MaxLength_CutsEveryHypothesis_AndEndsIt(int beam)
    {
        var results = Run(new SearchOptions(BeamSize: beam, MaxLength: 4));
        Assert.All(results, r => Assert.True(r.Best.Tokens.Length <= 4 && r.Best.Ended));
        Assert.Contains(results, r => r.Best.Tokens.Length == 4);
    }

    [Theory]
    [MemberData(nameof(Beams))]
    public void MaxLengthRatio_CapsBySourceLength_AndIgnoreEndRunsToTheCap(int beam)
    {
        var results = Run(new SearchOptions(BeamSize: beam, MaxLength: 100, MaxLengthRatio: 0.5f, MaxLengthOffset: 1, IgnoreEnd: true));
        for (int s = 0; s < results.Length; s++)
        {
            int cap = (int)Math.Ceiling(0.5 * GenerationKit.Sources[s].Length + 1);
            Assert.Equal(cap, results[s].Best.Tokens.Length);
            Assert.False(results[s].Best.Ended);
            Assert.Equal(cap, results[s].Best.TokenLogProbs.Length);
        }
    }

    [Theory]
    [MemberData(nameof(Beams))]
    public void NoRepeatNgram_NeverRepeatsAnNgram(int beam)
    {
        var options = new SearchOptions(BeamSize: beam, NBest: beam, MaxLength: 12, IgnoreEnd: true);
        Assert.Contains(AllHypotheses(Run(options)), t => Bigrams(t).Distinct().Count() < t.Length - 1);   // repeats without
        foreach (var tokens in AllHypotheses(Run(options with { NoRepeatNgramSize = 2 })))
            Assert.Equal(tokens.Length - 1, Bigrams(tokens).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Beams))]
    public void SuppressedSequences_NeverAppear_SingleTokensAndPairs(int beam)
    {
        var options = new SearchOptions(BeamSize: beam, NBest: beam, MaxLength: 10, IgnoreEnd: true);
        var free = AllHypotheses(Run(options)).ToList();
        int frequent = free.SelectMany(t => t).GroupBy(t => t).MaxBy(g => g.Count())!.Key;
        var pair = free.SelectMany(Bigrams).GroupBy(p => p).MaxBy(g => g.Count())!.Key;

        var noToken = AllHypotheses(Run(options with { SuppressedSequences = [[frequent]] })).ToList();
        Assert.DoesNotContain(noToken, t => t.Contains(frequent));
        var noPair = AllHypotheses(Run(options with { SuppressedSequences = [[pair.Item1, pair.Item2]] })).ToList();
        Assert.DoesNotContain(noPair, t => Bigrams(t).Contains(pair));
        Assert.Contains(noPair, t => t.Contains(pair.Item1));   // the first token alone stays allowed
    }

    [Theory]
    [MemberData(nameof(Beams))]
    public void ForcedPrefix_StartsEveryOutput_AndIsScoredByTheModel(int beam)
    {
        int[] shared = [5, 6], own = [9];
        var results = GenerationKit.Generate(Transformer, new SearchOptions(BeamSize: beam, NBest: beam, MaxLength: 6) { TargetPrefix = shared },
            prefixes: [own, null, null, null]);
        for (int s = 0; s < results.Length; s++)
        {
            int[] prefix = s == 0 ? own : shared;
            foreach (var h in results[s].Hypotheses)
            {
                Assert.Equal(prefix, h.Tokens[..prefix.Length]);
                for (int t = 0; t < prefix.Length; t++)
                    Assert.Equal(GenerationKit.NextLogProbs(Transformer, GenerationKit.Sources[s], prefix[..t])[prefix[t]], h.TokenLogProbs[t], 1e-4f);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Beams))]
    public void RepetitionPenalty_ReducesRepeatedTokens(int beam)
    {
        var options = new SearchOptions(BeamSize: beam, MaxLength: 12, IgnoreEnd: true);
        static int Repeats(SearchResult[] results) => results.Sum(r => r.Best.Tokens.Length - r.Best.Tokens.Distinct().Count());
        int without = Repeats(Run(options));
        int with = Repeats(Run(options with { RepetitionPenalty = 3f }));
        Assert.True(with < without, $"repeats with penalty {with}, without {without}");
    }

    [Fact]
    public void Validate_NamesTheFieldAndValue()
    {
        var error = Assert.Throws<ArgumentException>(() => new SearchOptions(BeamSize: 2, NBest: 3).Validate());
        Assert.Contains("NBest 3", error.Message);
        Assert.Contains("TopP 0", Assert.Throws<ArgumentException>(() => new SearchOptions(Sampling: true, TopP: 0f).Validate()).Message);
        Assert.Throws<ArgumentException>(() => new SearchOptions { SuppressedSequences = [[]] }.Validate());
    }

    /// <summary>Rows × vocabulary log-probabilities live in one array per step: a beam or sample count past that is an
    /// error naming the numbers before any step runs, not an overflow inside one.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RowsBeyondOneArray_AreRejectedNamingTheNumbers(bool sampling)
    {
        int width = int.MaxValue / 4;
        var options = sampling ? new SearchOptions(Sampling: true, NumSamples: width) : new SearchOptions(BeamSize: width);
        var error = Assert.Throws<ArgumentException>(() => Run(options));
        Assert.Contains($"{GenerationKit.Sources.Length} inputs × {width} {(sampling ? "samples" : "beams")}", error.Message);
        Assert.Contains("log-probabilities per step", error.Message);
    }
}
