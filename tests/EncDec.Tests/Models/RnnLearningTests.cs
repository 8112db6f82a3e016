using System.Diagnostics;
using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Training;
using Xunit.Abstractions;

namespace EncDec.Tests.Models;

public class RnnLearningTests(ITestOutputHelper output)
{
    private const int Pad = 0, Bos = 1, Eos = 2, Vocabulary = 12, Pairs = 16, MaxSteps = 400;

    [Fact]
    public void BahdanauGru_Memorises16RandomPairs_ToZeroTokenErrors()
    {
        var random = new Random(5);
        var sources = Enumerable.Range(0, Pairs).Select(_ => RandomSentence(random)).ToArray();
        var targets = Enumerable.Range(0, Pairs).Select(_ => RandomSentence(random)).ToArray();
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

    private static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int v = 1; v < row.Length; v++) if (row[v] > row[best]) best = v;
        return best;
    }

    /// <summary>3..8 content tokens drawn from [3, vocab).</summary>
    private static int[] RandomSentence(Random random) =>
        Enumerable.Range(0, random.Next(3, 9)).Select(_ => random.Next(3, Vocabulary)).ToArray();

    private static (IntTensor Ids, Tensor Mask) PadSources(int[][] sentences)
    {
        int length = sentences.Max(s => s.Length);
        var ids = new int[sentences.Length * length];
        var mask = new float[ids.Length];
        for (int b = 0; b < sentences.Length; b++)
            for (int t = 0; t < length; t++)
            {
                bool real = t < sentences[b].Length;
                ids[b * length + t] = real ? sentences[b][t] : Pad;
                mask[b * length + t] = real ? 0f : 1f;
            }
        return (new IntTensor(ids, sentences.Length, length), Tensor.FromArray(mask, sentences.Length, length));
    }

    /// <summary>Input [BOS, y…] and output [y…, EOS], both right padded.</summary>
    private static (IntTensor Input, IntTensor Output) TeacherForcing(int[][] sentences)
    {
        int length = sentences.Max(s => s.Length) + 1;
        var input = new int[sentences.Length * length];
        var output = new int[input.Length];
        for (int b = 0; b < sentences.Length; b++)
        {
            var withBos = sentences[b].Prepend(Bos).ToArray();
            var withEos = sentences[b].Append(Eos).ToArray();
            for (int t = 0; t < withBos.Length; t++)
            {
                input[b * length + t] = withBos[t];
                output[b * length + t] = withEos[t];
            }
        }
        return (new IntTensor(input, sentences.Length, length), new IntTensor(output, sentences.Length, length));
    }

    /// <summary>Non-pad positions whose argmax differs from the target.</summary>
    private static int TokenErrors(Tensor logits, IntTensor targets)
    {
        var values = logits.ToArray();
        var expected = targets.AsSpan();
        int errors = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] == Pad) continue;
            if (ArgMax(values.AsSpan(i * Vocabulary, Vocabulary)) != expected[i]) errors++;
        }
        return errors;
    }
}
