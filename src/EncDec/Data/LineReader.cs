using System.Buffers;
using System.IO.Compression;
using System.Text;

namespace EncDec.Data;

/// <summary>Where a <see cref="LineReader"/> ends its lines, and which bytes it drops.</summary>
internal enum LineSplitting
{
    /// <summary>"\n" and "\r\n" both end a line, and a UTF-8 byte order mark at the start of the input is dropped:
    /// text files as editors on any system write them.</summary>
    Text,

    /// <summary>"\n" alone ends a line, and every other byte stays (a '\r', a byte order mark), as C++'s
    /// <c>std::getline</c> splits lines for <c>spm_encode</c> and <c>spm_train</c>, whose output the tokenizer
    /// commands match byte for byte.</summary>
    Raw,
}

/// <summary>
/// Streams the lines of a text file (plain or gzip, recognised by its magic bytes 1F 8B, whatever the file's name) or
/// of a stream such as standard input, as raw UTF-8 bytes split as <see cref="LineSplitting"/> says; a final line
/// ending does not start an empty line, and a last line without one is still a line. Only one line is held at a time
/// (plus one read buffer), so an input of any size is read in bounded memory: the toolkit's one line splitter.
/// </summary>
/// <remarks>The bytes are not checked here: callers decode with <see cref="TryDecode"/> or <see cref="DecodeStrict"/>,
/// which report where the first invalid UTF-8 byte is, so that a reader can either name it in an error or skip the
/// line. A line longer than <see cref="MaxLineBytes"/> is an error naming the input and the line.</remarks>
internal sealed class LineReader : IDisposable
{
    /// <summary>The longest line any of the toolkit's line readers accepts (256 MiB): past it a line is an error naming
    /// where it is, rather than an out-of-memory failure (.NET strings hold at most about 2³⁰ characters).</summary>
    public const int MaxLineBytes = 1 << 28;

    private const int DefaultBufferSize = 1 << 16;
    private static readonly byte[] ByteOrderMark = [0xEF, 0xBB, 0xBF];

    private readonly Stream stream;
    private readonly bool ownsStream;
    private readonly string inputName;
    private readonly LineSplitting splitting;
    private readonly int maxLineBytes;
    private byte[] buffer;
    private int start, end, lineStart, lineLength;
    private bool endOfStream;

    private LineReader(string path, string inputName, Stream stream, bool ownsStream, LineSplitting splitting,
        int bufferSize, int maxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        Path = path;
        this.inputName = inputName;
        this.stream = stream;
        this.ownsStream = ownsStream;
        this.splitting = splitting;
        this.maxLineBytes = maxLineBytes;
        buffer = new byte[Math.Min(bufferSize, maxLineBytes + 2)];
    }

    /// <summary>The file, as given to <see cref="Open"/>, or the name given to <see cref="FromStream"/>.</summary>
    public string Path { get; }

    /// <summary>The 1-based number of the current line (0 before the first <see cref="MoveNext"/>).</summary>
    public long Number { get; private set; }

    /// <summary>The current line without its line ending; valid until the next <see cref="MoveNext"/>.</summary>
    public ReadOnlySpan<byte> Line => buffer.AsSpan(lineStart, lineLength);

    /// <summary>Opens <paramref name="path"/>; a gzip file is decompressed as it is read. Errors name it as
    /// <c>'path'</c>.</summary>
    /// <param name="path">A plain or gzip text file.</param>
    /// <param name="bufferSize">Bytes read at a time; the buffer grows to hold a longer line (small values test line
    /// ends that fall across reads).</param>
    /// <param name="maxLineBytes">The longest line accepted, without its line ending.</param>
    /// <param name="splitting">Where lines end.</param>
    /// <exception cref="FileNotFoundException">The file does not exist, or is a directory (the message says which).</exception>
    public static LineReader Open(string path, int bufferSize = DefaultBufferSize, int maxLineBytes = MaxLineBytes,
        LineSplitting splitting = LineSplitting.Text)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException(Directory.Exists(path) ? $"'{path}' is a directory, not a file" : $"'{path}' does not exist", path);
        var file = File.OpenRead(path);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            bool gzip = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
            file.Position = 0;
            var stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            return new LineReader(path, $"'{path}'", stream, ownsStream: true, splitting, bufferSize, maxLineBytes);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Reads the lines of <paramref name="stream"/> (standard input, for one), which stays open when the
    /// reader is disposed; it is not decompressed.</summary>
    /// <param name="stream">The input.</param>
    /// <param name="inputName">How errors name the input, as it is (<c>&lt;stdin&gt;</c>).</param>
    /// <param name="splitting">Where lines end.</param>
    /// <param name="bufferSize">Bytes read at a time at first.</param>
    /// <param name="maxLineBytes">The longest line accepted, without its line ending.</param>
    public static LineReader FromStream(Stream stream, string inputName, LineSplitting splitting = LineSplitting.Text,
        int bufferSize = DefaultBufferSize, int maxLineBytes = MaxLineBytes) =>
        new(inputName, inputName, stream, ownsStream: false, splitting, bufferSize, maxLineBytes);

    /// <summary>Moves to the next line; false at the end of the file.</summary>
    /// <exception cref="InvalidDataException">The gzip data is corrupt, or the line is longer than the limit; the message
    /// names the input and the line.</exception>
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
        invalidColumn = InvalidColumn(bytes);
        text = invalidColumn > 0 ? null : bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes);
        return invalidColumn == 0;
    }

    /// <summary>
    /// <paramref name="line"/> as text; a line that is not well-formed UTF-8 is an error naming the input, the line
    /// and the byte, never a line quietly repaired with U+FFFD.
    /// </summary>
    /// <param name="line">The line's bytes.</param>
    /// <param name="lineNumber">Its 1-based number, for the error.</param>
    /// <param name="inputName">The input as errors name it (<c>&lt;stdin&gt;</c>, <c>'file'</c>).</param>
    /// <exception cref="InvalidDataException">The line is not UTF-8.</exception>
    public static string DecodeStrict(ReadOnlySpan<byte> line, long lineNumber, string inputName)
    {
        CheckUtf8(line, lineNumber, inputName);
        return line.IsEmpty ? string.Empty : Encoding.UTF8.GetString(line);
    }

    /// <summary>The current line as text, as <see cref="DecodeStrict"/> decodes it, naming this input and line in the
    /// error.</summary>
    /// <exception cref="InvalidDataException">The line is not UTF-8.</exception>
    public string DecodeLine() => DecodeStrict(Line, Number, inputName);

    /// <summary>Throws as <see cref="DecodeLine"/> does when the current line is not UTF-8, without decoding it.</summary>
    /// <exception cref="InvalidDataException">The line is not UTF-8.</exception>
    public void CheckLine() => CheckUtf8(Line, Number, inputName);

    private static void CheckUtf8(ReadOnlySpan<byte> line, long lineNumber, string inputName)
    {
        if (InvalidColumn(line) is int column and > 0)
            throw new InvalidDataException($"{inputName} line {lineNumber} is not valid UTF-8 (byte {column} of the line)");
    }

    // The 1-based column of the first byte that does not start a well-formed UTF-8 sequence, or 0 when all do.
    private static int InvalidColumn(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return 0;
        int offset = 0;
        while (Rune.DecodeFromUtf8(bytes[offset..], out _, out int consumed) == OperationStatus.Done) offset += consumed;
        return offset + 1;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (ownsStream) stream.Dispose();
    }

    private void SetLine(int from, int length)
    {
        Number++;
        if (splitting == LineSplitting.Text)
        {
            if (Number == 1 && buffer.AsSpan(from, length).StartsWith(ByteOrderMark))
            {
                from += ByteOrderMark.Length;
                length -= ByteOrderMark.Length;
            }
            if (length > 0 && buffer[from + length - 1] == (byte)'\r') length--;
        }
        if (length > maxLineBytes) throw TooLong(Number);
        lineStart = from;
        lineLength = length;
    }

    private InvalidDataException TooLong(long line) => new($"{inputName} line {line} is longer than {maxLineBytes:N0} bytes");

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
            throw new InvalidDataException($"{inputName}: corrupt gzip data after line {Number}: {e.Message}", e);
        }
        if (read == 0) endOfStream = true;
        end += read;
    }
}
