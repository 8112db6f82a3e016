using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;
using Xunit.Abstractions;

namespace EncDec.Tests.Models;

public class ModelBuilderTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ModelTestKit.PresetNames), MemberType = typeof(ModelTestKit))]
    public void EveryPreset_Builds_AndGivesLogitsOfShapeBatchByTargetLengthByVocabulary(string preset)
    {
        var config = ModelPresets.Get(preset, ModelTestKit.Vocabulary, ModelTestKit.Vocabulary + 2);
        var model = ModelBuilder.Build(config);
        model.Eval();

        var logits = model.Forward(ModelTestKit.Source, ModelTestKit.Mask, ModelTestKit.Target);

        Assert.Equal([3, 4, ModelTestKit.Vocabulary + 2], logits.Shape.ToArray());
        Assert.All(logits.ToArray(), v => Assert.True(float.IsFinite(v)));
        long count = model.ParameterCount();
        output.WriteLine($"{preset}: {count:N0} parameters at vocabulary {ModelTestKit.Vocabulary}/{ModelTestKit.Vocabulary + 2}");
        Assert.True(count > 0);
    }

    [Fact]
    public void PresetNames_AreUnique_AndEachResolves()
    {
        Assert.Equal(ModelPresets.Names.Count, ModelPresets.Names.Distinct().Count());
        Assert.All(ModelPresets.Names, name => ModelPresets.Get(name, 100, 100).Validate());
    }

    [Fact]
    public void UnknownPreset_ListsTheValidNames()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelPresets.Get("gpt-7", 10, 10));
        Assert.Contains("gpt-7", error.Message);
        Assert.All(ModelPresets.Names, name => Assert.Contains(name, error.Message));
    }

    [Fact]
    public void Build_ChildModules_AreNamedEncoderAndDecoder()
    {
        var model = ModelBuilder.Build(ModelTestKit.Tiny("transformer"));
        Assert.All(model.NamedParameters(), p => Assert.True(p.Name.StartsWith("encoder.") || p.Name.StartsWith("decoder."), p.Name));
        Assert.IsType<TransformerEncoder>(model.Encoder);
        Assert.IsType<TransformerDecoder>(model.Decoder);
    }

    [Fact]
    public void Build_SameConfig_GivesTheSameWeights_AndTheSeedChangesThem()
    {
        var config = ModelTestKit.Tiny("bahdanau-gru");
        var first = ModelBuilder.Build(config).Parameters().SelectMany(p => p.ToArray()).ToArray();
        var again = ModelBuilder.Build(config).Parameters().SelectMany(p => p.ToArray()).ToArray();
        var reseeded = ModelBuilder.Build(config with { Seed = 2 }).Parameters().SelectMany(p => p.ToArray()).ToArray();

        Assert.Equal(first, again);
        Assert.NotEqual(first, reseeded);
    }

    [Fact]
    public void InitFromEncoder_WithAnotherCellType_IsRejectedWithAClearMessage()
    {
        var config = ModelTestKit.Tiny("sutskever-lstm");
        var mixed = config with { RnnEncoder = config.RnnEncoder! with { CellType = RnnCellType.Gru } };

        var error = Assert.Throws<ArgumentException>(() => ModelBuilder.Build(mixed));
        Assert.Contains("cell type", error.Message);
    }

    [Fact]
    public void InitFromEncoder_WithAnotherLayerCount_IsRejectedWithAClearMessage()
    {
        var config = ModelTestKit.Tiny("luong-lstm");
        var mixed = config with { RnnEncoder = config.RnnEncoder! with { Layers = 3 } };

        var error = Assert.Throws<ArgumentException>(() => ModelBuilder.Build(mixed));
        Assert.Contains("layer count", error.Message);
    }

    [Theory]
    [InlineData("luong-lstm")]
    [InlineData("bahdanau-gru")]
    [InlineData("transformer-preln")]
    public void StepByStep_MatchesForward_ThroughTheModel(string preset)
    {
        var model = ModelBuilder.Build(ModelTestKit.Tiny(preset));
        model.Eval();
        var target = ModelTestKit.Target;
        var full = model.Forward(ModelTestKit.Source, ModelTestKit.Mask, target);   // (3, 4, vocab)

        var state = model.StartDecoding(model.Encode(ModelTestKit.Source, ModelTestKit.Mask));
        for (int t = 0; t < target.Shape[1]; t++)
        {
            var step = model.Step(RnnModelKit.Column(target, t), state);   // (3, vocab)
            var expected = full.Narrow(1, t, 1).Contiguous().Reshape(3, ModelTestKit.Vocabulary);
            Assert.True(RnnModelKit.MaxAbsDiff(expected, step) <= 1e-5f, $"{preset}: step {t} differs from Forward");
        }
        Assert.Equal(target.Shape[1], state.Length);
    }
}
