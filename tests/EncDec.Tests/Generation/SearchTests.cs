using EncDec.Generation;
using EncDec.Models;

namespace EncDec.Tests.Generation;

/// <summary>Greedy and beam search against each other, against exhaustive search and against uncached decoding.</summary>
public class SearchTests
{
    public static TheoryData<string> Presets => new() { "transformer", "bahdanau-gru", "luong-lstm", "t5" };

    /// <summary>An end id that the random model emits early for some sentences, so lengths vary.</summary>
    private static SearchOptions VaryingEnd(EncoderDecoderModel model, SearchOptions options)
    {
        var first = GenerationKit.Generate(model, new SearchOptions(MaxLength: 1, IgnoreEnd: true));
        return options with { EndId = first[1].Best.Tokens[0] };
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Beam1_EqualsGreedy(string preset)
    {
        var model = GenerationKit.Model(preset);
        var options = VaryingEnd(model, new SearchOptions(MaxLength: 8));
        var greedy = GenerationKit.Generate(model, options);
        var beam = GenerationKit.Beam(model, options);

        Assert.Contains(greedy, r => r.Best.Ended);   // the comparison covers finished and cut hypotheses
        for (int s = 0; s < greedy.Length; s++)
        {
            Assert.Equal(greedy[s].Best.Tokens, beam[s].Best.Tokens);
            Assert.Equal(greedy[s].Best.Score, beam[s].Best.Score, 1e-5f);
        }
    }

    [Theory]
    [InlineData(LengthPenaltyKind.None, 1f)]
    [InlineData(LengthPenaltyKind.Average, 1f)]
    [InlineData(LengthPenaltyKind.Gnmt, 0.6f)]
    public void WideBeam_FindsTheExhaustiveRanking(LengthPenaltyKind penalty, float alpha)
    {
        // Vocabulary 5 with pad and start suppressed: tokens 3 and 4 only, at most 4 of them, so 31 sequences; a beam of
        // 32 holds every prefix and finishes every end candidate, so it must reproduce the exhaustive ranking.
        var model = GenerationKit.Model("transformer", seed: 5, vocabulary: 5);
        int[] source = [3, 4, 4, 3];
        var options = new SearchOptions(BeamSize: 32, NBest: 5, MaxLength: 4, LengthPenaltyKind: penalty, LengthPenalty: alpha,
            EarlyStopping: EarlyStopping.Exact) { SuppressedSequences = [[0], [1]] };
        var result = GenerationKit.Generate(model, options, [source])[0];

        var all = new List<(int[] Tokens, float Score)>();
        void Enumerate(int[] prefix)
        {
            all.Add((prefix, GenerationKit.SequenceScore(model, source, prefix)));
            if (prefix.Length < 4) foreach (int token in new[] { 3, 4 }) Enumerate([.. prefix, token]);
        }
        Enumerate([]);
        Assert.Equal(31, all.Count);
        float Normalised(float score, int length) => penalty switch
        {
            LengthPenaltyKind.Average => score / MathF.Pow(length, alpha),
            LengthPenaltyKind.Gnmt => score / MathF.Pow((5f + length) / 6f, alpha),
            _ => score,
        };
        var expected = all.OrderByDescending(h => Normalised(h.Score, h.Tokens.Length + 1)).Take(5).ToList();
        Assert.Equal(expected.Select(h => h.Tokens), result.Hypotheses.Select(h => h.Tokens));
        for (int i = 0; i < 5; i++) Assert.Equal(expected[i].Score, result.Hypotheses[i].Score, 1e-4f);
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void CachedDecoding_MatchesUncached(string preset)
    {
        var model = GenerationKit.Model(preset);
        foreach (var options in new[] { new SearchOptions(MaxLength: 7), new SearchOptions(BeamSize: 3, NBest: 3, MaxLength: 7) })
        {
            var withEnd = VaryingEnd(model, options);
            var cached = GenerationKit.Generate(model, withEnd);
            var uncached = GenerationKit.Generate(model, withEnd, decoder: new ReferenceDecoder(model.Decoder));
            for (int s = 0; s < cached.Length; s++)
            {
                Assert.Equal(uncached[s].Hypotheses.Count, cached[s].Hypotheses.Count);
                for (int h = 0; h < cached[s].Hypotheses.Count; h++)
                {
                    Assert.Equal(uncached[s].Hypotheses[h].Tokens, cached[s].Hypotheses[h].Tokens);
                    Assert.Equal(uncached[s].Hypotheses[h].Score, cached[s].Hypotheses[h].Score, 1e-4f);
                }
            }
        }
    }

    [Fact]
    public void Scores_AreTheModelsLogProbabilities()
    {
        var model = GenerationKit.Model("transformer");
        var options = VaryingEnd(model, new SearchOptions(BeamSize: 2, NBest: 2, MaxLength: 5));
        var results = GenerationKit.Generate(model, options);
        for (int s = 0; s < results.Length; s++)
            foreach (var h in results[s].Hypotheses)
            {
                var tokens = h.Ended ? [.. h.Tokens, options.EndId!.Value] : h.Tokens;
                for (int t = 0; t < tokens.Length; t++)
                    Assert.Equal(GenerationKit.NextLogProbs(model, GenerationKit.Sources[s], tokens[..t])[tokens[t]], h.TokenLogProbs[t], 1e-4f);
                Assert.Equal(h.TokenLogProbs.Sum(), h.Score, 1e-4f);
            }
    }

    [Theory]
    [InlineData("transformer")]
    [InlineData("bahdanau-lstm")]
    public void NBest_IsSortedAndDistinct(string preset)
    {
        var model = GenerationKit.Model(preset);
        var options = VaryingEnd(model, new SearchOptions(BeamSize: 6, NBest: 6, MaxLength: 6, LengthPenaltyKind: LengthPenaltyKind.Average));
        foreach (var result in GenerationKit.Generate(model, options))
        {
            Assert.Equal(6, result.Hypotheses.Count);
            var scores = result.Hypotheses.Select(h => h.NormalisedScore).ToArray();
            Assert.Equal(scores.OrderDescending(), scores);
            Assert.Equal(6, result.Hypotheses.Select(h => string.Join(',', h.Tokens)).Distinct().Count());
        }
    }

    [Fact]
    public void WiderBeam_NeverScoresWorseThanGreedy_OnAverage()
    {
        var model = GenerationKit.Model("transformer");
        var options = VaryingEnd(model, new SearchOptions(MaxLength: 6, EarlyStopping: EarlyStopping.Exact));
        var greedy = GenerationKit.Generate(model, options);
        var beam = GenerationKit.Generate(model, options with { BeamSize = 5 });
        Assert.True(beam.Sum(r => r.Best.Score) >= greedy.Sum(r => r.Best.Score) - 1e-4f);
    }

    [Fact]
    public void EarlyStopping_ExactNeverLosesToBeamFull_AndHeuristicIsExactWithoutLengthPenalty()
    {
        var model = GenerationKit.Model("transformer");
        var average = VaryingEnd(model, new SearchOptions(BeamSize: 3, MaxLength: 8, LengthPenaltyKind: LengthPenaltyKind.Average));
        var exact = GenerationKit.Generate(model, average with { EarlyStopping = EarlyStopping.Exact });
        var beamFull = GenerationKit.Generate(model, average with { EarlyStopping = EarlyStopping.BeamFull });
        for (int s = 0; s < exact.Length; s++)
            Assert.True(exact[s].Best.NormalisedScore >= beamFull[s].Best.NormalisedScore - 1e-6f);

        var plain = average with { LengthPenaltyKind = LengthPenaltyKind.None };
        var heuristic = GenerationKit.Generate(model, plain with { EarlyStopping = EarlyStopping.Heuristic });
        var plainExact = GenerationKit.Generate(model, plain with { EarlyStopping = EarlyStopping.Exact });
        Assert.Equal(plainExact.Select(r => r.Best.Tokens), heuristic.Select(r => r.Best.Tokens));
    }
}
