using EncDec.Interop.CTranslate2;

namespace EncDec.Tests.Interop.CTranslate2;

/// <summary>The model.bin reader: the real file's header and variables, every binary version, and every kind of
/// damage giving an InvalidDataException that names the file, the byte offset and the variable.</summary>
public sealed class CTranslate2ModelFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("encdec-ct2-file-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(byte[] bytes, string name = "model.bin")
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private InvalidDataException ReadFails(byte[] bytes)
    {
        string path = Write(bytes);
        var error = Assert.Throws<InvalidDataException>(() => CTranslate2ModelFile.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("byte ", error.Message);
        return error;
    }

    private static CTranslate2TestWriter TwoVariables() => new CTranslate2TestWriter()
        .Add("encoder/embeddings/weight", [2, 3], [1, 2, 3, 4, 5, 6])
        .Add("decoder/projection/bias", [2], [-1.5f, 0.25f]);

    [SharedDataFact("ctranslate2-aren-transliteration/model.bin")]
    public void Read_RealModel_ParsesHeaderAndEveryVariable()
    {
        var file = CTranslate2ModelFile.Read(SharedDataFactAttribute.Require("ctranslate2-aren-transliteration/model.bin"));
        Assert.Equal((2, "TransformerBase", 2), (file.BinaryVersion, file.SpecName, file.SpecRevision));
        Assert.Equal(200, file.Variables.Count);
        Assert.Empty(file.Aliases);
        Assert.All(file.Variables, v => Assert.Equal(CTranslate2DataType.Float32, v.DataType));
        var first = file.Variables[0];
        Assert.Equal("decoder/embeddings/weight", first.Name);
        Assert.Equal([43, 32], first.Shape);
        // 4 version + 2 + 16 spec name + 4 revision + 4 count + 2 + 26 name + 1 rank + 8 dims + 1 item size + 4 count.
        Assert.Equal(72, first.Offset);
        Assert.Equal(BitConverter.Int32BitsToSingle(0x3E1AFA70), first.ToFloats()[0]);
        Assert.Equal([96, 32], file.Get("decoder/layer_5/self_attention/linear_0/weight").Shape);
        Assert.Equal([64, 32], file.Get("decoder/layer_0/attention/linear_1/weight").Shape);
        Assert.Equal([51, 32], file.Get("encoder/embeddings/weight").Shape);
        Assert.Equal([43], file.Get("decoder/projection/bias").Shape);
        // Per decoder layer: self-attention 6 (norm, fused QKV, output), cross-attention 8, FFN 6; then embeddings,
        // final norm (2) and projection (2).
        Assert.Equal(20 * 6 + 1 + 2 + 2, file.Variables.Count(v => v.Name.StartsWith("decoder/", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Read_EveryVersion_GivesTheWrittenVariables(int version)
    {
        var file = CTranslate2ModelFile.Read(Write(TwoVariables().AddScalar("num_heads", 4, CTranslate2DataType.Int8).ToBytes(version, "TransformerSpec", 5)));
        Assert.Equal((version, "TransformerSpec", 5), (file.BinaryVersion, file.SpecName, file.SpecRevision));
        Assert.Equal(["encoder/embeddings/weight", "decoder/projection/bias", "num_heads"], file.Variables.Select(v => v.Name));
        Assert.Equal([1f, 2, 3, 4, 5, 6], file.Get("encoder/embeddings/weight").ToFloats());
        Assert.Equal([-1.5f, 0.25f], file.Get("decoder/projection/bias").ToFloats());
        Assert.Equal(4, file.Get("num_heads").ScalarValue());
        Assert.True(file.Get("num_heads").IsScalar);
    }

    [Fact]
    public void Read_Version6_ConvertsHalfAndBFloat16_AndDequantizesInt8ByRowScale()
    {
        byte[] half = [.. new[] { (Half)0.5f, (Half)(-2f) }.SelectMany(h => BitConverter.GetBytes(h))];
        byte[] bfloat = [.. new[] { 1.5f, -0.09375f }.SelectMany(f => BitConverter.GetBytes((ushort)(BitConverter.SingleToInt32Bits(f) >> 16)))];
        var writer = new CTranslate2TestWriter()
            .AddRaw("a", [2], CTranslate2DataType.Float16, half)
            .AddRaw("b", [2], CTranslate2DataType.BFloat16, bfloat)
            .AddRaw("w", [2, 2], CTranslate2DataType.Int8, [10, unchecked((byte)-20), 3, 6])
            .Add("w_scale", [2], [10f, 3f]);
        var file = CTranslate2ModelFile.Read(Write(writer.ToBytes(version: 6)));
        Assert.Equal([0.5f, -2f], file.Get("a").ToFloats());
        Assert.Equal([1.5f, -0.09375f], file.Get("b").ToFloats());
        Assert.Equal([1f, -2f, 1f, 2f], file.Get("w").ToFloats(file.Get("w_scale")));
        Assert.Equal([10f, -20f, 3f, 6f], file.Get("w").ToFloats());
    }

    [Fact]
    public void Find_Alias_GivesTheStoredVariable()
    {
        var file = CTranslate2ModelFile.Read(Write(TwoVariables().Alias("decoder/embeddings/weight", "encoder/embeddings/weight").ToBytes(version: 3)));
        Assert.Same(file.Get("encoder/embeddings/weight"), file.Find("decoder/embeddings/weight"));
        Assert.Null(file.Find("decoder/layer_norm/gamma"));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(7u)]
    [InlineData(0x4C454946u)]   // "FIEL": not a model.bin at all
    public void Read_UnsupportedVersion_NamesIt(uint version)
    {
        var bytes = TwoVariables().ToBytes();
        BitConverter.GetBytes(version).CopyTo(bytes, 0);
        var error = ReadFails(bytes);
        Assert.Contains($"binary version {version} is not supported", error.Message);
    }

    [Fact]
    public void Read_Truncated_AtEveryLength_IsRejected_NamingTheVariableInsideIt()
    {
        var whole = TwoVariables().ToBytes();
        for (int keep = 0; keep < whole.Length; keep++)
        {
            var error = ReadFails(whole[..keep]);
            Assert.True(error.Message.Contains("truncated") || error.Message.Contains("cannot fit"), error.Message);
            // From the second variable's name on, the message says which variable was being read.
            if (keep >= whole.Length - 8 - 4 - 1 - 4 - 1 - 2 - 24)
                Assert.Contains("variable 2 of 2", error.Message);
        }
    }

    [Fact]
    public void Read_TruncatedInsideData_NamesTheVariableAndTheOffset()
    {
        var whole = TwoVariables().ToBytes();
        var error = ReadFails(whole[..(whole.Length - 3)]);
        Assert.Contains("'decoder/projection/bias'", error.Message);
        Assert.Contains($"byte {whole.Length - 8}", error.Message);
    }

    [Fact]
    public void Read_UnknownDataTypeId_NamesItAndTheVariable()
    {
        var bytes = TwoVariables().ToBytes(version: 6);
        // The type byte of the first variable follows: 4 + (2 + 16) + 4 + 4, name 2 + 26, rank 1, dims 8.
        int at = 4 + 2 + 16 + 4 + 4 + 2 + 26 + 1 + 8;
        Assert.Equal(0, bytes[at]);
        bytes[at] = 9;
        var error = ReadFails(bytes);
        Assert.Contains("data type id 9 is not supported", error.Message);
        Assert.Contains("'encoder/embeddings/weight'", error.Message);
        Assert.Contains($"byte {at}", error.Message);
    }

    [Fact]
    public void Read_ByteCountAgainstShape_IsRejected()
    {
        var bytes = TwoVariables().ToBytes(version: 6);
        int at = 4 + 2 + 16 + 4 + 4 + 2 + 26 + 1 + 8 + 1;
        Assert.Equal(24, BitConverter.ToInt32(bytes, at));
        BitConverter.GetBytes(20).CopyTo(bytes, at);
        var error = ReadFails(bytes);
        Assert.Contains("20 data bytes do not match the shape", error.Message);
        Assert.Contains("'encoder/embeddings/weight'", error.Message);
    }

    [Fact]
    public void Read_UnknownItemSize_InVersion2_IsRejected()
    {
        var bytes = TwoVariables().ToBytes(version: 2);
        int at = 4 + 2 + 16 + 4 + 4 + 2 + 26 + 1 + 8;
        bytes[at] = 3;
        Assert.Contains("item size 3 is not supported", ReadFails(bytes).Message);
    }

    [Fact]
    public void Read_TrailingBytes_AndRepeatedNames_AreRejected()
    {
        Assert.Contains("2 unexpected bytes", ReadFails([.. TwoVariables().ToBytes(), 0, 0]).Message);
        var repeated = TwoVariables().Add("decoder/projection/bias", [1], [0f]).ToBytes();
        Assert.Contains("'decoder/projection/bias' appears twice", ReadFails(repeated).Message);
    }

    [Fact]
    public void Read_AliasToNothing_IsRejected()
    {
        var bytes = TwoVariables().Alias("decoder/embeddings/weight", "encoder/nothing").ToBytes(version: 4);
        Assert.Contains("points to 'encoder/nothing'", ReadFails(bytes).Message);
    }
}
