using EncDec.Interop.CTranslate2;
using EncDec.Models;
using EncDec.Tensors;

namespace EncDec.Tests.Interop.CTranslate2;

/// <summary>Loading synthetic CTranslate2 folders: every parameter is filled from the right rows of the right
/// variable, and every mismatch between the variables and the inferred Transformer is reported by name.</summary>
public sealed class CTranslate2ModelReaderTests
{
    private static TranslationModel Load(CTranslate2TestWriter writer, int version = 2, string spec = "TransformerBase")
    {
        using var folder = new CTranslate2TestFolder(writer.ToBytes(version, spec));
        return CTranslate2ModelReader.Load(folder.Path);
    }

    private static InvalidDataException LoadFails(CTranslate2TestWriter writer)
    {
        using var folder = new CTranslate2TestFolder(writer.ToBytes());
        var error = Assert.Throws<InvalidDataException>(() => CTranslate2ModelReader.Load(folder.Path));
        Assert.Contains(folder.Path, error.Message);
        return error;
    }

    private static float[] Parameter(TranslationModel translator, string name) =>
        translator.Model.NamedParameters().Single(p => p.Name == name).Parameter.ToArray();

    private static float[] Rows(float[] values, int columns, int first, int count) => values[(first * columns)..((first + count) * columns)];

    [Fact]
    public void Load_SplitsFusedProjectionsByRowBlocks_QThenKThenV()
    {
        var writer = CTranslate2TestWriter.TinyTransformer(seed: 1);
        var translator = Load(writer);
        var qkv = writer.Values["decoder/layer_0/self_attention/linear_0/weight"];          // (24, 8)
        Assert.Equal(Rows(qkv, 8, 0, 8), Parameter(translator, "decoder.layers.0.self_attn.q_proj.weight"));
        Assert.Equal(Rows(qkv, 8, 8, 8), Parameter(translator, "decoder.layers.0.self_attn.k_proj.weight"));
        Assert.Equal(Rows(qkv, 8, 16, 8), Parameter(translator, "decoder.layers.0.self_attn.v_proj.weight"));
        var kvBias = writer.Values["decoder/layer_0/attention/linear_1/bias"];               // (16)
        Assert.Equal(kvBias[..8], Parameter(translator, "decoder.layers.0.encoder_attn.k_proj.bias"));
        Assert.Equal(kvBias[8..], Parameter(translator, "decoder.layers.0.encoder_attn.v_proj.bias"));
        Assert.Equal(writer.Values["decoder/layer_0/attention/linear_0/weight"], Parameter(translator, "decoder.layers.0.encoder_attn.q_proj.weight"));
        Assert.Equal(writer.Values["encoder/layer_0/ffn/layer_norm/gamma"], Parameter(translator, "encoder.layers.0.final_layer_norm.weight"));
        Assert.Equal(writer.Values["decoder/projection/bias"], Parameter(translator, "decoder.final_logits_bias"));
        Assert.Equal(writer.Values["decoder/projection/weight"], Parameter(translator, "decoder.output_projection.weight"));
    }

    [Fact]
    public void Load_FillsEveryParameter_WithEveryStoredValueExactlyOnce()
    {
        var writer = CTranslate2TestWriter.TinyTransformer(seed: 2, layers: 2);
        var translator = Load(writer);
        var initial = ModelBuilder.Build(translator.Config);   // the same seeded weights before the copy
        var before = initial.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.ToArray());
        foreach (var (name, parameter) in translator.Model.NamedParameters())
            Assert.False(before[name].SequenceEqual(parameter.ToArray()), $"parameter '{name}' still holds its initial values");
        Assert.Equal(writer.Values.Values.Sum(v => (long)v.Length), translator.Model.ParameterCount());
        var stored = writer.Values.Values.SelectMany(v => v).Order();
        var loaded = translator.Model.Parameters().SelectMany(p => p.ToArray()).Order();
        Assert.Equal(stored, loaded);
    }

    [Fact]
    public void Load_TinyModel_InfersTheArchitecture()
    {
        var config = Load(CTranslate2TestWriter.TinyTransformer(seed: 3, layers: 2)).Config.Transformer!;
        Assert.Equal((6, 7, 8, 8, 16, 2, 2), (config.SourceVocabulary, config.TargetVocabulary, config.DModel, config.Heads,
            config.FfnDim, config.EncoderLayers, config.DecoderLayers));
        Assert.True(config.PreNorm && config.FinalLogitsBias && config.ScaleEmbeddings);
    }

    [Fact]
    public void Load_InferredConfig_RoundTripsThroughConfigJson()
    {
        var config = Load(CTranslate2TestWriter.TinyTransformer(seed: 12)).Config;
        string path = Path.Combine(Path.GetTempPath(), $"encdec-ct2-config-{Guid.NewGuid():N}.json");
        try
        {
            config.Save(path);
            Assert.Contains("SinusoidalOpenNmt", File.ReadAllText(path));
            Assert.Equal(config, ModelConfig.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_Version6_ReadsNumHeadsAndTiesTheProjectionThroughAnAlias()
    {
        var writer = CTranslate2TestWriter.TinyTransformer(seed: 4);
        writer.Remove("decoder/projection/weight");
        writer.Alias("decoder/projection/weight", "decoder/embeddings/weight")
            .AddScalar("encoder/num_heads", 2).AddScalar("decoder/num_heads", 2)
            .AddScalar("encoder/pre_norm", 1, CTranslate2DataType.Int8)
            .AddScalar("decoder/pre_norm", 1, CTranslate2DataType.Int8);
        var translator = Load(writer, version: 6, spec: "TransformerSpec");
        var config = translator.Config.Transformer!;
        Assert.Equal(2, config.Heads);
        Assert.True(config.TieOutputToEmbedding);
        Assert.DoesNotContain(translator.Model.NamedParameters(), p => p.Name == "decoder.output_projection.weight");
        Assert.Equal(writer.Values["decoder/embeddings/weight"], Parameter(translator, "decoder.embed_tokens.weight"));
    }

    [Fact]
    public void Load_WrongShape_NamesTheCTranslate2VariableAndOurParameter()
    {
        var writer = CTranslate2TestWriter.TinyTransformer(seed: 5);
        writer.Reshape("decoder/layer_0/ffn/linear_1/weight", [8, 15], new Random(0));
        var error = LoadFails(writer);
        Assert.Contains("shape mismatch: CTranslate2 variable 'decoder/layer_0/ffn/linear_1/weight' (8, 15) vs parameter 'decoder.layers.0.ffn.fc2.weight' (8, 16)", error.Message);
    }

    [Fact]
    public void Load_FusedProjectionOfWrongHeight_NamesTheRowBlock()
    {
        var writer = CTranslate2TestWriter.TinyTransformer(seed: 6);
        writer.Reshape("encoder/layer_0/self_attention/linear_0/weight", [27, 8], new Random(0));
        var error = LoadFails(writer);
        Assert.Contains("'encoder/layer_0/self_attention/linear_0/weight' (27, 8) (row block 1 of 3: (9, 8)) vs parameter 'encoder.layers.0.self_attn.q_proj.weight' (8, 8)", error.Message);
    }

    [Fact]
    public void Load_MissingAndUnusedVariables_AreAllReportedTogether()
    {
        var writer = CTranslate2TestWriter.TinyTransformer(seed: 7);
        writer.Remove("decoder/layer_0/attention/linear_2/bias");
        writer.Add("decoder/layer_0/ffn/linear_0_noact/weight", [16, 8], new float[128]);
        var error = LoadFails(writer);
        Assert.Contains("missing CTranslate2 variable 'decoder/layer_0/attention/linear_2/bias' for parameter 'decoder.layers.0.encoder_attn.out_proj.bias' (8,)", error.Message);
        Assert.Contains("CTranslate2 variable 'decoder/layer_0/ffn/linear_0_noact/weight' (16, 8) is not used", error.Message);
        Assert.Contains("2 problem(s)", error.Message);
    }

    [Fact]
    public void Load_VocabularyOfTheWrongSize_NamesTheFile()
    {
        using var folder = new CTranslate2TestFolder(CTranslate2TestWriter.TinyTransformer(seed: 8).ToBytes(), targetTokens: 7);
        var error = Assert.Throws<InvalidDataException>(() => CTranslate2ModelReader.Load(folder.Path));
        Assert.Contains("target_vocabulary.txt' holds 8 tokens (with the unknown token) but 'decoder/embeddings/weight' has 7 rows", error.Message);
    }

    [Fact]
    public void Load_NotATransformerSpec_IsRejected()
    {
        using var folder = new CTranslate2TestFolder(CTranslate2TestWriter.TinyTransformer(seed: 9).ToBytes(6, "WhisperSpec"));
        var error = Assert.Throws<InvalidDataException>(() => CTranslate2ModelReader.Load(folder.Path));
        Assert.Contains("spec 'WhisperSpec' is not a Transformer encoder-decoder", error.Message);
    }

    [Fact]
    public void Load_ConfigJson_SetsSourceEndAndStartToken()
    {
        using var folder = new CTranslate2TestFolder(CTranslate2TestWriter.TinyTransformer(seed: 10).ToBytes());
        File.WriteAllText(Path.Combine(folder.Path, "config.json"), "{\"add_source_eos\": true, \"decoder_start_token\": \"</s>\", \"layer_norm_epsilon\": null}");
        var translator = CTranslate2ModelReader.Load(folder.Path);
        Assert.True(translator.AppendSourceEnd);
        Assert.Equal(new SpecialIds(Pad: 0, Start: 2, End: 2, Unknown: 6), translator.Ids);
    }

    [Fact]
    public void Load_DecodesDeterministically_AndStepEqualsTeacherForcing()
    {
        var translator = Load(CTranslate2TestWriter.TinyTransformer(seed: 11, layers: 2));
        using var noGrad = EncDec.Autograd.GradMode.Disable();
        var source = new IntTensor([3, 4, 5], 1, 3);
        var mask = Tensor.Zeros(1, 3);
        var full = translator.Model.Forward(source, mask, new IntTensor([1, 3, 4], 1, 3));       // (1, 3, 7)
        var state = translator.Model.StartDecoding(translator.Model.Encode(source, mask));
        int[] fed = [1, 3, 4];
        for (int t = 0; t < fed.Length; t++)
        {
            var step = translator.Model.Step(new IntTensor([fed[t]], 1), state);                   // (1, 7)
            for (int v = 0; v < 7; v++) Assert.Equal(full[0, t, v], step[0, v], 4);
        }
    }
}
