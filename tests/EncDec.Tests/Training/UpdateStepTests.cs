using EncDec.Data;
using EncDec.Models;
using EncDec.Tensors;
using EncDec.Tests.Models;
using EncDec.Training;
using EncDec.Training.Configuration;

namespace EncDec.Tests.Training;

/// <summary>One optimiser update: gradient accumulation, clipping and scheduled sampling.</summary>
public sealed class UpdateStepTests
{
    private static readonly SpecialIds Ids = new(Pad: 0, Start: 1, End: 2, Unknown: 3);

    private static Batch MakeBatch(params (int[] Source, int[] Target)[] pairs) =>
        Batch.Create([.. pairs.Select(p => new TokenizedPair(new SentencePair("", "", "test", 0), p.Source, p.Target))], Ids, 0);

    private static (EncoderDecoderModel Model, Tensor[] Parameters) Model()
    {
        var config = ModelTestKit.Tiny("transformer") with { Transformer = ModelTestKit.Tiny("transformer").Transformer! with { Dropout = 0f } };
        var model = ModelBuilder.Build(config);
        model.Train();
        return (model, [.. model.Parameters().Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>()]);
    }

    private static float[] Weights(Tensor[] parameters) => [.. parameters.SelectMany(p => p.ToArray())];

    [Fact]
    public void AccumulatingTwoBatches_EqualsOneBatchHoldingBoth()
    {
        (int[], int[]) a = ([4, 5, 6, 2], [7, 8]), b = ([5, 2], [9, 4, 6, 5]), c = ([6, 7, 2], [4]);
        var loop = new TrainingLoopConfig(MaxSteps: 1, LabelSmoothing: 0.1f, ClipNorm: 0);

        var (split, splitParameters) = Model();
        var splitStep = new UpdateStep(split, new Sgd(splitParameters, 0.5f), splitParameters, null, loop, Ids, new RandomGenerator(1));
        var splitResult = splitStep.Run([MakeBatch(a, b), MakeBatch(c)], step: 1);

        var (whole, wholeParameters) = Model();
        var wholeStep = new UpdateStep(whole, new Sgd(wholeParameters, 0.5f), wholeParameters, null, loop, Ids, new RandomGenerator(1));
        var wholeResult = wholeStep.Run([MakeBatch(a, b, c)], step: 1);

        Assert.Equal(wholeResult.TargetTokens, splitResult.TargetTokens);
        Assert.Equal(wholeResult.Loss, splitResult.Loss, 4);
        Assert.Equal(wholeResult.GradientNorm, splitResult.GradientNorm, 4);
        Assert.True(TransformerTestModel.MaxAbsDifference(Weights(splitParameters), Weights(wholeParameters)) < 1e-5f);
    }

    [Fact]
    public void Clipping_LimitsTheReportedNormsEffect_AndANonFiniteLossSkipsTheUpdate()
    {
        var (model, parameters) = Model();
        var before = Weights(parameters);
        var loop = new TrainingLoopConfig(MaxSteps: 1, ClipNorm: 1e-6);
        var result = new UpdateStep(model, new Sgd(parameters, 1f), parameters, null, loop, Ids, new RandomGenerator(1))
            .Run([MakeBatch(([4, 5, 2], [6, 7]))], step: 1);
        Assert.True(result.GradientNorm > 1e-6);
        float moved = TransformerTestModel.MaxAbsDifference(before, Weights(parameters));
        Assert.True(moved <= 1.01e-6f, $"moved {moved}");   // lr 1 × clipped norm 1e-6 bounds every coordinate's step

        foreach (var parameter in parameters) parameter.AsSpan().Fill(float.NaN);
        var skipped = new UpdateStep(model, new Sgd(parameters, 1f), parameters, null, loop, Ids, new RandomGenerator(1))
            .Run([MakeBatch(([4, 5, 2], [6, 7]))], step: 2);
        Assert.True(skipped.Skipped);
    }

    [Theory]
    [InlineData(ScheduledSamplingKind.Linear, 500, 0.125)]
    [InlineData(ScheduledSamplingKind.Linear, 5000, 0.25)]
    [InlineData(ScheduledSamplingKind.Exponential, 1000, 0.125)]
    [InlineData(ScheduledSamplingKind.InverseSigmoid, 0, 0.25 * (1 - 1000.0 / 1001))]
    [InlineData(ScheduledSamplingKind.None, 5000, 0)]
    public void ScheduledSamplingProbability_FollowsItsSchedule(ScheduledSamplingKind kind, long step, double expected)
    {
        var loop = new TrainingLoopConfig(MaxSteps: 1, ScheduledSampling: kind, ScheduledSamplingK: kind == ScheduledSamplingKind.InverseSigmoid ? 1000 : 1000, ScheduledSamplingMaxRate: 0.25);
        Assert.Equal(expected, ScheduledSampling.Probability(loop, step), 9);
    }

    [Fact]
    public void ScheduledSamplingMix_ReplacesOnlyRealPositionsAfterTheStart()
    {
        var (model, _) = Model();
        var batch = MakeBatch(([4, 5, 2], [6, 7, 8, 9]), ([5, 2], [6]));
        var always = ScheduledSampling.Mix(model, batch.SourceIds, batch.SourcePaddingMask, batch.TargetInput, Ids.Pad, 1.0, new RandomGenerator(1));
        var never = ScheduledSampling.Mix(model, batch.SourceIds, batch.SourcePaddingMask, batch.TargetInput, Ids.Pad, 0.0, new RandomGenerator(1));
        Assert.Equal(batch.TargetInput.AsSpan().ToArray(), never.AsSpan().ToArray());
        var mixed = always.AsSpan().ToArray();
        var original = batch.TargetInput.AsSpan().ToArray();
        int length = batch.TargetInput.Shape[1];
        for (int row = 0; row < 2; row++)
        {
            Assert.Equal(Ids.Start, mixed[row * length]);
            for (int t = 1; t < length; t++)
                if (original[row * length + t] == Ids.Pad) Assert.Equal(Ids.Pad, mixed[row * length + t]);
        }
    }
}
