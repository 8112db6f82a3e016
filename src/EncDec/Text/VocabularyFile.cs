using System.Text;

namespace EncDec.Text;

/// <summary>
/// The vocabulary text format: one token a line, UTF-8 without a byte order mark, "\n" line ends; the id of a token
/// is its line number counted from 0 (the format of CTranslate2's and OpenNMT's vocabulary files, and of
/// <c>whisper-tiny/vocabulary.txt</c>). An empty line is the empty token.
/// </summary>
internal static class VocabularyFile
{
    /// <summary>The tokens of the file, in id order.</summary>
    /// <exception cref="InvalidDataException">Invalid UTF-8, a repeated token, or an empty file.</exception>
    public static List<string> Read(string path)
    {
        string text = Utf8TextFile.Read(path);
        if (text.Length == 0) throw new InvalidDataException($"'{path}': the file is empty; a vocabulary needs at least one token");
        string[] lines = text.Split('\n');
        int count = text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        var tokens = new List<string>(count);
        var lineOf = new Dictionary<string, int>(count, StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            string token = lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];
            if (!lineOf.TryAdd(token, i + 1))
                throw new InvalidDataException($"'{path}': line {i + 1} repeats the token \"{token}\" of line {lineOf[token]}");
            tokens.Add(token);
        }
        return tokens;
    }

    /// <summary>Writes <paramref name="tokens"/>, one a line.</summary>
    /// <exception cref="InvalidOperationException">A token holds '\n' or '\r'.</exception>
    public static void Write(string path, IReadOnlyList<string> tokens)
    {
        var text = new StringBuilder();
        for (int id = 0; id < tokens.Count; id++)
        {
            if (tokens[id].AsSpan().IndexOfAny('\n', '\r') >= 0)
                throw new InvalidOperationException($"token {id} holds a line break, which a vocabulary file cannot store");
            text.Append(tokens[id]).Append('\n');
        }
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }
}
