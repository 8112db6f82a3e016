using System.Text.Json.Nodes;
using EncDec.Models;

namespace EncDec.Tests.Models;

public sealed class ModelConfigTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("encdec-modelconfig-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    [Theory]
    [MemberData(nameof(ModelTestKit.PresetNames), MemberType = typeof(ModelTestKit))]
    public void SaveThenLoad_GivesAnEqualRecord(string preset)
    {
        var config = ModelPresets.Get(preset, 1234, 567) with { Seed = 99 };
        config.Save(PathOf("config.json"));

        Assert.Equal(config, ModelConfig.Load(PathOf("config.json")));
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Fact]
    public void SavedJson_IsIndentedCamelCase_WithEnumsAsNames_AndNoComputedFields()
    {
        ModelPresets.Get("bahdanau-gru", 10, 10).Save(PathOf("config.json"));
        string json = File.ReadAllText(PathOf("config.json"));

        Assert.Contains("\"family\": \"Rnn\"", json);
        Assert.Contains("\"cellType\": \"Gru\"", json);
        Assert.Contains("\"attention\": \"Bahdanau\"", json);
        Assert.Contains("\"transformer\": null", json);
        Assert.DoesNotContain("outputDim", json);
        Assert.DoesNotContain("isLuong", json);
    }

    [Fact]
    public void InvalidJson_ThrowsInvalidDataException_NamingTheFile()
    {
        File.WriteAllText(PathOf("config.json"), "{ \"family\": ");
        var error = Assert.Throws<InvalidDataException>(() => ModelConfig.Load(PathOf("config.json")));
        Assert.Contains(PathOf("config.json"), error.Message);
    }

    [Fact]
    public void UnknownNestedField_ThrowsInvalidDataException_NamingTheField()
    {
        var json = SavedPreset("transformer");
        json["transformer"]!["dModle"] = 256;
        var error = LoadFails(json);
        Assert.Contains("transformer.dModle", error.Message);
        Assert.Contains(PathOf("config.json"), error.Message);
    }

    [Fact]
    public void MissingField_ThrowsInvalidDataException_NamingTheField()
    {
        var json = SavedPreset("transformer");
        json["transformer"]!.AsObject().Remove("heads");
        Assert.Contains("transformer.heads", LoadFails(json).Message);
    }

    [Fact]
    public void MissingTopLevelField_ThrowsInvalidDataException_NamingTheField()
    {
        var json = SavedPreset("luong-lstm");
        json.Remove("seed");
        Assert.Contains("'seed'", LoadFails(json).Message);
    }

    [Fact]
    public void UnknownEnumName_ThrowsInvalidDataException_NamingTheField()
    {
        var json = SavedPreset("luong-lstm");
        json["rnnDecoder"]!["cellType"] = "Transformer";
        Assert.Contains("rnnDecoder.cellType", LoadFails(json).Message);
    }

    [Fact]
    public void WrongTypedValue_ThrowsInvalidDataException_NamingTheField()
    {
        var json = SavedPreset("transformer");
        json["transformer"]!["dModel"] = "big";
        Assert.Contains("transformer.dModel", LoadFails(json).Message);
    }

    [Fact]
    public void DuplicateField_ThrowsInvalidDataException_NamingTheField()
    {
        ModelPresets.Get("transformer", 10, 12).Save(PathOf("config.json"));
        string json = File.ReadAllText(PathOf("config.json")).Replace("\"seed\": 1", "\"seed\": 1, \"seed\": 2");
        File.WriteAllText(PathOf("config.json"), json);

        var error = Assert.Throws<InvalidDataException>(() => ModelConfig.Load(PathOf("config.json")));
        Assert.Contains("seed", error.Message);
    }

    [Fact]
    public void InconsistentConfig_ThrowsInvalidDataException_WithTheValidationMessage()
    {
        var json = SavedPreset("transformer");
        json["targetVocabulary"] = 11;
        Assert.Contains("TargetVocabulary", LoadFails(json).Message);
    }

    [Fact]
    public void Validate_RejectsASubConfigurationThatDoesNotMatchTheFamily()
    {
        var transformer = ModelPresets.Get("transformer", 10, 10);
        var rnn = ModelPresets.Get("bahdanau-lstm", 10, 10);

        Assert.Throws<ArgumentException>(() => (transformer with { Family = ModelFamily.Rnn }).Validate());
        Assert.Throws<ArgumentException>(() => (transformer with { RnnEncoder = rnn.RnnEncoder }).Validate());
        Assert.Throws<ArgumentException>(() => (rnn with { RnnDecoder = null }).Validate());
    }

    [Fact]
    public void WithVocabularies_ChangesEveryCopy()
    {
        var config = ModelPresets.Get("transformer", 10, 20).WithVocabularies(30, 40);
        config.Validate();
        Assert.Equal((30, 40), (config.Transformer!.SourceVocabulary, config.Transformer.TargetVocabulary));
    }

    private JsonObject SavedPreset(string preset)
    {
        ModelPresets.Get(preset, 10, 12).Save(PathOf("config.json"));
        return JsonNode.Parse(File.ReadAllText(PathOf("config.json")))!.AsObject();
    }

    private InvalidDataException LoadFails(JsonObject json)
    {
        File.WriteAllText(PathOf("config.json"), json.ToJsonString());
        return Assert.Throws<InvalidDataException>(() => ModelConfig.Load(PathOf("config.json")));
    }
}
