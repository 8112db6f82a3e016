using EncDec.Models;
using EncDec.Nn;
using EncDec.Tensors;
using EncDec.Tests.Autograd;

namespace EncDec.Tests.Models;

/// <summary>Configuration, shapes, names and gradients of the Transformer encoder and decoder.</summary>
public class TransformerTests
{
    private static readonly int[][] Sources = [[3, 4, 5], [6, 7]];
    private static readonly int[][] Targets = [[1, 8, 9], [1, 10, 2]];

    [Fact]
    public void Validate_RejectsDModelNotDivisibleByHeads()
    {
        var error = Assert.Throws<ArgumentException>(() => new TransformerConfig(10, 10, DModel: 10, Heads: 3).Validate());
        Assert.Contains("divisible", error.Message);
    }

    [Theory]
    [InlineData(0, 10, 16, 32, 1)]
    [InlineData(10, 0, 16, 32, 1)]
    [InlineData(10, 10, 16, 0, 1)]
    [InlineData(10, 10, 16, 32, 0)]
    public void Validate_RejectsNonPositiveSizes(int source, int target, int dModel, int ffn, int layers)
    {
        var config = new TransformerConfig(source, target, DModel: dModel, Heads: 2, FfnDim: ffn, EncoderLayers: layers);
        Assert.Throws<ArgumentException>(config.Validate);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EncodeAndForward_HaveDocumentedShapes(bool preNorm)
    {
        var model = new TransformerTestModel(preNorm);
        var encoded = model.Encode(Sources);
        Assert.Equal([2, 3, 16], encoded.Memory.Shape.ToArray());
        Assert.Equal(16, model.Encoder.OutputDim);
        Assert.Equal(0f, encoded.Memory[1, 2, 5]);   // padding is zeroed in the memory
        var logits = model.Decoder.Forward(TransformerTestModel.Ids(Targets), encoded);
        Assert.Equal([2, 3, TransformerTestModel.Vocabulary], logits.Shape.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Parameters_HaveFairseqNames_AndFinalNormOnlyForPreNorm(bool preNorm)
    {
        var model = new TransformerTestModel(preNorm);
        var encoderNames = model.Encoder.NamedParameters().Select(p => p.Name).ToHashSet();
        var decoderNames = model.Decoder.NamedParameters().Select(p => p.Name).ToHashSet();
        Assert.Contains("embed_tokens.weight", encoderNames);
        Assert.Contains("layers.1.self_attn.q_proj.weight", encoderNames);
        Assert.Contains("layers.0.ffn.fc1.weight", encoderNames);
        Assert.Contains("layers.1.final_layer_norm.bias", encoderNames);
        Assert.Contains("layers.0.encoder_attn.k_proj.weight", decoderNames);
        Assert.Contains("layers.1.encoder_attn_layer_norm.weight", decoderNames);
        Assert.Contains("output_projection.weight", decoderNames);
        Assert.Equal(preNorm, encoderNames.Contains("layer_norm.weight"));
        Assert.Equal(preNorm, decoderNames.Contains("layer_norm.weight"));
    }

    [Fact]
    public void TiedOutput_ReusesTheEmbeddingTable()
    {
        var untied = new TransformerTestModel(preNorm: false);
        var tied = new TransformerTestModel(preNorm: false, tied: true);
        Assert.DoesNotContain(tied.Decoder.NamedParameters(), p => p.Name == "output_projection.weight");
        Assert.Equal(untied.Decoder.ParameterCount() - 16 * TransformerTestModel.Vocabulary, tied.Decoder.ParameterCount());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gradients_MatchFiniteDifferences_ForSelectedParameters(bool preNorm)
    {
        // GELU, not ReLU: a finite difference across ReLU's kink is meaningless, and with ~100 hidden
        // pre-activations some always lie within epsilon of zero.
        var model = new TransformerTestModel(preNorm, activation: FeedForwardActivation.Gelu);
        string[] encoderNames = ["layers.0.self_attn.v_proj.bias", "layers.1.ffn.fc1.bias"];
        string[] decoderNames = ["layers.0.self_attn.q_proj.bias", "layers.1.encoder_attn.k_proj.bias",
            "layers.0.self_attn_layer_norm.weight", "output_projection.weight"];
        var selected = encoderNames.Select(n => Find(model.Encoder, n))
            .Concat(decoderNames.Select(n => Find(model.Decoder, n))).ToArray();
        var sourceIds = TransformerTestModel.Ids(Sources);
        var mask = TransformerTestModel.PaddingMask(Sources);
        var targets = TransformerTestModel.Ids(Targets);

        GradientCheck.Verify(_ => model.Decoder.Forward(targets, model.Encoder.Encode(sourceIds, mask)), selected);
    }

    [Fact]
    public void Dropout_IsActiveInTraining_AndTheIdentityInEval()
    {
        var config = new TransformerConfig(TransformerTestModel.Vocabulary, TransformerTestModel.Vocabulary, DModel: 16,
            Heads: 2, FfnDim: 32, EncoderLayers: 1, DecoderLayers: 1, Dropout: 0.3f, MaxLength: 16);
        var encoder = new TransformerEncoder(config, new RandomGenerator(1));
        var sourceIds = TransformerTestModel.Ids(Sources);
        var mask = TransformerTestModel.PaddingMask(Sources);

        var first = encoder.Encode(sourceIds, mask).Memory.ToArray();
        var second = encoder.Encode(sourceIds, mask).Memory.ToArray();
        Assert.True(TransformerTestModel.MaxAbsDifference(first, second) > 1e-3f);
        encoder.Eval();
        Assert.Equal(encoder.Encode(sourceIds, mask).Memory.ToArray(), encoder.Encode(sourceIds, mask).Memory.ToArray());
    }

    private static Tensor Find(Module module, string name) =>
        module.NamedParameters().Single(p => p.Name == name).Parameter;
}
