using System.IO.Compression;
using System.Text;
using EncDec.Data;

namespace EncDec.Text.Training;

/// <summary>
/// Reads the lines of training files, plain text or gzip (recognised by its magic bytes, whatever the file's name),
/// as raw bytes split at '\n' only, as spm_train's <c>std::getline</c> splits them: a '\r' stays in its line (the
/// normaliser turns it into a space), and a final '\n' does not start an empty line.
/// </summary>
/// <remarks>Every line must be well-formed UTF-8: a malformed one is an error naming the file, the line and the
/// byte, where spm_train would quietly read U+FFFD.</remarks>
internal static class CorpusLineReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The lines of <paramref name="path"/>, each with its 1-based line number.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is not UTF-8 or longer than <see cref="LineReader.MaxLineBytes"/>, or a
    /// gzip file is corrupt.</exception>
    public static IEnumerable<(byte[] Line, long Number)> ReadLines(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException(Directory.Exists(path) ? $"'{path}' is a directory, not a file" : $"'{path}' does not exist", path);
        using var file = File.OpenRead(path);
        using var stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        var pending = new MemoryStream();
        var buffer = new byte[1 << 16];
        long number = 0;
        while (true)
        {
            int read;
            try
            {
                read = stream.Read(buffer);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"'{path}' is not a valid gzip file after line {number}: {e.Message}", e);
            }
            if (read == 0) break;
            int start = 0;
            for (int newline; (newline = buffer.AsSpan(start, read - start).IndexOf((byte)'\n')) >= 0; start += newline + 1)
            {
                pending.Write(buffer, start, newline);
                yield return (Take(pending, path, ++number), number);
            }
            pending.Write(buffer, start, read - start);
            if (pending.Length > LineReader.MaxLineBytes) throw TooLong(path, number + 1);
        }
        if (pending.Length > 0) yield return (Take(pending, path, ++number), number);
    }

    private static InvalidDataException TooLong(string path, long number) =>
        new($"'{path}' line {number} is longer than {LineReader.MaxLineBytes:N0} bytes");

    private static byte[] Take(MemoryStream pending, string path, long number)
    {
        if (pending.Length > LineReader.MaxLineBytes) throw TooLong(path, number);
        byte[] line = pending.ToArray();
        pending.SetLength(0);
        try
        {
            StrictUtf8.GetCharCount(line);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"'{path}' line {number} is not valid UTF-8 (byte {e.Index + 1} of the line)", e);
        }
        return line;
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
    }
}
