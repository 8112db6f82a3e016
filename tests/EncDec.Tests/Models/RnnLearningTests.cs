using System.Diagnostics;
using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Training;
using Xunit.Abstractions;
using static EncDec.Tests.Models.MemorisationData;

namespace EncDec.Tests.Models;

public class RnnLearningTests(ITestOutputHelper output)
{
    private const int Vocabulary = 12, Pairs = 16, MaxSteps = 400;

    [Fact]
    public void BahdanauGru_Memorises16RandomPairs_ToZeroTokenErrors()
    {
        var random = new Random(5);
        var sources = Enumerable.Range(0, Pairs).Select(_ => RandomSentence(random, 3, 8, Vocabulary)).ToArray();
        var targets = Enumerable.Range(0, Pairs).Select(_ => RandomSentence(random, 3, 8, Vocabulary)).ToArray();
        var (sourceIds, sourceMask) = PadSources(sources);
        var (targetInput, targetOutput) = TeacherForcing(targets);

        var rng = new RandomGenerator(11);
        var encoder = new RnnEncoder(new RnnEncoderConfig(RnnCellType.Gru, 16, 32, 1, true, 0f, Vocabulary), rng);
        var decoder = new RnnDecoder(new RnnDecoderConfig(RnnCellType.Gru, 16, 32, 1, 0f, Vocabulary, RnnAttentionKind.Bahdanau),
            encoder.OutputDim, rng);
        var adam = new Adam(encoder.Parameters().Concat(decoder.Parameters()), learningRate: 0.01f);

        var clock = Stopwatch.StartNew();
        int errors = int.MaxValue, step = 0;
        while (step < MaxSteps && errors > 0)
        {
            adam.ZeroGrad();
            var logits = decoder.Forward(targetInput, encoder.Encode(sourceIds, sourceMask));   // (16, tgtLen, vocab)
            var loss = logits.CrossEntropy(targetOutput, ignoreIndex: Pad);
            loss.Backward();
            adam.Step();
            step++;
            errors = TokenErrors(logits, targetOutput);
        }
        output.WriteLine($"{step} Adam steps, {clock.Elapsed.TotalSeconds:F1} s, {errors} token errors");
        Assert.Equal(0, errors);

        // Memorised means free-running too: greedy decoding reproduces every target and its EOS.
        var greedy = GreedyDecode(encoder, decoder, sourceIds, sourceMask, targetOutput.Shape[1]);
        for (int b = 0; b < Pairs; b++) Assert.Equal(targets[b].Append(Eos), greedy[b]);
    }

    private static int[][] GreedyDecode(RnnEncoder encoder, RnnDecoder decoder, IntTensor sourceIds, Tensor sourceMask, int maxLength)
    {
        var state = decoder.Start(encoder.Encode(sourceIds, sourceMask));
        var hypotheses = Enumerable.Range(0, Pairs).Select(_ => new List<int>()).ToArray();
        var tokens = Enumerable.Repeat(Bos, Pairs).ToArray();
        for (int t = 0; t < maxLength; t++)
        {
            var logits = decoder.Step(new IntTensor(tokens, Pairs), state).ToArray();   // (16, vocab)
            for (int b = 0; b < Pairs; b++)
            {
                tokens[b] = ArgMax(logits.AsSpan(b * Vocabulary, Vocabulary));
                if (hypotheses[b].LastOrDefault() != Eos) hypotheses[b].Add(tokens[b]);
            }
        }
        return hypotheses.Select(h => h.ToArray()).ToArray();
    }
}
