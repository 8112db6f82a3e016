using System.Buffers.Binary;
using System.Text;

namespace EncDec.Text;

/// <summary>The wire types of the protobuf binary encoding (the low 3 bits of a field's tag).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}

/// <summary>
/// Reads the protobuf binary wire format (https://protobuf.dev/programming-guides/encoding/): tags, varints,
/// fixed 32/64-bit values and length-delimited fields, and skips the fields a caller does not know.
/// </summary>
/// <remarks>
/// Written here rather than taken from Google.Protobuf because that package needs classes generated from the
/// .proto by protoc; SentencePiece's model file needs a dozen fields, which this reader of ~150 lines covers.
/// Every read is bounds-checked against the current message, so a corrupt or truncated file ends in an
/// <see cref="InvalidDataException"/> that names the file and the absolute byte offset, never in a crash or a loop
/// (each read advances, and group nesting is bounded).
/// </remarks>
internal ref struct ProtobufReader
{
    private const int MaxGroupDepth = 64;

    private readonly ReadOnlySpan<byte> file;
    private readonly int end;
    private readonly string source;
    private int position;

    /// <summary>A reader over a whole file (or any buffer) named <paramref name="source"/> in error messages.</summary>
    public ProtobufReader(ReadOnlySpan<byte> file, string source) : this(file, 0, file.Length, source) { }

    private ProtobufReader(ReadOnlySpan<byte> file, int start, int end, string source)
    {
        this.file = file;
        this.position = start;
        this.end = end;
        this.source = source;
    }

    /// <summary>The absolute byte offset of the next read in the file.</summary>
    public readonly int Position => position;

    /// <summary>Reads the next tag; false at the end of the current message.</summary>
    public bool TryReadTag(out int field, out WireType wireType)
    {
        field = 0;
        wireType = default;
        if (position >= end) return false;
        int at = position;
        ulong tag = ReadVarint();
        field = (int)Math.Min(tag >> 3, int.MaxValue);
        wireType = (WireType)(tag & 7);
        if (field == 0) throw Corrupt("field number 0 in a tag", at);
        if (wireType > WireType.Fixed32) throw Corrupt($"unknown wire type {(int)wireType} (field {field})", at);
        return true;
    }

    /// <summary>Reads a base-128 varint of at most 10 bytes.</summary>
    public ulong ReadVarint()
    {
        int at = position;
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (position >= end) throw Corrupt("truncated varint", at);
            byte b = file[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw Corrupt("varint longer than 10 bytes", at);
    }

    /// <summary>An int32 field: negative values are sign-extended to 10-byte varints, so truncation restores them.</summary>
    public int ReadInt32() => unchecked((int)ReadVarint());

    /// <summary>A bool field (any non-zero varint is true, as in the C++ runtime).</summary>
    public bool ReadBool() => ReadVarint() != 0;

    /// <summary>A little-endian fixed 32-bit field.</summary>
    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, "fixed32"));

    /// <summary>A little-endian fixed 64-bit field.</summary>
    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, "fixed64"));

    /// <summary>A float field (wire type fixed32).</summary>
    public float ReadFloat() => BitConverter.UInt32BitsToSingle(ReadFixed32());

    /// <summary>The payload of a length-delimited field (bytes, string or message).</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        int at = position;
        ulong length = ReadVarint();
        if (length > (ulong)(end - position))
            throw Corrupt($"length-delimited field of {length} bytes, but only {end - position} remain in its message", at);
        return Take((int)length, "length-delimited field");
    }

    /// <summary>A string field, decoded as UTF-8 (invalid sequences become U+FFFD, as proto2 does not validate).</summary>
    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    /// <summary>A reader over the embedded message at the current position; this reader moves past it.</summary>
    public ProtobufReader ReadMessage()
    {
        int length = ReadBytes().Length;
        return new ProtobufReader(file, position - length, position, source);
    }

    /// <summary>Skips the payload of a field whose tag has just been read.</summary>
    public void Skip(int field, WireType wireType) => Skip(field, wireType, 0);

    /// <summary>Throws unless a known field arrived with the wire type its declaration implies.</summary>
    public readonly void Expect(int field, WireType actual, WireType expected, int tagOffset)
    {
        if (actual != expected)
            throw Corrupt($"field {field} has wire type {actual}, expected {expected}", tagOffset);
    }

    /// <summary>An exception naming the file, the byte offset and what is wrong there.</summary>
    public readonly InvalidDataException Corrupt(string reason, int offset) => CorruptAt(source, reason, offset);

    /// <summary>The exception all corrupt-file errors use: "'file' is corrupt at byte N: reason".</summary>
    public static InvalidDataException CorruptAt(string source, string reason, long offset) =>
        new($"'{source}' is not a valid SentencePiece model: {reason} at byte {offset}");

    private void Skip(int field, WireType wireType, int depth)
    {
        switch (wireType)
        {
            case WireType.Varint: ReadVarint(); break;
            case WireType.Fixed64: Take(8, "fixed64"); break;
            case WireType.Fixed32: Take(4, "fixed32"); break;
            case WireType.LengthDelimited: ReadBytes(); break;
            case WireType.StartGroup: SkipGroup(field, depth + 1); break;
            default: throw Corrupt($"unexpected end-group tag (field {field})", position);
        }
    }

    // Groups are deprecated and SentencePiece never writes them, but an unknown field may still be one.
    private void SkipGroup(int group, int depth)
    {
        int at = position;
        if (depth > MaxGroupDepth) throw Corrupt($"groups nested deeper than {MaxGroupDepth}", at);
        while (TryReadTag(out int field, out var wireType))
        {
            if (wireType == WireType.EndGroup)
            {
                if (field != group) throw Corrupt($"end of group {field} inside group {group}", at);
                return;
            }
            Skip(field, wireType, depth);
        }
        throw Corrupt($"group {group} is not closed", at);
    }

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (count > end - position) throw Corrupt($"truncated {what}", position);
        var bytes = file.Slice(position, count);
        position += count;
        return bytes;
    }
}
