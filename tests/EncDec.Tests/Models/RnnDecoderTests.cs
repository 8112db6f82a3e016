using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Tests.Models;

public class RnnDecoderTests
{
    private static EncoderOutput Encode(RnnEncoder encoder, int padFill = 0) =>
        encoder.Encode(RnnModelKit.Source(padFill), RnnModelKit.PaddingMask(5, RnnModelKit.SourceLengths));

    [Theory]
    [MemberData(nameof(RnnModelKit.Cases), MemberType = typeof(RnnModelKit))]
    public void Forward_GivesLogitsPerTargetPosition(string name)
    {
        var (encoder, decoder) = RnnModelKit.Build(name);
        var logits = decoder.Forward(RnnModelKit.Target(), Encode(encoder));
        Assert.Equal([3, 4, RnnModelKit.Vocabulary], logits.Shape.ToArray());
        Assert.All(logits.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [MemberData(nameof(RnnModelKit.Cases), MemberType = typeof(RnnModelKit))]
    public void StepByStep_EqualsForward_AtEveryPosition(string name)
    {
        var (encoder, decoder) = RnnModelKit.Build(name);
        var encoded = Encode(encoder);
        var target = RnnModelKit.Target();
        var forward = decoder.Forward(target, encoded).ToArray();   // (3, 4, vocab)
        var state = decoder.Start(encoded);
        int vocab = RnnModelKit.Vocabulary;
        for (int t = 0; t < 4; t++)
        {
            var step = decoder.Step(RnnModelKit.Column(target, t), state).ToArray();   // (3, vocab)
            Assert.Equal(t + 1, state.Length);
            for (int b = 0; b < 3; b++)
                for (int v = 0; v < vocab; v++)
                    Assert.True(MathF.Abs(step[b * vocab + v] - forward[(b * 4 + t) * vocab + v]) <= 1e-5f, $"{name}: b {b}, t {t}");
        }
    }

    [Theory]
    [MemberData(nameof(RnnModelKit.Cases), MemberType = typeof(RnnModelKit))]
    public void Reorder_WithRepeatedRows_ThenStepping_EqualsSteppingTheReorderedBatchFromScratch(string name)
    {
        var (encoder, decoder) = RnnModelKit.Build(name);
        var target = RnnModelKit.Target();
        int[] rows = [2, 0, 2, 1];
        var state = decoder.Start(Encode(encoder));
        for (int t = 0; t < 2; t++) decoder.Step(RnnModelKit.Column(target, t), state);
        state.Reorder(rows);
        Assert.Equal(4, state.BatchSize);

        var lengths = rows.Select(r => RnnModelKit.SourceLengths[r]).ToArray();
        var fresh = encoder.Encode(RnnModelKit.Rows(RnnModelKit.Source(), rows), RnnModelKit.PaddingMask(5, lengths));
        var freshState = decoder.Start(fresh);
        var reorderedTarget = RnnModelKit.Rows(target, rows);
        for (int t = 0; t < 2; t++) decoder.Step(RnnModelKit.Column(reorderedTarget, t), freshState);

        for (int t = 2; t < 4; t++)
        {
            var tokens = RnnModelKit.Column(reorderedTarget, t);
            var expected = decoder.Step(tokens, freshState);
            var actual = decoder.Step(tokens, state);
            Assert.True(RnnModelKit.MaxAbsDiff(expected, actual) <= 1e-5f, $"{name}: t {t}");
        }
    }

    [Theory]
    [MemberData(nameof(RnnModelKit.Cases), MemberType = typeof(RnnModelKit))]
    public void SourceTokensAtPaddedPositions_ChangeNoLogits(string name)
    {
        var (encoder, decoder) = RnnModelKit.Build(name);
        var target = RnnModelKit.Target();
        var withZeros = decoder.Forward(target, Encode(encoder, padFill: 0));
        var withOthers = decoder.Forward(target, Encode(encoder, padFill: 9));
        Assert.Equal(0f, RnnModelKit.MaxAbsDiff(withZeros, withOthers));
    }

    [Theory]
    [MemberData(nameof(RnnModelKit.Cases), MemberType = typeof(RnnModelKit))]
    public void AttentionRows_SumToOne_AndAreZeroAtPadding_OrAbsentWithoutAttention(string name)
    {
        var (encoder, decoder) = RnnModelKit.Build(name);
        var target = RnnModelKit.Target();
        var state = decoder.Start(Encode(encoder));
        for (int t = 0; t < 3; t++)
        {
            decoder.Step(RnnModelKit.Column(target, t), state);
            if (decoder.Config.Attention == RnnAttentionKind.None)
            {
                Assert.Null(state.LastAttention);
                continue;
            }
            Assert.Equal([3, 5], state.LastAttention!.Shape.ToArray());
            var weights = state.LastAttention.ToArray();
            for (int b = 0; b < 3; b++)
            {
                Assert.Equal(1f, weights.Skip(b * 5).Take(5).Sum(), 5);
                for (int j = RnnModelKit.SourceLengths[b]; j < 5; j++) Assert.Equal(0f, weights[b * 5 + j]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(RnnModelKit.Cases), MemberType = typeof(RnnModelKit))]
    public void Backward_ReachesEveryEncoderAndDecoderParameter(string name)
    {
        var (encoder, decoder) = RnnModelKit.Build(name);
        var logits = decoder.Forward(RnnModelKit.Target(), Encode(encoder));
        logits.CrossEntropy(RnnModelKit.Target()).Backward();
        foreach (var (parameterName, parameter) in encoder.NamedParameters().Concat(decoder.NamedParameters()))
            Assert.True(parameter.Grad is { } grad && grad.ToArray().Any(g => g != 0f), $"{name}: no gradient reaches {parameterName}");
    }

    [Fact]
    public void Dropout_IsActiveOnlyInTraining()
    {
        var rng = new RandomGenerator(4);
        var encoder = new RnnEncoder(new RnnEncoderConfig(RnnCellType.Lstm, 8, 8, 2, true, 0.3f, RnnModelKit.Vocabulary), rng);
        var decoder = new RnnDecoder(new RnnDecoderConfig(RnnCellType.Lstm, 8, 8, 2, 0.3f, RnnModelKit.Vocabulary,
            RnnAttentionKind.LuongGeneral), encoder.OutputDim, rng);
        Tensor Run() => decoder.Forward(RnnModelKit.Target(), Encode(encoder));
        var training = Run();
        encoder.Eval();
        decoder.Eval();
        var first = Run();
        Assert.Equal(0f, RnnModelKit.MaxAbsDiff(first, Run()));
        Assert.True(RnnModelKit.MaxAbsDiff(first, training) > 1e-4f);
    }

    [Fact]
    public void Parameters_HaveStructuredNames()
    {
        var (_, decoder) = RnnModelKit.Build("None-Lstm-Init");
        var names = decoder.NamedParameters().Select(p => p.Name).ToArray();
        Assert.Contains("cells.1.weight_hh", names);
        Assert.Contains("bridge.weight", names);
        Assert.Contains("output.weight", names);
    }

    [Fact]
    public void InitFromEncoder_RejectsAnEncoderWithADifferentNumberOfStates()
    {
        var rng = new RandomGenerator(1);
        var encoder = new RnnEncoder(new RnnEncoderConfig(RnnCellType.Gru, 8, 8, 1, false, 0f, RnnModelKit.Vocabulary), rng);
        var decoder = new RnnDecoder(new RnnDecoderConfig(RnnCellType.Lstm, 8, 8, 2, 0f, RnnModelKit.Vocabulary,
            RnnAttentionKind.None, InitFromEncoder: true), encoder.OutputDim, rng);
        var encoded = Encode(encoder);
        Assert.Throws<ArgumentException>(() => decoder.Start(encoded));
    }

    [Fact]
    public void LuongDot_NeedsMemoryWidthEqualToHiddenSize()
    {
        var config = new RnnDecoderConfig(HiddenSize: 8, Attention: RnnAttentionKind.LuongDot);
        Assert.Throws<ArgumentException>(() => config.Validate(memoryDim: 16));
        config.Validate(memoryDim: 8);
    }
}
