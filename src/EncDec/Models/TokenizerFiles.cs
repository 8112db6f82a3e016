using System.Text.Json;
using EncDec.Text;

namespace EncDec.Models;

/// <summary>
/// How a tokenizer is stored inside a translation model folder: a kind, a file name and, for word and character
/// vocabularies, the names of their special tokens. SentencePiece models are written from their parsed proto
/// (<see cref="SentencePieceModelWriter"/>), vocabularies as their text files, and Hugging Face tokenizers, which
/// cannot write themselves, copied from the file they were read from.
/// </summary>
internal static class TokenizerFiles
{
    public const string SentencePiece = "sentencepiece", Word = "word", Character = "character", HuggingFace = "huggingface";

    /// <summary>Writes <paramref name="tokenizer"/>'s file, named <paramref name="stem"/> plus the kind's extension, into
    /// <paramref name="folder"/>, and its entry's fields into <paramref name="json"/> (an open object). With
    /// <paramref name="writeFile"/> false only the entry is written (the second side of a shared vocabulary).</summary>
    /// <remarks><paramref name="originalFile"/>: for a <see cref="ByteLevelBpeTokenizer"/>, the tokenizer.json it was read from.</remarks>
    public static void Write(ITokenizer tokenizer, string folder, string stem, string? originalFile, Utf8JsonWriter json, bool writeFile = true)
    {
        switch (tokenizer)
        {
            case SentencePieceProcessor spm:
                WriteEntry(json, SentencePiece, stem + ".model");
                if (writeFile) SentencePieceModelWriter.Save(spm.Model, Path.Combine(folder, stem + ".model"));
                break;
            case Vocabulary vocabulary:
                WriteEntry(json, vocabulary.Kind == VocabularyKind.Word ? Word : Character, stem + ".vocab.txt");
                json.WriteStartObject("specials");
                json.WriteString("pad", vocabulary.Specials.Pad);
                json.WriteString("bos", vocabulary.Specials.Bos);
                json.WriteString("eos", vocabulary.Specials.Eos);
                json.WriteString("unk", vocabulary.Specials.Unknown);
                json.WriteEndObject();
                if (writeFile) vocabulary.Save(Path.Combine(folder, stem + ".vocab.txt"));
                break;
            case ByteLevelBpeTokenizer when originalFile is not null || !writeFile:
                WriteEntry(json, HuggingFace, stem + ".tokenizer.json");
                if (writeFile) File.Copy(originalFile!, Path.Combine(folder, stem + ".tokenizer.json"));
                break;
            case ByteLevelBpeTokenizer:
                throw new ArgumentException("TranslationModelFolder: a Hugging Face tokenizer cannot write itself; pass the tokenizer.json it was read from");
            default:
                throw new NotSupportedException($"TranslationModelFolder: cannot store a {tokenizer.GetType().Name}");
        }
    }

    /// <summary>Reads the tokenizer described by <paramref name="entry"/> (the object at <paramref name="path"/> of <paramref name="source"/>).</summary>
    public static ITokenizer Read(JsonElement entry, string folder, string path, string source)
    {
        string kind = JsonFields.GetString(JsonFields.Required(entry, "kind", JsonValueKind.String, path + ".kind", source), path + ".kind", source);
        string name = JsonFields.GetString(JsonFields.Required(entry, "file", JsonValueKind.String, path + ".file", source), path + ".file", source);
        if (name != Path.GetFileName(name)) throw new InvalidDataException($"'{source}': {path}.file '{name}' must be a file name inside the folder");
        string file = Path.Combine(folder, name);
        if (!File.Exists(file)) throw new FileNotFoundException($"model folder '{folder}' has no {name} (named by {path}.file)", file);
        return kind switch
        {
            SentencePiece => SentencePieceProcessor.Load(file),
            Word or Character => Vocabulary.Load(file, kind == Word ? VocabularyKind.Word : VocabularyKind.Character, ReadSpecials(entry, path, source)),
            HuggingFace => ByteLevelBpeTokenizer.Load(file),
            _ => throw new InvalidDataException($"'{source}': {path}.kind '{kind}' is not one of {SentencePiece}, {Word}, {Character}, {HuggingFace}"),
        };
    }

    private static SpecialTokens ReadSpecials(JsonElement entry, string path, string source)
    {
        if (JsonFields.Optional(entry, "specials") is not { } specials) return SpecialTokens.Default;
        string p = path + ".specials";
        return new SpecialTokens(JsonFields.OptionalString(specials, "pad", p + ".pad", source), JsonFields.OptionalString(specials, "bos", p + ".bos", source),
            JsonFields.OptionalString(specials, "eos", p + ".eos", source), JsonFields.OptionalString(specials, "unk", p + ".unk", source));
    }

    private static void WriteEntry(Utf8JsonWriter json, string kind, string file)
    {
        json.WriteString("kind", kind);
        json.WriteString("file", file);
    }
}
