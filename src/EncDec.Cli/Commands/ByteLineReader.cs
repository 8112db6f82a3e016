using System.Buffers;
using System.Text.Unicode;
using EncDec.Data;

namespace EncDec.Cli.Commands;

/// <summary>
/// Reads a stream line by line as raw bytes, holding one buffer (at least as long as the longest line), never the
/// whole input. Lines are split at '\n' only, as <c>std::getline</c> splits them for <c>spm_encode</c>: a '\r'
/// stays in its line, a final '\n' does not start an empty line, and a last line without '\n' is still a line.
/// </summary>
/// <remarks>Bytes are not decoded here, so that malformed UTF-8 reaches the tokenizer as it is. A line longer than
/// <paramref name="maxLineBytes"/> is an error naming <paramref name="inputName"/> and the line, not an out-of-memory
/// failure: .NET strings hold at most about 2³⁰ characters.</remarks>
internal sealed class ByteLineReader(Stream stream, string inputName = "<stdin>", int maxLineBytes = LineReader.MaxLineBytes,
    int initialBufferSize = 1 << 16)
{
    private byte[] buffer = new byte[Math.Min(initialBufferSize, maxLineBytes + 1)];
    private int start;      // first byte of the next line
    private int scanned;    // bytes from start already known to hold no '\n'
    private int end;        // end of the bytes read
    private bool endOfStream;

    /// <summary>The 1-based number of the line last returned (0 before the first).</summary>
    public long LineNumber { get; private set; }

    /// <summary>
    /// The next line without its '\n'; the span is valid until the next call. False at the end of the stream.
    /// </summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            int newline = buffer.AsSpan(start + scanned, end - start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
                return Take(start + scanned + newline, start + scanned + newline + 1, out line);
            scanned = end - start;
            if (endOfStream)
            {
                if (start < end) return Take(end, end, out line);
                line = default;
                return false;
            }
            Fill();
        }
    }

    /// <summary>
    /// <paramref name="line"/> as text; a line that is not well-formed UTF-8 is an error naming the input, the line
    /// and the byte, never a line quietly repaired with U+FFFD.
    /// </summary>
    /// <exception cref="CliDataException">The line is not UTF-8.</exception>
    public static string DecodeStrict(ReadOnlySpan<byte> line, long lineNumber, string inputName)
    {
        char[] chars = ArrayPool<char>.Shared.Rent(line.Length);
        try
        {
            var status = Utf8.ToUtf16(line, chars, out int read, out int written, replaceInvalidSequences: false);
            if (status != OperationStatus.Done)
                throw new CliDataException($"{inputName} line {lineNumber} is not valid UTF-8 (byte {read + 1} of the line)");
            return new string(chars, 0, written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private bool Take(int lineEnd, int next, out ReadOnlySpan<byte> line)
    {
        line = buffer.AsSpan(start, lineEnd - start);
        start = next;
        scanned = 0;
        LineNumber++;
        return true;
    }

    // Moves the partial line to the front (or grows the buffer when it fills it) and reads more.
    private void Fill()
    {
        if (start > 0)
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            start = 0;
        }
        else if (end == buffer.Length)
        {
            if (end > maxLineBytes)
                throw new CliDataException($"{inputName} line {LineNumber + 1} is longer than {maxLineBytes:N0} bytes");
            Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, maxLineBytes + 1L));
        }
        int read = stream.Read(buffer, end, buffer.Length - end);
        if (read == 0) endOfStream = true;
        end += read;
    }
}
