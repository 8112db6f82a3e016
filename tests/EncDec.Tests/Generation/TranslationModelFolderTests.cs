using EncDec.Generation;
using EncDec.Models;

namespace EncDec.Tests.Generation;

/// <summary>Saving and loading <see cref="TranslationModel"/>s, and the errors of broken folders.</summary>
public sealed class TranslationModelFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("encdec-translation-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Folder => Path.Combine(_root, "model");

    private static readonly SearchOptions Search = new(BeamSize: 2, NBest: 2, MinLength: 1, MaxLength: 5);

    private static string[] Translate(TranslationModel model, params string[] lines) =>
        new Translator(model, Search).TranslateBatch(lines).SelectMany(r => r.Hypotheses.Select(h => $"{h.Text} {h.Search.Score}")).ToArray();

    [Fact]
    public void SaveThenLoad_WordVocabularies_GivesTheSameTranslations()
    {
        var model = TranslatorKit.Word("bahdanau-gru");
        TranslationModelFolder.Save(model, Folder);
        var loaded = TranslationModelFolder.Load(Folder);

        Assert.Equal(model.Ids, loaded.Ids);
        Assert.Equal(model.Config, loaded.Config);
        Assert.True(loaded.AppendSourceEnd);
        Assert.Same(loaded.SourceTokenizer, loaded.TargetTokenizer);   // one instance was saved as a shared vocabulary
        Assert.Equal(Translate(model, "a b c", "g f"), Translate(loaded, "a b c", "g f"));
    }

    [Fact]
    public void SaveThenLoad_SharedSentencePiece_GivesTheSameTranslations()
    {
        var model = TranslatorKit.SentencePiece();
        TranslationModelFolder.Save(model, Folder);
        var loaded = TranslationModelFolder.Load(Folder);

        Assert.Contains("shared.model", Directory.GetFiles(Folder).Select(Path.GetFileName));
        Assert.Equal(model.SourceTokenizer.Encode("hello world wow"), loaded.SourceTokenizer.Encode("hello world wow"));
        Assert.Equal(Translate(model, "hello world", "wow"), Translate(loaded, "hello world", "wow"));
    }

    [Fact]
    public void MissingDescription_NamesTheFolderAndTheFile()
    {
        TranslationModelFolder.Save(TranslatorKit.Word(), Folder);
        File.Delete(Path.Combine(Folder, TranslationModelFolder.TranslationFileName));
        var error = Assert.Throws<FileNotFoundException>(() => TranslationModelFolder.Load(Folder));
        Assert.Contains(Folder, error.Message);
        Assert.Contains(TranslationModelFolder.TranslationFileName, error.Message);
    }

    [Fact]
    public void CorruptDescription_OrMissingTokenizer_NamesTheFile()
    {
        TranslationModelFolder.Save(TranslatorKit.Word(), Folder);
        string description = Path.Combine(Folder, TranslationModelFolder.TranslationFileName);
        string text = File.ReadAllText(description);
        File.WriteAllText(description, text[..(text.Length / 2)]);
        Assert.Contains(description, Assert.Throws<InvalidDataException>(() => TranslationModelFolder.Load(Folder)).Message);

        File.WriteAllText(description, text.Replace("\"end\": 2", "\"end\": 99"));
        Assert.Contains("End id 99", Assert.Throws<InvalidDataException>(() => TranslationModelFolder.Load(Folder)).Message);

        File.WriteAllText(description, text);
        File.Delete(Path.Combine(Folder, "shared.vocab.txt"));
        var missing = Assert.Throws<FileNotFoundException>(() => TranslationModelFolder.Load(Folder));
        Assert.Contains("shared.vocab.txt", missing.Message);
        Assert.Contains(Folder, missing.Message);
    }

    [Fact]
    public void CTranslate2Folder_IsReadByTheCTranslate2Reader()
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllBytes(Path.Combine(Folder, TranslationModelFolder.CTranslate2WeightsFileName), [0, 1, 2]);
        var error = Assert.ThrowsAny<Exception>(() => TranslationModelFolder.Load(Folder));
        Assert.True(error is InvalidDataException or FileNotFoundException, error.ToString());
        Assert.Contains(Folder, error.Message);
    }

    [SharedDataFact("ctranslate2-aren-transliteration")]
    public void RealCTranslate2Folder_TranslatesThroughTheTranslator_WithBeam1And2()
    {
        var model = TranslationModelFolder.Load(SharedDataFactAttribute.Require("ctranslate2-aren-transliteration"));
        foreach (int beam in new[] { 1, 2 })
        {
            var translator = new Translator(model, new SearchOptions(BeamSize: beam));
            var results = translator.Translate(["آ ت ز م و ن", "آ ت ش ي س و ن", ""]).Select(r => r.Text).ToList();
            Assert.Equal(["a t z m o n", "a c h i s o n", ""], results);
        }
    }

    [Fact]
    public void MissingFolder_IsDirectoryNotFound()
    {
        Assert.Throws<DirectoryNotFoundException>(() => TranslationModelFolder.Load(Folder));
    }
}
