using EncDec.Data;

namespace EncDec.Text.Training;

/// <summary>
/// Reads the lines of training files, plain text or gzip (recognised by its magic bytes, whatever the file's name),
/// as raw bytes split at '\n' only, as spm_train's <c>std::getline</c> splits them (<see cref="LineSplitting.Raw"/>):
/// a '\r' stays in its line (the normaliser turns it into a space), and a final '\n' does not start an empty line.
/// </summary>
/// <remarks>Every line must be well-formed UTF-8: a malformed one is an error naming the file, the line and the
/// byte, where spm_train would quietly read U+FFFD.</remarks>
internal static class CorpusLineReader
{
    /// <summary>The lines of <paramref name="path"/>, each with its 1-based line number.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist, or is a directory.</exception>
    /// <exception cref="InvalidDataException">A line is not UTF-8 or longer than <see cref="LineReader.MaxLineBytes"/>, or a
    /// gzip file is corrupt.</exception>
    public static IEnumerable<(byte[] Line, long Number)> ReadLines(string path)
    {
        using var reader = LineReader.Open(path, splitting: LineSplitting.Raw);
        while (reader.MoveNext())
        {
            reader.CheckLine();
            yield return (reader.Line.ToArray(), reader.Number);
        }
    }
}
