using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace EncDec.Text;

/// <summary>
/// Reads tokenizer and vocabulary files as strict UTF-8: a malformed byte sequence is an error naming the file, the
/// line and the byte offset, never a silent U+FFFD that would turn into a wrong token. A leading byte order mark is
/// dropped.
/// </summary>
internal static class Utf8TextFile
{
    /// <summary>The text of the file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not valid UTF-8.</exception>
    public static string Read(string path) => Decode(File.ReadAllBytes(path), path);

    /// <summary>The text of <paramref name="bytes"/>; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="InvalidDataException">The bytes are not valid UTF-8.</exception>
    public static string Decode(ReadOnlySpan<byte> bytes, string source)
    {
        var body = StripByteOrderMark(bytes);
        ThrowIfInvalid(body, source, bytes.Length - body.Length);
        return Encoding.UTF8.GetString(body);
    }

    /// <summary><paramref name="bytes"/> without a leading UTF-8 byte order mark.</summary>
    public static ReadOnlySpan<byte> StripByteOrderMark(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith("\uFEFF"u8) ? bytes[3..] : bytes;

    /// <summary>Throws when <paramref name="bytes"/> are not valid UTF-8.</summary>
    /// <param name="bytes">The bytes to check.</param>
    /// <param name="source">Names the bytes in the error.</param>
    /// <param name="offsetInFile">Where <paramref name="bytes"/> start in the file, so that the offset reported is the file's.</param>
    /// <exception cref="InvalidDataException">The bytes are not valid UTF-8.</exception>
    public static void ThrowIfInvalid(ReadOnlySpan<byte> bytes, string source, int offsetInFile = 0)
    {
        if (Utf8.IsValid(bytes)) return;
        char[] buffer = ArrayPool<char>.Shared.Rent(Math.Max(1, bytes.Length));
        try
        {
            // The first invalid byte is where a strict conversion stops.
            Utf8.ToUtf16(bytes, buffer, out int bytesRead, out _, replaceInvalidSequences: false);
            int line = 1 + bytes[..bytesRead].Count((byte)'\n');
            throw new InvalidDataException(
                $"'{source}': invalid UTF-8 on line {line}, at byte {offsetInFile + bytesRead} (0x{bytes[bytesRead]:X2})");
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
