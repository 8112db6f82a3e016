using EncDec.Tests.Cli;
using EncDec.Text;

namespace EncDec.Tests.Text;

/// <summary><see cref="TokenizerLoader"/>: which reader a path gets, by name, content and folder layout.</summary>
public sealed class TokenizerLoaderTests : IDisposable
{
    private readonly TinyByteLevelBpe _bpe = new();

    public void Dispose() => _bpe.Dispose();

    private string Subfolder(string name) => Directory.CreateDirectory(Path.Combine(_bpe.Folder, name)).FullName;

    [Fact]
    public void ModelFile_IsReadAsSentencePiece()
    {
        string path = _bpe.Write("small.model", TokenizeCommandTests.SmallModelBytes());

        var tokenizer = Assert.IsType<SentencePieceProcessor>(TokenizerLoader.Load(path));

        Assert.Equal([2, 3], tokenizer.Encode("hello world"));
    }

    [Fact]
    public void JsonFile_IsReadAsByteLevelBpe()
    {
        string path = _bpe.Write("tokenizer.json", TinyByteLevelBpe.TokenizerJson().ToJsonString());

        var tokenizer = Assert.IsType<ByteLevelBpeTokenizer>(TokenizerLoader.Load(path));

        Assert.Equal([258, 260], tokenizer.Encode("lower"));     // "l" "ow" -> "low", "e" "r" -> "er"
    }

    [Fact]
    public void OtherNames_AreSniffed_JsonByItsBrace_SentencePieceOtherwise()
    {
        string json = _bpe.Write("bpe.bin", " \n" + TinyByteLevelBpe.TokenizerJson().ToJsonString());
        string model = _bpe.Write("spm.bin", TokenizeCommandTests.SmallModelBytes());

        Assert.IsType<ByteLevelBpeTokenizer>(TokenizerLoader.Load(json));
        Assert.IsType<SentencePieceProcessor>(TokenizerLoader.Load(model));
    }

    [Fact]
    public void Folder_PrefersTokenizerJson_ThenVocabAndMerges_ThenItsOneModelFile()
    {
        string mixed = Subfolder("mixed");
        File.WriteAllText(Path.Combine(mixed, "tokenizer.json"), TinyByteLevelBpe.TokenizerJson().ToJsonString());
        File.WriteAllBytes(Path.Combine(mixed, "spiece.model"), TokenizeCommandTests.SmallModelBytes());
        string gpt2 = Subfolder("gpt2");
        File.WriteAllText(Path.Combine(gpt2, "vocab.json"), TinyByteLevelBpe.Vocabulary().ToJsonString());
        File.WriteAllText(Path.Combine(gpt2, "merges.txt"), "#version: 0.2\n" + string.Join("\n", TinyByteLevelBpe.Merges) + "\n");
        string t5 = Subfolder("t5");
        File.WriteAllBytes(Path.Combine(t5, "spiece.model"), TokenizeCommandTests.SmallModelBytes());

        Assert.IsType<ByteLevelBpeTokenizer>(TokenizerLoader.Load(mixed));
        Assert.Equal([258, 260], TokenizerLoader.Load(gpt2).Encode("lower"));
        Assert.IsType<SentencePieceProcessor>(TokenizerLoader.Load(t5));
    }

    [Fact]
    public void FolderWithoutATokenizer_ThrowsFileNotFound_NamingIt()
    {
        string empty = Subfolder("empty");

        var error = Assert.Throws<FileNotFoundException>(() => TokenizerLoader.Load(empty));

        Assert.Equal($"folder '{empty}' holds no tokenizer.json, vocab.json + merges.txt or .model file", error.Message);
    }

    [Fact]
    public void MissingPath_ThrowsFileNotFound_NamingIt()
    {
        string missing = Path.Combine(_bpe.Folder, "nope.model");

        var error = Assert.Throws<FileNotFoundException>(() => TokenizerLoader.Load(missing));

        Assert.Equal($"tokenizer '{missing}' does not exist", error.Message);
    }

    [Fact]
    public void CorruptModel_ThrowsInvalidData_NamingTheFile()
    {
        string cut = _bpe.Write("cut.model", TokenizeCommandTests.SmallModelBytes()[..40]);

        var error = Assert.Throws<InvalidDataException>(() => TokenizerLoader.Load(cut));

        Assert.StartsWith($"'{cut}' is not a valid SentencePiece model", error.Message);
    }

    [SharedDataFact(T5ModelFixture.ModelPath)]
    public void T5Folder_GivesT5sSentencePieceModel()
    {
        string folder = Path.GetDirectoryName(SharedDataFactAttribute.Require(T5ModelFixture.ModelPath))!;

        var t5 = Assert.IsType<SentencePieceProcessor>(TokenizerLoader.Load(folder));

        Assert.Equal([71, 1782, 3154, 5], t5.Encode("A dog runs."));   // spm_encode --output_format=id
    }

    [SharedDataFact("tokenizers/whisper-tiny/tokenizer.json")]
    public void WhisperTokenizerJson_GivesTheByteLevelBpeTokenizer()
    {
        var whisper = TokenizerLoader.Load(SharedDataFactAttribute.Require("tokenizers/whisper-tiny/tokenizer.json"));

        Assert.Equal([15947, 1002], Assert.IsType<ByteLevelBpeTokenizer>(whisper).Encode("Hello world"));   // Hugging Face's ids
    }
}
