using EncDec.Generation;
using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Models;

namespace EncDec.Tests.Generation;

/// <summary>Tiny randomly initialised models, a padded batch and helpers for the generation tests.</summary>
internal static class GenerationKit
{
    /// <summary>Pad 0, start 1, end 2, no unknown (as <see cref="MemorisationData"/>).</summary>
    public static readonly SpecialIds Ids = new(MemorisationData.Pad, MemorisationData.Bos, MemorisationData.Eos, -1);

    /// <summary>Source rows of lengths 5, 3, 1 and 4.</summary>
    public static readonly int[][] Sources = [[3, 4, 5, 6, 7], [8, 9, 10], [4], [7, 3, 9, 5]];

    /// <summary>A tiny preset (<see cref="ModelTestKit.Tiny"/>) in evaluation mode, vocabulary <paramref name="vocabulary"/>.</summary>
    public static EncoderDecoderModel Model(string preset, ulong seed = 11, int vocabulary = ModelTestKit.Vocabulary)
    {
        var config = ModelTestKit.Tiny(preset).WithVocabularies(vocabulary, vocabulary);
        var model = ModelBuilder.Build(config, new RandomGenerator(seed));
        model.Eval();
        return model;
    }

    public static SearchResult[] Generate(EncoderDecoderModel model, SearchOptions options, int[][]? sources = null,
        IDecoder? decoder = null, IReadOnlyList<int[]?>? prefixes = null)
    {
        var (ids, mask) = MemorisationData.PadSources(sources ?? Sources);
        return SequenceGenerator.Generate(model, ids, mask, Ids, options, prefixes, decoder);
    }

    /// <summary>Beam search run directly, also for beam size 1 (which <see cref="SequenceGenerator"/> sends to greedy search).</summary>
    public static SearchResult[] Beam(EncoderDecoderModel model, SearchOptions options, int[][]? sources = null)
    {
        var (ids, mask) = MemorisationData.PadSources(sources ?? Sources);
        using var noGrad = EncDec.Autograd.GradMode.Disable();
        var session = new DecodingSession(model, null, model.Encode(ids, mask), Ids, options, null);
        return new BeamSearch().Run(session);
    }

    /// <summary>The model's log-probabilities (vocab) of every next token after <paramref name="prefix"/> for one source,
    /// from teacher-forced <see cref="IDecoder.Forward"/> (no cache).</summary>
    public static float[] NextLogProbs(EncoderDecoderModel model, int[] source, int[] prefix)
    {
        using var noGrad = EncDec.Autograd.GradMode.Disable();
        var (ids, mask) = MemorisationData.PadSources([source]);
        var input = new IntTensor([Ids.Start, .. prefix], 1, prefix.Length + 1);
        var logits = model.Forward(ids, mask, input);   // (1, len, vocab)
        return logits.Narrow(1, prefix.Length, 1).LogSoftmax(-1).ToArray();
    }

    /// <summary>Sum of the model's log-probabilities of <paramref name="tokens"/>, then of the end token when <paramref name="ended"/>.</summary>
    public static float SequenceScore(EncoderDecoderModel model, int[] source, int[] tokens, bool ended = true)
    {
        float score = 0f;
        for (int t = 0; t < tokens.Length; t++) score += NextLogProbs(model, source, tokens[..t])[tokens[t]];
        return ended ? score + NextLogProbs(model, source, tokens)[Ids.End] : score;
    }
}
