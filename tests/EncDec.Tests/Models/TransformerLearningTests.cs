using System.Diagnostics;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Training;
using Xunit.Abstractions;
using static EncDec.Tests.Models.MemorisationData;

namespace EncDec.Tests.Models;

/// <summary>A bounded learning test: the whole stack (embeddings, both stacks, cross-entropy, Adam) trains.</summary>
public class TransformerLearningTests(ITestOutputHelper output)
{
    private const int Pairs = 16, Vocabulary = 12, MaxSteps = 300;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Memorises16RandomPairs_ToZeroTokenErrors(bool preNorm)
    {
        var (sources, targets) = RandomPairs(seed: 11);
        var model = new TransformerTestModel(preNorm, seed: 5, vocabulary: Vocabulary, dModel: 32, ffnDim: 64);
        var (sourceIds, sourceMask) = PadSources(sources);
        var (targetInput, targetOutput) = TeacherForcing(targets);
        var optimizer = new Adam(model.Parameters(), learningRate: 3e-3f);

        var clock = Stopwatch.StartNew();
        int errors = int.MaxValue, step = 0;
        while (true)
        {
            using var scope = TensorScope.Begin();
            optimizer.ZeroGrad();
            var logits = model.Decoder.Forward(targetInput, model.Encoder.Encode(sourceIds, sourceMask));
            // Errors are counted on the current parameters, before the update, so a stop means zero errors now.
            if ((step % 10 == 0 && (errors = TokenErrors(logits, targetOutput)) == 0) || step == MaxSteps) break;
            logits.CrossEntropy(targetOutput, ignoreIndex: Pad).Backward();
            optimizer.Step();
            step++;
        }
        output.WriteLine($"preNorm {preNorm}: {errors} token errors after {step} Adam steps, {clock.ElapsedMilliseconds} ms");
        Assert.Equal(0, errors);
        AssertGreedyDecodingReproduces(model, sourceIds, sourceMask, targets);
    }

    /// <summary>With the cache, greedy decoding of every source yields its target and then the end token.</summary>
    private static void AssertGreedyDecodingReproduces(TransformerTestModel model, IntTensor sourceIds, Tensor sourceMask, int[][] targets)
    {
        model.Encoder.Eval();
        model.Decoder.Eval();
        var state = model.Decoder.Start(model.Encoder.Encode(sourceIds, sourceMask));
        var decoded = Enumerable.Range(0, Pairs).Select(_ => new List<int>()).ToArray();
        var tokens = new IntTensor(Enumerable.Repeat(Bos, Pairs).ToArray(), Pairs);
        for (int t = 0; t <= targets.Max(x => x.Length); t++)
        {
            var logits = model.Decoder.Step(tokens, state).ToArray();   // (batch, vocab)
            for (int b = 0; b < Pairs; b++)
            {
                tokens[b] = ArgMax(logits.AsSpan(b * Vocabulary, Vocabulary));
                decoded[b].Add(tokens[b]);
            }
        }
        for (int b = 0; b < Pairs; b++)
            Assert.Equal(targets[b].Append(Eos), decoded[b].Take(targets[b].Length + 1));
    }

    /// <summary>Random source and target sequences of lengths 3..8 over the content ids 3..11.</summary>
    private static (int[][] Sources, int[][] Targets) RandomPairs(int seed)
    {
        var random = new Random(seed);
        int[] Sequence() => RandomSentence(random, 3, 8, Vocabulary);
        var sources = new int[Pairs][];
        var targets = new int[Pairs][];
        for (int i = 0; i < Pairs; i++) (sources[i], targets[i]) = (Sequence(), Sequence());
        return (sources, targets);
    }
}
