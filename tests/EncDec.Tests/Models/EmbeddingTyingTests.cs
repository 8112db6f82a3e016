using EncDec.Models;
using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Tests.Models;

public sealed class EmbeddingTyingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("encdec-tying-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The (vocab, emb) token table registered under <paramref name="stack"/>, or null.</summary>
    private static Tensor? Table(EncoderDecoderModel model, string stack) => model.NamedParameters()
        .Where(p => p.Name == $"{stack}.embed_tokens.weight" || p.Name == $"{stack}.embedding.weight")
        .Select(p => p.Parameter).SingleOrDefault();

    private static ModelConfig Tied(string preset) => ModelTestKit.Tiny(preset) with { TieSourceTargetEmbeddings = true };

    [Theory]
    [InlineData("transformer")]
    [InlineData("bahdanau-gru")]
    public void TiedModel_ListsTheSharedTableOnce_AndCountsItOnce(string preset)
    {
        var untied = ModelBuilder.Build(ModelTestKit.Tiny(preset));
        var tied = ModelBuilder.Build(Tied(preset));
        var table = Table(tied, "encoder");

        Assert.Equal(untied.ParameterCount() - table!.Count, tied.ParameterCount());
        Assert.Equal(tied.Parameters().Count(), tied.Parameters().Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.Null(Table(tied, "decoder"));
        Assert.NotNull(Table(untied, "decoder"));
    }

    [Theory]
    [InlineData("transformer")]
    [InlineData("bahdanau-lstm")]
    public void TiedTable_ReceivesGradientFromBothSides(string preset)
    {
        var model = ModelBuilder.Build(Tied(preset));
        var table = Table(model, "encoder")!;
        // A source-only id (4 is absent from the target) and a target-only id both get gradient rows.
        var source = new IntTensor([1, 2, 4], 1, 3);
        var target = new IntTensor([1, 3], 1, 2);
        var loss = model.Forward(source, Tensor.Zeros([1, 3]), target).Sum();
        loss.Backward();

        var grad = table.Grad!.ToArray();
        int dim = table.Shape[1];
        Assert.Contains(grad.Skip(4 * dim).Take(dim), g => g != 0f);
        Assert.Contains(grad.Skip(3 * dim).Take(dim), g => g != 0f);
    }

    [Theory]
    [InlineData("transformer")]
    [InlineData("luong-lstm")]
    public void SaveThenLoad_KeepsTheTablesTied_AndLogitsBitIdentical(string preset)
    {
        var config = Tied(preset);
        var model = ModelBuilder.Build(config, new RandomGenerator(42));
        model.Eval();
        var expected = model.Forward(ModelTestKit.Source, ModelTestKit.Mask, ModelTestKit.Target).ToArray();
        string folder = Path.Combine(_root, "model");

        ModelFolder.Save(model, config, folder);
        var (loaded, loadedConfig) = ModelFolder.Load(folder);

        Assert.True(loadedConfig.TieSourceTargetEmbeddings);
        Assert.Equal(expected, loaded.Forward(ModelTestKit.Source, ModelTestKit.Mask, ModelTestKit.Target).ToArray());
        Assert.Equal(model.ParameterCount(), loaded.ParameterCount());
    }

    [Fact]
    public void Validate_RejectsTyingUnequalVocabularies()
    {
        var config = ModelTestKit.Tiny("transformer").WithVocabularies(10, 12) with { TieSourceTargetEmbeddings = true };

        var error = Assert.Throws<ArgumentException>(config.Validate);
        Assert.Contains("TieSourceTargetEmbeddings", error.Message);
    }

    [Fact]
    public void Validate_RejectsTyingUnequalRnnEmbeddingWidths()
    {
        var config = Tied("bahdanau-gru");
        config = config with { RnnDecoder = config.RnnDecoder! with { EmbeddingDim = 12 } };

        var error = Assert.Throws<ArgumentException>(config.Validate);
        Assert.Contains("EmbeddingDim", error.Message);
    }

    [Fact]
    public void OldJsonWithoutTheField_LoadsUntied()
    {
        string path = Path.Combine(_root, "config.json");
        ModelTestKit.Tiny("bahdanau-gru").Save(path);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.True(json.Remove("tieSourceTargetEmbeddings"));
        File.WriteAllText(path, json.ToJsonString());

        Assert.Equal(ModelTestKit.Tiny("bahdanau-gru"), ModelConfig.Load(path));
    }
}
