using System.Diagnostics;
using EncDec.Autograd;
using EncDec.Models;
using EncDec.Nn;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Tests.Autograd;
using EncDec.Training;
using Xunit.Abstractions;
using static EncDec.Tests.Models.MemorisationData;

namespace EncDec.Tests.Models;

/// <summary>The per-preset acceptance: every name in <see cref="ModelPresets.Names"/>, shrunk to a tiny size.</summary>
public class PresetTests(ITestOutputHelper output)
{
    private const int Vocabulary = ModelTestKit.Vocabulary;

    public static TheoryData<string> Presets => new(ModelPresets.Names);

    /// <summary>The preset at a tiny size, no dropout; Transformer dModel 16 / RNN width 16, 2 layers where the preset has layers.</summary>
    private static ModelConfig Tiny(string preset, int vocabulary = Vocabulary, int width = 16)
    {
        var config = ModelPresets.Get(preset, vocabulary, vocabulary);
        return config.Family == ModelFamily.Transformer
            ? config with
            {
                Transformer = config.Transformer! with
                {
                    DModel = width, Heads = 2, FfnDim = 2 * width, EncoderLayers = 2, DecoderLayers = 2, Dropout = 0f, MaxLength = 64,
                },
            }
            : config with
            {
                RnnEncoder = config.RnnEncoder! with { EmbeddingDim = width, HiddenSize = width, Dropout = 0f },
                RnnDecoder = config.RnnDecoder! with { EmbeddingDim = width, HiddenSize = width, Dropout = 0f },
            };
    }

    private static EncoderDecoderModel BuildEval(ModelConfig config)
    {
        var model = ModelBuilder.Build(config);
        model.Eval();
        return model;
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Logits_HaveShapeBatchByTargetLengthByVocabulary_AndAreFinite(string preset)
    {
        var model = BuildEval(Tiny(preset));

        var logits = model.Forward(ModelTestKit.Source, ModelTestKit.Mask, ModelTestKit.Target);

        Assert.Equal([3, 4, Vocabulary], logits.Shape.ToArray());
        Assert.All(logits.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Gradients_MatchFiniteDifferences_ForTheSmallestParameterTensors(string preset)
    {
        var config = Tiny(preset);
        // GELU, not ReLU: a finite difference across ReLU's kink is meaningless.
        if (config.Transformer is { Activation: FeedForwardActivation.Relu })
            config = config with { Transformer = config.Transformer with { Activation = FeedForwardActivation.Gelu } };
        var model = ModelBuilder.Build(config);
        // Three small tensors from each side keep the check fast while touching both stacks.
        var selected = model.Encoder is Module encoder && model.Decoder is Module decoder
            ? Smallest(encoder).Concat(Smallest(decoder)).ToArray()
            : throw new InvalidOperationException("stacks are modules");

        GradientCheck.Verify(_ => model.Forward(ModelTestKit.Source, ModelTestKit.Mask, ModelTestKit.Target), selected);
    }

    private static IEnumerable<Tensor> Smallest(Module module) =>
        module.Parameters().Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>().OrderBy(p => p.Count).Take(3);

    [Theory]
    [MemberData(nameof(Presets))]
    public void StepByStepLogits_EqualTeacherForcedLogits(string preset)
    {
        var model = BuildEval(Tiny(preset));
        var target = ModelTestKit.Target;
        var full = model.Forward(ModelTestKit.Source, ModelTestKit.Mask, target);   // (3, 4, vocab)

        var state = model.StartDecoding(model.Encode(ModelTestKit.Source, ModelTestKit.Mask));
        for (int t = 0; t < target.Shape[1]; t++)
        {
            var step = model.Step(RnnModelKit.Column(target, t), state);   // (3, vocab)
            var expected = full.Narrow(1, t, 1).Contiguous().Reshape(3, Vocabulary);
            Assert.True(RnnModelKit.MaxAbsDiff(expected, step) <= 1e-5f, $"{preset}: step {t} differs from Forward");
        }
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void Reorder_EqualsDecodingTheReorderedBatch(string preset)
    {
        var model = BuildEval(Tiny(preset));
        int[] order = [2, 0, 0];
        var target = ModelTestKit.Target;
        var state = model.StartDecoding(model.Encode(ModelTestKit.Source, ModelTestKit.Mask));
        model.Step(RnnModelKit.Column(target, 0), state);
        state.Reorder(order);
        var reordered = model.Step(RnnModelKit.Rows(RnnModelKit.Column(target, 1), order), state);   // (3, vocab)

        var fresh = model.StartDecoding(model.Encode(RnnModelKit.Rows(ModelTestKit.Source, order), ModelTestKit.Mask.IndexSelect(0, new IntTensor(order, 3))));
        model.Step(RnnModelKit.Rows(RnnModelKit.Column(target, 0), order), fresh);
        var expected = model.Step(RnnModelKit.Rows(RnnModelKit.Column(target, 1), order), fresh);

        Assert.True(RnnModelKit.MaxAbsDiff(expected, reordered) <= 1e-5f, preset);
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void PaddedSourceTokens_ChangeNothing(string preset)
    {
        var model = BuildEval(Tiny(preset));

        var withZeros = model.Forward(RnnModelKit.Source(padFill: 0), ModelTestKit.Mask, ModelTestKit.Target);
        var withSevens = model.Forward(RnnModelKit.Source(padFill: 7), ModelTestKit.Mask, ModelTestKit.Target);

        Assert.Equal(withZeros.ToArray(), withSevens.ToArray());
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void LastAttention_RowsSumToOne_AndSkipPadding_WhereThereIsAttention(string preset)
    {
        var config = Tiny(preset);
        var model = BuildEval(config);
        var state = model.StartDecoding(model.Encode(ModelTestKit.Source, ModelTestKit.Mask));
        model.Step(RnnModelKit.Column(ModelTestKit.Target, 0), state);
        bool attends = config.RnnDecoder is not { Attention: RnnAttentionKind.None };   // sutskever-lstm has none
        Assert.Equal(attends, state.LastAttention is not null);
        if (state.LastAttention is not { } weights) return;

        int srcLen = weights.Shape[^1];
        var values = weights.Contiguous().ToArray();          // (…, srcLen), leading axis batch
        int rowsPerExample = values.Length / srcLen / 3;
        for (int row = 0; row < values.Length / srcLen; row++)
        {
            var span = values.AsSpan(row * srcLen, srcLen);
            Assert.InRange(span.ToArray().Sum(), 1f - 1e-5f, 1f + 1e-5f);
            int length = RnnModelKit.SourceLengths[row / rowsPerExample];
            Assert.All(span[length..].ToArray(), w => Assert.Equal(0f, w));
        }
    }

    private const int MemoryVocabulary = 20, Pairs = 32, MaxSteps = 600;

    /// <summary>The acceptance: 32 random pairs (lengths 3..12, vocab 20) memorised to zero
    /// teacher-forced token errors within <see cref="MaxSteps"/> Adam steps.</summary>
    [Theory]
    [MemberData(nameof(Presets))]
    public void Memorises32RandomPairs_ToZeroTokenErrors(string preset)
    {
        var random = new Random(5);
        var sources = Enumerable.Range(0, Pairs).Select(_ => RandomSentence(random, 3, 12, MemoryVocabulary)).ToArray();
        var targets = Enumerable.Range(0, Pairs).Select(_ => RandomSentence(random, 3, 12, MemoryVocabulary)).ToArray();
        var (sourceIds, sourceMask) = PadSources(sources);
        var (targetInput, targetOutput) = TeacherForcing(targets);
        var config = Tiny(preset, MemoryVocabulary, width: 32);
        var model = ModelBuilder.Build(config);
        var adam = new Adam(model.Parameters(), learningRate: config.Family == ModelFamily.Rnn ? 0.01f : 0.003f);

        var clock = Stopwatch.StartNew();
        int errors = int.MaxValue, step = 0;
        while (step < MaxSteps && errors > 0)
        {
            adam.ZeroGrad();
            var logits = model.Forward(sourceIds, sourceMask, targetInput);   // (32, tgtLen, vocab)
            logits.CrossEntropy(targetOutput, ignoreIndex: Pad).Backward();
            adam.Step();
            step++;
            errors = TokenErrors(logits, targetOutput);
        }
        output.WriteLine($"{preset}: {step} Adam steps, {clock.Elapsed.TotalSeconds:F1} s, {errors} token errors");
        Assert.Equal(0, errors);
    }
}
