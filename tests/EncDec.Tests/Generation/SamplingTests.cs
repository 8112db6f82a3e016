using EncDec.Generation;
using EncDec.Models;

namespace EncDec.Tests.Generation;

/// <summary>Sampling: reproducible with a seed, and never outside the top-k / top-p set.</summary>
public class SamplingTests
{
    private static readonly EncoderDecoderModel Transformer = GenerationKit.Model("transformer", seed: 21);

    [Fact]
    public void Sampling_WithSeed_IsReproducible()
    {
        var options = new SearchOptions(Sampling: true, NumSamples: 4, MaxLength: 8, Seed: 17);
        string Draw(SearchOptions o) => string.Join('|', GenerationKit.Generate(Transformer, o)
            .SelectMany(r => r.Hypotheses).Select(h => string.Join(',', h.Tokens)));
        string first = Draw(options);

        Assert.Equal(first, Draw(options));
        Assert.NotEqual(first, Draw(options with { Seed = 18 }));
        Assert.All(GenerationKit.Generate(Transformer, options), r => Assert.Equal(4, r.Hypotheses.Count));
    }

    /// <summary>The tokens allowed at the first step of source 0, computed naively from the model's distribution.</summary>
    private static HashSet<int> Allowed(float temperature, int topK, float topP)
    {
        var logProbs = GenerationKit.NextLogProbs(Transformer, GenerationKit.Sources[0], []);
        var ranked = logProbs.Select((lp, id) => (lp, id)).Where(x => x.id != GenerationKit.Ids.End)
            .OrderByDescending(x => x.lp).ThenBy(x => x.id).ToList();
        if (topK > 0) ranked = ranked.Take(topK).ToList();
        var weights = ranked.Select(x => Math.Exp((x.lp - ranked[0].lp) / temperature)).ToList();
        double total = weights.Sum(), cumulative = 0;
        var allowed = new HashSet<int>();
        for (int i = 0; i < ranked.Count && cumulative < topP; i++)
        {
            allowed.Add(ranked[i].id);
            cumulative += weights[i] / total;
        }
        return allowed;
    }

    [Theory]
    [InlineData(1f, 3, 1f)]
    [InlineData(2f, 0, 0.5f)]
    [InlineData(1.5f, 5, 0.7f)]
    public void TopKAndTopP_NeverEmitExcludedTokens(float temperature, int topK, float topP)
    {
        var allowed = Allowed(temperature, topK, topP);
        Assert.InRange(allowed.Count, 2, ModelTestKitVocabulary - 2);   // the cut excludes something and leaves a choice
        var options = new SearchOptions(Sampling: true, NumSamples: 300, MaxLength: 1, IgnoreEnd: true,
            Temperature: temperature, TopK: topK, TopP: topP, Seed: 5);
        var drawn = GenerationKit.Generate(Transformer, options, [GenerationKit.Sources[0]])[0].Hypotheses
            .Select(h => h.Tokens[0]).ToList();

        Assert.All(drawn, token => Assert.Contains(token, allowed));
        Assert.True(drawn.Distinct().Count() >= 2, "the draws should not all be the same token");
    }

    private const int ModelTestKitVocabulary = Models.ModelTestKit.Vocabulary;
}
