using System.Buffers.Binary;
using System.Text;

namespace EncDec.Tests.Text;

/// <summary>
/// Writes the protobuf wire format by hand (https://protobuf.dev/programming-guides/encoding/), to build small
/// inputs for <c>ProtobufReader</c> and small SentencePiece models for the segmenters.
/// </summary>
internal sealed class ProtobufWriter
{
    private readonly List<byte> bytes = [];

    /// <summary>The bytes written so far.</summary>
    public byte[] ToArray() => [.. bytes];

    /// <summary>A raw varint (no tag).</summary>
    public ProtobufWriter Varint(ulong value)
    {
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
        return this;
    }

    /// <summary>A tag: field number and wire type.</summary>
    public ProtobufWriter Tag(int field, int wireType) => Varint(((ulong)field << 3) | (uint)wireType);

    /// <summary>A varint field; negative int32 values are sign-extended to 64 bits, as protobuf does.</summary>
    public ProtobufWriter VarintField(int field, long value) => Tag(field, 0).Varint(unchecked((ulong)value));

    /// <summary>A float field (wire type 5).</summary>
    public ProtobufWriter FloatField(int field, float value)
    {
        Tag(field, 5);
        Span<byte> raw = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(raw, value);
        bytes.AddRange(raw);
        return this;
    }

    /// <summary>A fixed64 field (wire type 1).</summary>
    public ProtobufWriter Fixed64Field(int field, ulong value)
    {
        Tag(field, 1);
        Span<byte> raw = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(raw, value);
        bytes.AddRange(raw);
        return this;
    }

    /// <summary>A length-delimited field holding <paramref name="payload"/>.</summary>
    public ProtobufWriter BytesField(int field, ReadOnlySpan<byte> payload)
    {
        Tag(field, 2).Varint((ulong)payload.Length);
        bytes.AddRange(payload);
        return this;
    }

    /// <summary>A string field (UTF-8).</summary>
    public ProtobufWriter StringField(int field, string value) => BytesField(field, Encoding.UTF8.GetBytes(value));

    /// <summary>An embedded message field.</summary>
    public ProtobufWriter MessageField(int field, ProtobufWriter message) => BytesField(field, message.ToArray());

    /// <summary>
    /// A SentencePiece <c>ModelProto</c> with the given pieces, model type (1 unigram, 2 BPE) and normaliser flags, no
    /// precompiled rule unless given.
    /// </summary>
    public static byte[] Model(IEnumerable<(string Piece, float Score, int Type)> pieces, int modelType,
        bool addDummyPrefix = false, byte[]? charsMap = null, bool byteFallback = false)
    {
        var model = new ProtobufWriter();
        foreach (var (piece, score, type) in pieces)
            model.MessageField(1, new ProtobufWriter().StringField(1, piece).FloatField(2, score).VarintField(3, type));
        model.MessageField(2, new ProtobufWriter().VarintField(3, modelType).VarintField(35, byteFallback ? 1 : 0));
        var normalizer = new ProtobufWriter().StringField(1, "test").VarintField(3, addDummyPrefix ? 1 : 0);
        if (charsMap is not null) normalizer.BytesField(2, charsMap);
        return model.MessageField(3, normalizer).ToArray();
    }
}
