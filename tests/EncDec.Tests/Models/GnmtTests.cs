using System.Text.Json.Nodes;
using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;
using EncDec.Training;
using static EncDec.Tests.Models.MemorisationData;

namespace EncDec.Tests.Models;

/// <summary>
/// The GNMT options (Wu et al. 2016) on the recurrent encoder and decoder: a bidirectional bottom encoder layer,
/// residual connections from a given layer, attention queried by the bottom decoder layer and fed to the others.
/// </summary>
public sealed class GnmtTests : IDisposable
{
    private const int Vocabulary = RnnModelKit.Vocabulary;
    private readonly string _folder = Directory.CreateTempSubdirectory("encdec-gnmt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Tiny GNMT: 4+4 layers, hidden 8, residuals from layer <paramref name="residualFrom"/>, no dropout.</summary>
    private static (RnnEncoder Encoder, RnnDecoder Decoder) Build(int residualFrom = 2, int vocabulary = Vocabulary,
        RnnCellType cell = RnnCellType.Lstm, ulong seed = 3)
    {
        var rng = new RandomGenerator(seed);
        var encoder = new RnnEncoder(new RnnEncoderConfig(cell, 8, 8, 4, true, 0f, vocabulary,
            BidirectionalBottomLayerOnly: true, ResidualFromLayer: residualFrom), rng);
        var decoder = new RnnDecoder(new RnnDecoderConfig(cell, 8, 8, 4, 0f, vocabulary, RnnAttentionKind.Bahdanau,
            InputFeeding: false, InitFromEncoder: false, ResidualFromLayer: residualFrom, AttentionFromBottomLayer: true),
            encoder.OutputDim, rng);
        encoder.Eval();
        decoder.Eval();
        return (encoder, decoder);
    }

    private static Tensor Mask => RnnModelKit.PaddingMask(5, RnnModelKit.SourceLengths);

    [Theory]
    [InlineData(RnnCellType.Lstm)]
    [InlineData(RnnCellType.Gru)]
    public void Encoder_MemoryIsTheUnidirectionalTopLayer_AndTheBottomFinalStateHasBothDirections(RnnCellType cell)
    {
        var (encoder, _) = Build(cell: cell);
        var encoded = encoder.Encode(RnnModelKit.Source(), Mask);
        Assert.Equal(8, encoder.OutputDim);
        Assert.Equal([3, 5, 8], encoded.Memory.Shape.ToArray());
        int perLayer = cell == RnnCellType.Lstm ? 2 : 1;
        Assert.Equal(4 * perLayer, encoded.FinalStates.Count);
        for (int i = 0; i < encoded.FinalStates.Count; i++)
            Assert.Equal(new[] { 3, i < perLayer ? 16 : 8 }, encoded.FinalStates[i].Shape.ToArray());
    }

    [Fact]
    public void Decoder_LogitsAre_BatchByLengthByVocabulary()
    {
        var (encoder, decoder) = Build();
        var logits = decoder.Forward(RnnModelKit.Target(), encoder.Encode(RnnModelKit.Source(), Mask));
        Assert.Equal([3, 4, Vocabulary], logits.Shape.ToArray());
    }

    [Fact]
    public void StepByStep_EqualsTeacherForcing()
    {
        var (encoder, decoder) = Build();
        var encoded = encoder.Encode(RnnModelKit.Source(), Mask);
        var target = RnnModelKit.Target();
        var forced = decoder.Forward(target, encoded);   // (3, 4, vocab)
        var state = decoder.Start(encoded);
        for (int t = 0; t < 4; t++)
        {
            var step = decoder.Step(RnnModelKit.Column(target, t), state);   // (3, vocab)
            Assert.True(RnnModelKit.MaxAbsDiff(step, forced.Narrow(1, t, 1).Reshape(3, Vocabulary)) <= 1e-5f);
        }
        Assert.Equal([3, 5], state.LastAttention!.Shape.ToArray());
    }

    [Fact]
    public void Reorder_MovesEveryRowOfTheState()
    {
        var (encoder, decoder) = Build();
        var encoded = encoder.Encode(RnnModelKit.Source(), Mask);
        var target = RnnModelKit.Target();
        int[] order = [2, 0, 0];
        var state = decoder.Start(encoded);
        decoder.Step(RnnModelKit.Column(target, 0), state);
        state.Reorder(order);
        var reordered = decoder.Step(RnnModelKit.Column(RnnModelKit.Rows(target, order), 1), state);

        var expected = decoder.Forward(RnnModelKit.Rows(target, order), encoder.Encode(RnnModelKit.Rows(RnnModelKit.Source(), order),
            RnnModelKit.PaddingMask(5, 1, 5, 5)));
        Assert.True(RnnModelKit.MaxAbsDiff(reordered, expected.Narrow(1, 1, 1).Reshape(3, Vocabulary)) <= 1e-5f);
    }

    [Fact]
    public void PaddingContent_DoesNotChangeTheLogits()
    {
        var (encoder, decoder) = Build();
        var clean = decoder.Forward(RnnModelKit.Target(), encoder.Encode(RnnModelKit.Source(padFill: 0), Mask));
        var noisy = decoder.Forward(RnnModelKit.Target(), encoder.Encode(RnnModelKit.Source(padFill: 7), Mask));
        Assert.True(RnnModelKit.MaxAbsDiff(clean, noisy) <= 1e-6f);
    }

    [Fact]
    public void PerLayerStacks_AndAttentionFedToUpperLayers_ShowInTheParameters()
    {
        var (encoder, decoder) = Build();
        var names = encoder.NamedParameters().Select(p => p.Name).ToList();
        Assert.Contains(names, n => n.StartsWith("layers.3.", StringComparison.Ordinal));
        Assert.DoesNotContain(names, n => n.StartsWith("rnn.", StringComparison.Ordinal));
        // Upper decoder cells read [h below; context]: 8 + 8 inputs; the bottom one reads the embedding alone.
        var shapes = decoder.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Shape.ToArray());
        Assert.Equal([32, 8], shapes["cells.0.weight_ih"]);
        Assert.Equal([32, 16], shapes["cells.2.weight_ih"]);
    }

    [Fact]
    public void ResidualConnections_ChangeTheOutput_WithTheSameWeights()
    {
        // Same seed, same parameter shapes: only the residual wiring differs.
        var (encoder2, decoder2) = Build(residualFrom: 2);
        var (encoder3, decoder3) = Build(residualFrom: 3);
        var (encoderNone, decoderNone) = Build(residualFrom: 0);
        var memory2 = encoder2.Encode(RnnModelKit.Source(), Mask).Memory;
        var memory3 = encoder3.Encode(RnnModelKit.Source(), Mask).Memory;
        Assert.True(RnnModelKit.MaxAbsDiff(memory2, memory3) > 1e-3f);
        var logits3 = decoder3.Forward(RnnModelKit.Target(), encoder3.Encode(RnnModelKit.Source(), Mask));
        var logitsNone = decoderNone.Forward(RnnModelKit.Target(), encoderNone.Encode(RnnModelKit.Source(), Mask));
        Assert.True(RnnModelKit.MaxAbsDiff(logits3, logitsNone) > 1e-4f);
    }

    [Fact]
    public void DefaultOptions_KeepTheSingleStackEncoder()
    {
        var encoder = new RnnEncoder(new RnnEncoderConfig(RnnCellType.Lstm, 8, 8, 2, true, 0f, Vocabulary), new RandomGenerator(1));
        Assert.All(encoder.NamedParameters(), p => Assert.DoesNotContain("layers.", p.Name, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1)]    // layer 1 reads the 16-wide bidirectional bottom but outputs 8
    [InlineData(4)]    // no such layer
    [InlineData(-1)]
    public void ResidualFromLayer_OutsideTheValidRange_IsRejected(int residualFrom)
    {
        var config = new RnnEncoderConfig(RnnCellType.Lstm, 8, 8, 4, true, 0f, Vocabulary, BidirectionalBottomLayerOnly: true,
            ResidualFromLayer: residualFrom);
        Assert.Throws<ArgumentException>(config.Validate);
    }

    [Fact]
    public void Memorises16RandomPairs_ToZeroTokenErrors()
    {
        const int vocabulary = 12, pairs = 16, maxSteps = 400;
        var random = new Random(5);
        var sources = Enumerable.Range(0, pairs).Select(_ => RandomSentence(random, 3, 8, vocabulary)).ToArray();
        var targets = Enumerable.Range(0, pairs).Select(_ => RandomSentence(random, 3, 8, vocabulary)).ToArray();
        var (sourceIds, sourceMask) = PadSources(sources);
        var (targetInput, targetOutput) = TeacherForcing(targets);

        var rng = new RandomGenerator(11);
        var encoder = new RnnEncoder(new RnnEncoderConfig(RnnCellType.Lstm, 16, 32, 4, true, 0f, vocabulary,
            BidirectionalBottomLayerOnly: true, ResidualFromLayer: 2), rng);
        var decoder = new RnnDecoder(new RnnDecoderConfig(RnnCellType.Lstm, 16, 32, 4, 0f, vocabulary, RnnAttentionKind.Bahdanau,
            InputFeeding: false, ResidualFromLayer: 2, AttentionFromBottomLayer: true), encoder.OutputDim, rng);
        var adam = new Adam(encoder.Parameters().Concat(decoder.Parameters()), learningRate: 0.01f);
        int errors = int.MaxValue;
        for (int step = 0; step < maxSteps && errors > 0; step++)
        {
            adam.ZeroGrad();
            var logits = decoder.Forward(targetInput, encoder.Encode(sourceIds, sourceMask));   // (16, tgtLen, vocab)
            logits.CrossEntropy(targetOutput, ignoreIndex: Pad).Backward();
            adam.Step();
            errors = TokenErrors(logits, targetOutput);
        }
        Assert.Equal(0, errors);
    }

    [Fact]
    public void Preset_RoundTripsThroughJson()
    {
        var config = ModelPresets.Get("gnmt", 1234, 567) with { Seed = 7 };
        string path = Path.Combine(_folder, "gnmt.json");
        config.Save(path);
        Assert.Equal(config, ModelConfig.Load(path));
        Assert.True(config.RnnEncoder!.BidirectionalBottomLayerOnly);
        Assert.Equal(2, config.RnnDecoder!.ResidualFromLayer);
    }

    [Fact]
    public void ConfigJson_WrittenBeforeTheGnmtFields_LoadsWithTheirDefaults()
    {
        var config = ModelPresets.Get("bahdanau-lstm", 100, 100);
        string path = Path.Combine(_folder, "old.json");
        config.Save(path);
        var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.True(json["rnnEncoder"]!.AsObject().Remove("bidirectionalBottomLayerOnly"));
        Assert.True(json["rnnEncoder"]!.AsObject().Remove("residualFromLayer"));
        Assert.True(json["rnnDecoder"]!.AsObject().Remove("residualFromLayer"));
        Assert.True(json["rnnDecoder"]!.AsObject().Remove("attentionFromBottomLayer"));
        File.WriteAllText(path, json.ToJsonString());
        Assert.Equal(config, ModelConfig.Load(path));
    }

    [Fact]
    public void Preset_HasTheDocumentedParameterCount()
    {
        var model = ModelBuilder.Build(ModelPresets.Get("gnmt", 8000, 8000));
        Assert.Equal(GnmtParameters, model.ParameterCount());
    }

    /// <summary>The gnmt preset's size with 8000 source and 8000 target ids (as documented in ModelPresets).</summary>
    private const long GnmtParameters = 14_116_928;
}
