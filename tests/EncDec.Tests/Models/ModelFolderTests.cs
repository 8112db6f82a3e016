using EncDec.Models;
using EncDec.Tensors;

namespace EncDec.Tests.Models;

public sealed class ModelFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("encdec-modelfolder-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Folder => Path.Combine(_root, "model");

    [Theory]
    [InlineData("transformer")]
    [InlineData("bahdanau-lstm")]
    public void SaveThenLoad_GivesBitIdenticalLogits(string preset)
    {
        var config = ModelTestKit.Tiny(preset);
        var model = ModelBuilder.Build(config, new RandomGenerator(42));   // weights the config's seed would not give
        model.Eval();
        var expected = model.Forward(ModelTestKit.Source, ModelTestKit.Mask, ModelTestKit.Target).ToArray();

        ModelFolder.Save(model, config, Folder);
        var (loaded, loadedConfig) = ModelFolder.Load(Folder);

        Assert.Equal(config, loadedConfig);
        Assert.False(loaded.IsTraining);
        Assert.Equal(expected, loaded.Forward(ModelTestKit.Source, ModelTestKit.Mask, ModelTestKit.Target).ToArray());
    }

    [Fact]
    public void Save_OverAnExistingFolder_ReplacesIt_AndLeavesNoTemporarySiblings()
    {
        var config = ModelTestKit.Tiny("bahdanau-gru");
        ModelFolder.Save(ModelBuilder.Build(config), config, Folder);
        File.WriteAllText(Path.Combine(Folder, "stale.txt"), "from the old folder");
        var replacement = ModelBuilder.Build(config with { Seed = 5 });

        ModelFolder.Save(replacement, config with { Seed = 5 }, Folder);

        Assert.Equal(
            [ModelFolder.ConfigFileName, ModelFolder.WeightsFileName],
            Directory.GetFiles(Folder).Select(Path.GetFileName).Order());
        Assert.Equal([Folder], Directory.GetDirectories(_root));
        Assert.Equal(5ul, ModelFolder.Load(Folder).Config.Seed);
    }

    [Fact]
    public void CorruptWeights_ThrowInvalidDataException()
    {
        var config = ModelTestKit.Tiny("transformer");
        ModelFolder.Save(ModelBuilder.Build(config), config, Folder);
        string weights = Path.Combine(Folder, ModelFolder.WeightsFileName);
        var bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length / 2)]);   // truncated: the header promises more data

        Assert.Throws<InvalidDataException>(() => ModelFolder.Load(Folder));
    }

    [Fact]
    public void WeightsOfAnotherShape_ThrowInvalidDataException_ListingTheMismatches()
    {
        var config = ModelTestKit.Tiny("transformer");
        ModelFolder.Save(ModelBuilder.Build(config), config, Folder);
        var wider = config with { Transformer = config.Transformer! with { FfnDim = 48 } };
        wider.Save(Path.Combine(Folder, ModelFolder.ConfigFileName));

        var error = Assert.Throws<InvalidDataException>(() => ModelFolder.Load(Folder));
        Assert.Contains("shape mismatch", error.Message);
        Assert.Contains("nothing loaded", error.Message);
    }

    [Fact]
    public void MissingFolderOrFiles_ThrowErrorsNamingThem()
    {
        Assert.Contains(Folder, Assert.Throws<DirectoryNotFoundException>(() => ModelFolder.Load(Folder)).Message);

        var config = ModelTestKit.Tiny("sutskever-lstm");
        ModelFolder.Save(ModelBuilder.Build(config), config, Folder);
        File.Delete(Path.Combine(Folder, ModelFolder.WeightsFileName));
        Assert.Contains(ModelFolder.WeightsFileName, Assert.Throws<FileNotFoundException>(() => ModelFolder.Load(Folder)).Message);
        File.Delete(Path.Combine(Folder, ModelFolder.ConfigFileName));
        Assert.Contains(ModelFolder.ConfigFileName, Assert.Throws<FileNotFoundException>(() => ModelFolder.Load(Folder)).Message);
    }

    [Fact]
    public void Save_WithAConfigThatDoesNotDescribeTheModel_IsRejected_AndWritesNothing()
    {
        var config = ModelTestKit.Tiny("bahdanau-gru");
        var model = ModelBuilder.Build(config);

        Assert.Throws<ArgumentException>(() => ModelFolder.Save(model, ModelTestKit.Tiny("transformer"), Folder));
        Assert.Empty(Directory.GetFileSystemEntries(_root));
    }
}
