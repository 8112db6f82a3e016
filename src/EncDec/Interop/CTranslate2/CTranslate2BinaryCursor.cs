using System.Buffers.Binary;
using System.Text;

namespace EncDec.Interop.CTranslate2;

/// <summary>
/// Reads the little-endian fields of a <c>model.bin</c> in order, checking each read against the end of the file, so
/// a truncated or corrupt file fails with the byte offset, the field and (once set) the variable being read.
/// </summary>
internal sealed class CTranslate2BinaryCursor
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Stream _stream;
    private readonly string _path;

    public CTranslate2BinaryCursor(Stream stream, string path)
    {
        _stream = stream;
        _path = path;
        Length = stream.Length;
    }

    /// <summary>Offset of the next byte to read.</summary>
    public long Position { get; private set; }

    /// <summary>Length of the file.</summary>
    public long Length { get; }

    /// <summary>What is being read, for messages, e.g. "variable 3 of 200 ('decoder/...')"; null in the header.</summary>
    public string? Context { get; set; }

    public byte ReadByte(string field) => ReadExactly(1, field)[0];

    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(ReadExactly(2, field));

    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(ReadExactly(4, field));

    /// <summary>A string as CTranslate2 writes it: a uint16 length that counts a final NUL, the UTF-8 bytes, the NUL.</summary>
    public string ReadString(string field)
    {
        long start = Position;
        int length = ReadUInt16(field + " length");
        if (length == 0) throw Invalid(start, $"{field} has length 0; a string holds at least its terminating NUL");
        var bytes = ReadExactly(length, field);
        if (bytes[^1] != 0) throw Invalid(start, $"{field} of {length} bytes does not end in NUL");
        if (Array.IndexOf(bytes, (byte)0) != length - 1) throw Invalid(start, $"{field} holds a NUL before its end");
        try
        {
            return StrictUtf8.GetString(bytes, 0, length - 1);
        }
        catch (DecoderFallbackException)
        {
            throw Invalid(start, $"{field} is not valid UTF-8");
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes.</summary>
    public byte[] ReadExactly(long count, string field)
    {
        if (count > Length - Position)
            throw Invalid(Position, $"truncated: {field} needs {count} bytes but the file ends at byte {Length}");
        var bytes = new byte[count];
        _stream.ReadExactly(bytes);
        Position += count;
        return bytes;
    }

    /// <summary>An exception naming the file, <paramref name="offset"/> and the current <see cref="Context"/>.</summary>
    public InvalidDataException Invalid(long offset, string message) =>
        new($"CTranslate2 model '{_path}', byte {offset}{(Context is null ? "" : ", " + Context)}: {message}");
}
