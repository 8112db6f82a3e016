namespace EncDec.Text;

/// <summary>
/// Opens a tokenizer file of any supported kind, choosing the reader by the file's name and first byte, so that
/// commands take one <c>--model</c> path: a SentencePiece <c>.model</c> file, a Hugging Face <c>tokenizer.json</c>,
/// or a folder holding one of them (or <c>vocab.json</c> + <c>merges.txt</c>).
/// </summary>
/// <example><code>
/// ITokenizer t5 = TokenizerLoader.Load("t5-small/spiece.model");      // SentencePieceProcessor
/// ITokenizer t5Folder = TokenizerLoader.Load("t5-small");             // the same, found in the folder
/// ITokenizer whisper = TokenizerLoader.Load("whisper-tiny/tokenizer.json");   // ByteLevelBpeTokenizer
/// </code></example>
/// <remarks>
/// A file named <c>*.model</c> is read as SentencePiece, <c>*.json</c> as <c>tokenizer.json</c>; any other name is
/// sniffed: JSON starts with '{' (after whitespace), a SentencePiece model with a protobuf tag, never '{'.
/// In a folder, <c>tokenizer.json</c> wins over <c>vocab.json</c> + <c>merges.txt</c>, which win over a single
/// <c>*.model</c> file, matching what Hugging Face's loaders prefer.
/// </remarks>
public static class TokenizerLoader
{
    /// <summary>The tokenizer stored at <paramref name="path"/> (a file or a folder).</summary>
    /// <exception cref="FileNotFoundException">Nothing is at <paramref name="path"/>, or a folder holds no tokenizer
    /// file (the message names the path).</exception>
    /// <exception cref="InvalidDataException">The file is corrupt (the message names it and the offset).</exception>
    /// <exception cref="NotSupportedException">The model type, or a tokenizer.json component, is not supported.</exception>
    public static ITokenizer Load(string path)
    {
        if (Directory.Exists(path)) return LoadFolder(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"tokenizer '{path}' does not exist", path);
        return IsJson(path) ? LoadTokenizerJson(path) : SentencePieceProcessor.Load(path);
    }

    private static ITokenizer LoadFolder(string folder)
    {
        string json = Path.Combine(folder, "tokenizer.json");
        if (File.Exists(json)) return LoadTokenizerJson(json);
        string vocab = Path.Combine(folder, "vocab.json"), merges = Path.Combine(folder, "merges.txt");
        if (File.Exists(vocab) && File.Exists(merges)) return LoadVocabAndMerges(vocab, merges);
        var models = Directory.GetFiles(folder, "*.model");
        if (models.Length == 1) return SentencePieceProcessor.Load(models[0]);
        throw new FileNotFoundException(models.Length > 1
            ? $"folder '{folder}' holds {models.Length} .model files; name one"
            : $"folder '{folder}' holds no tokenizer.json, vocab.json + merges.txt or .model file", folder);
    }

    private static bool IsJson(string path)
    {
        string extension = Path.GetExtension(path);
        if (extension.Equals(".model", StringComparison.OrdinalIgnoreCase)) return false;
        if (extension.Equals(".json", StringComparison.OrdinalIgnoreCase)) return true;
        using var file = File.OpenRead(path);
        int b;
        while ((b = file.ReadByte()) is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF) { }   // whitespace, BOM
        return b == '{';
    }

    private static ITokenizer LoadTokenizerJson(string path) => ByteLevelBpeTokenizer.Load(path);

    private static ITokenizer LoadVocabAndMerges(string vocab, string merges) => ByteLevelBpeTokenizer.FromVocabAndMerges(vocab, merges);
}
