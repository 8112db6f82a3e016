using EncDec.Interop.CTranslate2;
using System.Text.Json;
using EncDec.Text;

namespace EncDec.Models;

/// <summary>
/// A saved <see cref="TranslationModel"/>: a <see cref="ModelFolder"/> (<c>config.json</c>, <c>model.safetensors</c>)
/// plus <c>translation.json</c> and the tokenizer files it names:
/// <code>
/// { "format": "encdec-translation", "version": 1,
///   "special_ids": { "pad": 0, "start": 1, "end": 2, "unknown": 3 },
///   "append_source_end": true, "shared_vocabulary": false,
///   "source_tokenizer": { "kind": "sentencepiece", "file": "source.model" },
///   "target_tokenizer": { "kind": "word", "file": "target.vocab.txt", "specials": { "pad": "&lt;pad&gt;", ... } } }
/// </code>
/// Kinds: <c>sentencepiece</c> (a <c>.model</c>), <c>word</c> and <c>character</c> (<see cref="Vocabulary"/> text
/// files), <c>huggingface</c> (a copied <c>tokenizer.json</c>). With a shared vocabulary (one tokenizer instance for
/// both sides) one file <c>shared.*</c> is written and both entries name it. Saving is atomic like
/// <see cref="ModelFolder.Save"/>. <see cref="Load"/> also accepts a CTranslate2 folder (<c>model.bin</c>).
/// </summary>
public static class TranslationModelFolder
{
    /// <summary>Name of the translation description inside the folder.</summary>
    public const string TranslationFileName = "translation.json";

    /// <summary>Name of the weights file that marks a CTranslate2 model folder.</summary>
    public const string CTranslate2WeightsFileName = "model.bin";

    private const string Format = "encdec-translation";

    /// <summary>Writes <paramref name="model"/> to <paramref name="directory"/>, replacing a folder already there.</summary>
    /// <param name="model">The model, its configuration, tokenizers and ids.</param>
    /// <param name="directory">The folder to write.</param>
    /// <param name="sourceTokenizerFile">For a Hugging Face source tokenizer: the <c>tokenizer.json</c> it was read from
    /// (such tokenizers cannot write themselves); ignored otherwise.</param>
    /// <param name="targetTokenizerFile">The same for the target tokenizer.</param>
    /// <exception cref="ArgumentException">The configuration does not describe the network, or ids or vocabulary sizes disagree.</exception>
    public static void Save(TranslationModel model, string directory, string? sourceTokenizerFile = null, string? targetTokenizerFile = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.Config.Validate();
        ModelFolder.RequireDescribes(model.Config, model.Model);
        RequireConsistent(model, directory, message => new ArgumentException(message));
        ModelFolder.WriteAtomically(directory, folder =>
        {
            ModelFolder.WriteModelFiles(model.Model, model.Config, folder);
            using var stream = File.Create(Path.Combine(folder, TranslationFileName));
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            bool shared = ReferenceEquals(model.SourceTokenizer, model.TargetTokenizer);
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("version", 1);
            json.WriteStartObject("special_ids");
            json.WriteNumber("pad", model.Ids.Pad);
            json.WriteNumber("start", model.Ids.Start);
            json.WriteNumber("end", model.Ids.End);
            json.WriteNumber("unknown", model.Ids.Unknown);
            json.WriteEndObject();
            json.WriteBoolean("append_source_end", model.AppendSourceEnd);
            json.WriteBoolean("shared_vocabulary", shared);
            json.WriteStartObject("source_tokenizer");
            TokenizerFiles.Write(model.SourceTokenizer, folder, shared ? "shared" : "source", sourceTokenizerFile, json);
            json.WriteEndObject();
            json.WriteStartObject("target_tokenizer");
            TokenizerFiles.Write(model.TargetTokenizer, folder, shared ? "shared" : "target", targetTokenizerFile, json, writeFile: !shared);
            json.WriteEndObject();
            json.WriteEndObject();
        });
    }

    /// <summary>
    /// Loads a translation model folder: an EncDec folder (<c>config.json</c>, <c>model.safetensors</c>,
    /// <c>translation.json</c> and its tokenizer files), or a CTranslate2 folder (<c>model.bin</c>, read by
    /// <see cref="CTranslate2ModelReader"/>). The model is returned in evaluation mode.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing; the message names the folder and the file.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt or the files disagree; the message names the file.</exception>
    public static TranslationModel Load(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"model folder '{directory}' does not exist");
        string descriptionPath = Path.Combine(directory, TranslationFileName);
        // CTranslate2 folders may hold their own config.json, so translation.json is what tells the formats apart.
        if (File.Exists(Path.Combine(directory, CTranslate2WeightsFileName)) && !File.Exists(descriptionPath))
            return CTranslate2ModelReader.Load(directory);
        if (!File.Exists(descriptionPath))
            throw new FileNotFoundException($"model folder '{directory}' has no {TranslationFileName} (nor a CTranslate2 {CTranslate2WeightsFileName})", descriptionPath);
        var (network, config) = ModelFolder.Load(directory);
        using var document = JsonFields.Parse(File.ReadAllBytes(descriptionPath), descriptionPath);
        var root = document.RootElement;
        JsonFields.ExpectKind(root, JsonValueKind.Object, "(root)", descriptionPath);
        string format = JsonFields.GetString(JsonFields.Required(root, "format", JsonValueKind.String, "format", descriptionPath), "format", descriptionPath);
        if (format != Format) throw new InvalidDataException($"'{descriptionPath}': format '{format}' is not '{Format}'");
        var ids = JsonFields.Required(root, "special_ids", JsonValueKind.Object, "special_ids", descriptionPath);
        int Id(string name) => JsonFields.Required(ids, name, JsonValueKind.Number, "special_ids." + name, descriptionPath)
            .TryGetInt32(out int id) ? id : throw new InvalidDataException($"'{descriptionPath}': special_ids.{name} is not an integer");
        var special = new SpecialIds(Id("pad"), Id("start"), Id("end"), Id("unknown"));
        bool appendEnd = JsonFields.OptionalBool(root, "append_source_end", true, "append_source_end", descriptionPath);
        bool shared = JsonFields.OptionalBool(root, "shared_vocabulary", false, "shared_vocabulary", descriptionPath);
        var source = TokenizerFiles.Read(JsonFields.Required(root, "source_tokenizer", JsonValueKind.Object, "source_tokenizer", descriptionPath),
            directory, "source_tokenizer", descriptionPath);
        var target = shared ? source : TokenizerFiles.Read(JsonFields.Required(root, "target_tokenizer", JsonValueKind.Object, "target_tokenizer", descriptionPath),
            directory, "target_tokenizer", descriptionPath);
        var model = new TranslationModel(network, config, source, target, special, appendEnd);
        RequireConsistent(model, descriptionPath, message => new InvalidDataException(message));
        return model;
    }

    /// <summary>Ids inside the target vocabulary and tokenizers no larger than the embeddings they feed.</summary>
    private static void RequireConsistent(TranslationModel model, string where, Func<string, Exception> error)
    {
        try
        {
            model.Ids.Validate(model.Config.TargetVocabulary);
        }
        catch (ArgumentException e)
        {
            throw error($"'{where}': {e.Message}");
        }
        if (model.SourceTokenizer.VocabularySize > model.Config.SourceVocabulary)
            throw error($"'{where}': the source tokenizer has {model.SourceTokenizer.VocabularySize} ids but the model's source vocabulary is {model.Config.SourceVocabulary}");
        if (model.TargetTokenizer.VocabularySize > model.Config.TargetVocabulary)
            throw error($"'{where}': the target tokenizer has {model.TargetTokenizer.VocabularySize} ids but the model's target vocabulary is {model.Config.TargetVocabulary}");
    }
}
