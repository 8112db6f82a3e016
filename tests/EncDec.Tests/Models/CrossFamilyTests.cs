using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Training;
using static EncDec.Tests.Models.MemorisationData;

namespace EncDec.Tests.Models;

/// <summary>
/// Any encoder pairs with any decoder: a Transformer encoder feeding a Bahdanau GRU decoder (equal widths, no bridge)
/// and a bidirectional RNN encoder (OutputDim 2·12 = 24) feeding a Transformer decoder (dModel 16, bridged).
/// </summary>
public class CrossFamilyTests
{
    public static TheoryData<string> Pairings => new(["transformer->gru", "birnn->transformer"]);

    /// <summary>The pairing named <paramref name="pairing"/> at a tiny size, no dropout, in evaluation mode.</summary>
    private static EncoderDecoderModel Build(string pairing, int vocabulary = ModelTestKit.Vocabulary)
    {
        var rng = new RandomGenerator(3);
        var transformer = ModelPresets.Get("transformer", vocabulary, vocabulary).Transformer! with
        {
            DModel = 16, Heads = 2, FfnDim = 32, EncoderLayers = 1, DecoderLayers = 1, Dropout = 0f, MaxLength = 64,
        };
        var rnn = ModelPresets.Get("bahdanau-gru", vocabulary, vocabulary);
        EncoderDecoderModel model = pairing switch
        {
            // A Transformer encoder has no final states, so the GRU decoder starts from zeros.
            "transformer->gru" => new EncoderDecoderModel(new TransformerEncoder(transformer, rng),
                new RnnDecoder(rnn.RnnDecoder! with { EmbeddingDim = 16, HiddenSize = 16, Dropout = 0f, InitFromEncoder = false }, 16, rng), rng),
            "birnn->transformer" => new EncoderDecoderModel(
                new RnnEncoder(rnn.RnnEncoder! with { EmbeddingDim = 12, HiddenSize = 12, Dropout = 0f }, rng),
                new TransformerDecoder(transformer, rng), rng),
            _ => throw new ArgumentException(pairing),
        };
        model.Eval();
        return model;
    }

    [Theory]
    [MemberData(nameof(Pairings))]
    public void Bridge_ExistsExactlyWhenTheWidthsDiffer(string pairing)
    {
        var model = Build(pairing);

        bool differ = model.Encoder.OutputDim != model.Decoder.MemoryDim;
        Assert.Equal(pairing == "birnn->transformer", differ);
        Assert.Equal(differ, model.MemoryBridge is not null);
        Assert.Equal(differ, model.NamedParameters().Any(p => p.Name.StartsWith("memory_bridge.", StringComparison.Ordinal)));
        var memory = model.Encode(ModelTestKit.Source, ModelTestKit.Mask).Memory;   // (3, 5, decoder MemoryDim)
        Assert.Equal(model.Decoder.MemoryDim, memory.Shape[2]);
        // Bridged or not, memory stays zero at source padding (row 1 has length 3, so positions 3 and 4 are pads).
        Assert.All(memory.Narrow(0, 1, 1).Narrow(1, 3, 2).Contiguous().ToArray(), v => Assert.Equal(0f, v));
    }

    [Theory]
    [MemberData(nameof(Pairings))]
    public void Logits_HaveShapeBatchByTargetLengthByVocabulary(string pairing)
    {
        var logits = Build(pairing).Forward(ModelTestKit.Source, ModelTestKit.Mask, ModelTestKit.Target);

        Assert.Equal([3, 4, ModelTestKit.Vocabulary], logits.Shape.ToArray());
        Assert.All(logits.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [MemberData(nameof(Pairings))]
    public void StepByStepLogits_EqualTeacherForcedLogits(string pairing)
    {
        var model = Build(pairing);
        var target = ModelTestKit.Target;
        var full = model.Forward(ModelTestKit.Source, ModelTestKit.Mask, target);   // (3, 4, vocab)

        var state = model.StartDecoding(model.Encode(ModelTestKit.Source, ModelTestKit.Mask));
        for (int t = 0; t < target.Shape[1]; t++)
        {
            var step = model.Step(RnnModelKit.Column(target, t), state);          // (3, vocab)
            var expected = full.Narrow(1, t, 1).Contiguous().Reshape(3, ModelTestKit.Vocabulary);
            Assert.True(RnnModelKit.MaxAbsDiff(expected, step) <= 1e-5f, $"{pairing}: step {t} differs from Forward");
        }
    }

    [Theory]
    [MemberData(nameof(Pairings))]
    public void Reorder_EqualsDecodingTheReorderedBatch(string pairing)
    {
        var model = Build(pairing);
        int[] order = [2, 0, 0];
        var target = ModelTestKit.Target;
        var state = model.StartDecoding(model.Encode(ModelTestKit.Source, ModelTestKit.Mask));
        model.Step(RnnModelKit.Column(target, 0), state);
        state.Reorder(order);
        var reordered = model.Step(RnnModelKit.Rows(RnnModelKit.Column(target, 1), order), state);   // (3, vocab)

        var fresh = model.StartDecoding(model.Encode(RnnModelKit.Rows(ModelTestKit.Source, order),
            ModelTestKit.Mask.IndexSelect(0, new IntTensor(order, 3))));
        model.Step(RnnModelKit.Rows(RnnModelKit.Column(target, 0), order), fresh);
        var expected = model.Step(RnnModelKit.Rows(RnnModelKit.Column(target, 1), order), fresh);

        Assert.True(RnnModelKit.MaxAbsDiff(expected, reordered) <= 1e-5f, pairing);
    }

    [Theory]
    [MemberData(nameof(Pairings))]
    public void PaddedSourceTokens_ChangeNothing(string pairing)
    {
        var model = Build(pairing);

        var withZeros = model.Forward(RnnModelKit.Source(padFill: 0), ModelTestKit.Mask, ModelTestKit.Target);
        var withSevens = model.Forward(RnnModelKit.Source(padFill: 7), ModelTestKit.Mask, ModelTestKit.Target);

        Assert.Equal(withZeros.ToArray(), withSevens.ToArray());
    }

    private const int MemoryVocabulary = 12, Pairs = 16, MaxSteps = 600;

    /// <summary>16 random pairs (lengths 3..8, vocab 12) memorised to zero teacher-forced token errors in bounded Adam steps.</summary>
    [Theory]
    [MemberData(nameof(Pairings))]
    public void Memorises16RandomPairs_ToZeroTokenErrors(string pairing)
    {
        var random = new Random(7);
        var sources = Enumerable.Range(0, Pairs).Select(_ => RandomSentence(random, 3, 8, MemoryVocabulary)).ToArray();
        var targets = Enumerable.Range(0, Pairs).Select(_ => RandomSentence(random, 3, 8, MemoryVocabulary)).ToArray();
        var (sourceIds, sourceMask) = PadSources(sources);
        var (targetInput, targetOutput) = TeacherForcing(targets);
        var model = Build(pairing, MemoryVocabulary);
        model.Train();
        var adam = new Adam(model.Parameters(), learningRate: 0.01f);

        int errors = int.MaxValue;
        for (int step = 0; step < MaxSteps && errors > 0; step++)
        {
            adam.ZeroGrad();
            var logits = model.Forward(sourceIds, sourceMask, targetInput);   // (16, tgtLen, vocab)
            logits.CrossEntropy(targetOutput, ignoreIndex: Pad).Backward();
            adam.Step();
            errors = TokenErrors(logits, targetOutput);
        }
        Assert.Equal(0, errors);
    }
}
