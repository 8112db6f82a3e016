using System.Buffers.Binary;
using System.Text;

namespace EncDec.Text;

/// <summary>
/// Writes the protobuf binary wire format (https://protobuf.dev/programming-guides/encoding/): the counterpart of
/// <see cref="ProtobufReader"/>, with just the field kinds a SentencePiece model needs (varint, float, bytes,
/// string, embedded message).
/// </summary>
/// <remarks>
/// Fields are written in the order they are called, which is how protoc-generated serializers order them too
/// (by field number), so that a reader that stops early still sees the pieces first.
/// </remarks>
internal sealed class ProtobufWireWriter
{
    private readonly MemoryStream bytes = new();

    /// <summary>The bytes written so far.</summary>
    public byte[] ToArray() => bytes.ToArray();

    /// <summary>A varint field; a negative value is sign-extended to ten bytes, as protobuf writes int32 fields.</summary>
    public ProtobufWireWriter Varint(int field, long value)
    {
        Tag(field, WireType.Varint);
        RawVarint(unchecked((ulong)value));
        return this;
    }

    /// <summary>A bool field (a varint 0 or 1).</summary>
    public ProtobufWireWriter Bool(int field, bool value) => Varint(field, value ? 1 : 0);

    /// <summary>A float field (wire type 5, little-endian IEEE 754).</summary>
    public ProtobufWireWriter Float(int field, float value)
    {
        Tag(field, WireType.Fixed32);
        Span<byte> raw = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(raw, value);
        bytes.Write(raw);
        return this;
    }

    /// <summary>A length-delimited field holding <paramref name="payload"/>.</summary>
    public ProtobufWireWriter Bytes(int field, ReadOnlySpan<byte> payload)
    {
        Tag(field, WireType.LengthDelimited);
        RawVarint((ulong)payload.Length);
        bytes.Write(payload);
        return this;
    }

    /// <summary>A string field, UTF-8 encoded.</summary>
    public ProtobufWireWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>An embedded message field.</summary>
    public ProtobufWireWriter Message(int field, ProtobufWireWriter message) => Bytes(field, message.ToArray());

    private void Tag(int field, WireType wireType) => RawVarint(((ulong)(uint)field << 3) | (uint)wireType);

    private void RawVarint(ulong value)
    {
        while (value >= 0x80)
        {
            bytes.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.WriteByte((byte)value);
    }
}
