using EncDec.Generation;
using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Models;

namespace EncDec.Tests.Generation;

/// <summary>Per-head attention of the decoder states, and the attention and coverage penalty search derives from it.</summary>
public class AttentionTests
{
    [Fact]
    public void TransformerHeads_AreEveryLayersPerHeadAttention_AndFollowReorder()
    {
        var model = GenerationKit.Model("transformer");
        var (ids, mask) = MemorisationData.PadSources(GenerationKit.Sources);
        using var noGrad = EncDec.Autograd.GradMode.Disable();
        var state = model.StartDecoding(model.Encode(ids, mask));
        Assert.Null(state.LastAttentionHeads);
        model.Step(new IntTensor([1, 1, 1, 1], 4), state);
        var heads = state.LastAttentionHeads!;   // (batch, layers, heads, srcLen)
        Assert.Equal([4, 2, 2, 5], heads.Shape.ToArray());
        // LastAttention is the last layer's mean over heads.
        var lastLayerMean = heads.Narrow(1, 1, 1).Mean(2).Reshape(4, 5).ToArray();
        Assert.True(TransformerTestModel.MaxAbsDifference(state.LastAttention!.ToArray(), lastLayerMean) <= 1e-6f);
        for (int b = 0; b < 4; b++)
            for (int layer = 0; layer < 2; layer++)
                for (int h = 0; h < 2; h++)
                {
                    var row = heads.Narrow(0, b, 1).Narrow(1, layer, 1).Narrow(2, h, 1).ToArray();
                    Assert.Equal(1f, row.Sum(), 1e-5f);
                    Assert.All(row.Skip(GenerationKit.Sources[b].Length), w => Assert.Equal(0f, w));
                }
        var before = heads.ToArray();
        state.Reorder([2, 0]);
        var after = state.LastAttentionHeads!.ToArray();
        Assert.Equal(before.AsSpan(2 * 20, 20).ToArray(), after.AsSpan(0, 20).ToArray());
        Assert.Equal(before.AsSpan(0, 20).ToArray(), after.AsSpan(20, 20).ToArray());
    }

    [Fact]
    public void RnnHeads_AreTheSingleAttention_AsOneLayerAndHead()
    {
        var model = GenerationKit.Model("bahdanau-gru");
        var (ids, mask) = MemorisationData.PadSources(GenerationKit.Sources);
        using var noGrad = EncDec.Autograd.GradMode.Disable();
        var state = model.StartDecoding(model.Encode(ids, mask));
        using (TensorScope.Begin()) model.Step(new IntTensor([1, 1, 1, 1], 4), state);   // the state must outlive the scope
        Assert.Equal([4, 1, 1, 5], state.LastAttentionHeads!.Shape.ToArray());
        Assert.Equal(state.LastAttention!.ToArray(), state.LastAttentionHeads!.ToArray());
    }

    [Theory]
    [InlineData("transformer", 2, 2)]
    [InlineData("luong-lstm", 1, 1)]
    public void ReturnAttention_GivesARowPerScoredToken_OverTheRealSource(string preset, int layers, int heads)
    {
        var model = GenerationKit.Model(preset);
        var results = GenerationKit.Generate(model, new SearchOptions(BeamSize: 2, MaxLength: 5, ReturnAttention: true));
        for (int s = 0; s < results.Length; s++)
        {
            var best = results[s].Best;
            Assert.Equal(best.TokenLogProbs.Length, best.Attention!.Length);
            Assert.All(best.Attention, row =>
            {
                Assert.Equal(GenerationKit.Sources[s].Length, row.Length);
                Assert.Equal(1f, row.Sum(), 1e-4f);
            });
            Assert.Equal((layers, heads, GenerationKit.Sources[s].Length), (best.Heads!.Layers, best.Heads.Heads, best.Heads.SourceLength));
            Assert.Equal(best.TokenLogProbs.Length, best.Heads.Steps.Length);
            Assert.Equal(1f, Enumerable.Range(0, best.Heads.SourceLength).Sum(j => best.Heads.Weight(0, layers - 1, heads - 1, j)), 1e-4f);
        }
    }

    [Fact]
    public void CoveragePenalty_IsAddedToTheNormalisedScore()
    {
        var model = GenerationKit.Model("transformer");
        var options = new SearchOptions(MaxLength: 4, CoveragePenalty: 0.5f, ReturnAttention: true);
        var results = GenerationKit.Generate(model, options);
        Assert.Contains(results, r => r.Best.NormalisedScore < r.Best.Score - 1e-3f);   // some source is under-attended
        foreach (var result in results)
        {
            var best = result.Best;
            int srcLen = best.Attention![0].Length;
            double expected = 0;
            for (int j = 0; j < srcLen; j++) expected += Math.Log(Math.Min(best.Attention.Sum(row => row[j]), 1.0));
            Assert.Equal(best.Score + 0.5f * (float)expected, best.NormalisedScore, 1e-4f);
        }
    }
}
