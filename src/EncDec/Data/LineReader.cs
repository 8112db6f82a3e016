using System.Buffers;
using System.IO.Compression;
using System.Text;

namespace EncDec.Data;

/// <summary>
/// Streams the lines of a text file, plain or gzip (recognised by its magic bytes 1F 8B, whatever the file's name),
/// as raw UTF-8 bytes: "\n" and "\r\n" both end a line, a final line ending does not start an empty line, and a UTF-8
/// byte order mark at the start of the file is dropped. Only one line is held at a time (plus one read buffer), so a
/// file of any size is read in bounded memory.
/// </summary>
/// <remarks>The bytes are not checked here: callers decode with <see cref="TryDecode"/>, which reports where the first
/// invalid UTF-8 byte is, so that a reader can either name it in an error or skip the line. A line longer than
/// <see cref="MaxLineBytes"/> is an error naming the file and the line.</remarks>
internal sealed class LineReader : IDisposable
{
    /// <summary>The longest line any of the toolkit's line readers accepts (256 MiB): past it a line is an error naming
    /// where it is, rather than an out-of-memory failure (.NET strings hold at most about 2³⁰ characters).</summary>
    public const int MaxLineBytes = 1 << 28;

    private const int DefaultBufferSize = 1 << 16;
    private static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    private readonly Stream stream;
    private readonly int maxLineBytes;
    private byte[] buffer;
    private int start, end, lineStart, lineLength;
    private bool endOfStream;

    private LineReader(string path, Stream stream, int bufferSize, int maxLineBytes)
    {
        Path = path;
        this.stream = stream;
        this.maxLineBytes = maxLineBytes;
        buffer = new byte[Math.Min(bufferSize, maxLineBytes + 2)];
    }

    /// <summary>The file, as given to <see cref="Open"/>.</summary>
    public string Path { get; }

    /// <summary>The 1-based number of the current line (0 before the first <see cref="MoveNext"/>).</summary>
    public long Number { get; private set; }

    /// <summary>The current line without its line ending; valid until the next <see cref="MoveNext"/>.</summary>
    public ReadOnlySpan<byte> Line => buffer.AsSpan(lineStart, lineLength);

    /// <summary>Opens <paramref name="path"/>; a gzip file is decompressed as it is read.</summary>
    /// <param name="path">A plain or gzip text file.</param>
    /// <param name="bufferSize">Bytes read at a time; the buffer grows to hold a longer line (small values test line
    /// ends that fall across reads).</param>
    /// <param name="maxLineBytes">The longest line accepted, without its line ending.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static LineReader Open(string path, int bufferSize = DefaultBufferSize, int maxLineBytes = MaxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 4);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        var file = File.OpenRead(path);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            bool gzip = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
            file.Position = 0;
            return new LineReader(path, gzip ? new GZipStream(file, CompressionMode.Decompress) : file, bufferSize, maxLineBytes);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Moves to the next line; false at the end of the file.</summary>
    /// <exception cref="InvalidDataException">The gzip data is corrupt, or the line is longer than the limit; the message
    /// names the file and the line.</exception>
    public bool MoveNext()
    {
        while (true)
        {
            int newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                SetLine(start, newline);
                start += newline + 1;
                return true;
            }
            if (endOfStream)
            {
                if (start == end) return false;
                SetLine(start, end - start);
                start = end;
                return true;
            }
            Fill();
        }
    }

    /// <summary>Decodes a line as strict UTF-8.</summary>
    /// <param name="bytes">The line.</param>
    /// <param name="text">The text, or null when the bytes are not UTF-8.</param>
    /// <param name="invalidColumn">The 1-based byte column of the first invalid byte, or 0 when the bytes are valid.</param>
    /// <returns>True when the bytes are valid UTF-8.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out string? text, out int invalidColumn)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            text = bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes);
            invalidColumn = 0;
            return true;
        }
        int offset = 0;
        while (Rune.DecodeFromUtf8(bytes[offset..], out _, out int consumed) == OperationStatus.Done) offset += consumed;
        text = null;
        invalidColumn = offset + 1;
        return false;
    }

    /// <inheritdoc />
    public void Dispose() => stream.Dispose();

    private void SetLine(int from, int length)
    {
        Number++;
        if (Number == 1 && buffer.AsSpan(from, length).StartsWith(ByteOrderMark))
        {
            from += ByteOrderMark.Length;
            length -= ByteOrderMark.Length;
        }
        if (length > 0 && buffer[from + length - 1] == (byte)'\r') length--;
        if (length > maxLineBytes) throw TooLong(Number);
        lineStart = from;
        lineLength = length;
    }

    private InvalidDataException TooLong(long line) => new($"'{Path}' line {line} is longer than {maxLineBytes:N0} bytes");

    // Keeps the unfinished line at the front of the buffer (doubling the buffer when that line fills it) and reads more.
    private void Fill()
    {
        if (start > 0)
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            start = 0;
        }
        if (end == buffer.Length)
        {
            // The buffer holds the line, a '\r' and the start of the next line ending: past that the line is too long.
            if (end >= maxLineBytes + 2) throw TooLong(Number + 1);
            Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, maxLineBytes + 2L));
        }
        int read;
        try
        {
            read = stream.Read(buffer, end, buffer.Length - end);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{Path}': corrupt gzip data after line {Number}: {e.Message}", e);
        }
        if (read == 0) endOfStream = true;
        end += read;
    }
}
