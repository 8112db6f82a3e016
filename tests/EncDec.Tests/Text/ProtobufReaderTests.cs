using EncDec.Text;

namespace EncDec.Tests.Text;

/// <summary>
/// <see cref="ProtobufReader"/> on hand-made bytes. The golden encodings are the worked examples of the protobuf
/// encoding guide (https://protobuf.dev/programming-guides/encoding/): field 1 = 150 is <c>08 96 01</c>, field 2 =
/// "testing" is <c>12 07 74 65 73 74 69 6e 67</c>, and int32 -2 is a 10-byte varint.
/// </summary>
public class ProtobufReaderTests
{
    [Fact]
    public void Varint150_InField1_ReadsAsTheGuideSays()
    {
        var reader = new ProtobufReader([0x08, 0x96, 0x01], "test");

        Assert.True(reader.TryReadTag(out int field, out var wire));
        Assert.Equal((1, WireType.Varint), (field, wire));
        Assert.Equal(150UL, reader.ReadVarint());
        Assert.False(reader.TryReadTag(out _, out _));
    }

    [Fact]
    public void StringField_ReadsTheUtf8Payload()
    {
        var reader = new ProtobufReader([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67], "test");

        Assert.True(reader.TryReadTag(out int field, out var wire));
        Assert.Equal((2, WireType.LengthDelimited), (field, wire));
        Assert.Equal("testing", reader.ReadString());
    }

    [Fact]
    public void NegativeInt32_IsATenByteVarint_ThatTruncatesBack()
    {
        var reader = new ProtobufReader([0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], "test");

        Assert.Equal(-2, reader.ReadInt32());
        Assert.Equal(10, reader.Position);
    }

    [Fact]
    public void FloatAndFixed64_AreLittleEndian()
    {
        var bytes = new ProtobufWriter().FloatField(2, -2.5f).Fixed64Field(3, 0x0102030405060708).ToArray();
        var reader = new ProtobufReader(bytes, "test");

        Assert.True(reader.TryReadTag(out _, out var wire));
        Assert.Equal(WireType.Fixed32, wire);
        Assert.Equal(-2.5f, reader.ReadFloat());
        Assert.True(reader.TryReadTag(out _, out wire));
        Assert.Equal(WireType.Fixed64, wire);
        Assert.Equal(0x0102030405060708UL, reader.ReadFixed64());
    }

    [Fact]
    public void EmbeddedMessage_IsReadWithinItsLength_AndTheOuterReaderMovesPast()
    {
        var inner = new ProtobufWriter().VarintField(1, 7);
        var bytes = new ProtobufWriter().MessageField(1, inner).VarintField(2, 9).ToArray();
        var outer = new ProtobufReader(bytes, "test");

        Assert.True(outer.TryReadTag(out _, out _));
        var message = outer.ReadMessage();
        Assert.True(message.TryReadTag(out int field, out _));
        Assert.Equal((1, 7UL), (field, message.ReadVarint()));
        Assert.False(message.TryReadTag(out _, out _));
        Assert.True(outer.TryReadTag(out field, out _));
        Assert.Equal((2, 9UL), (field, outer.ReadVarint()));
    }

    [Fact]
    public void UnknownFields_OfEveryWireType_AreSkipped()
    {
        // Group 9 holds a varint field; then fixed32, fixed64, bytes, varint; then the field we want.
        var bytes = new ProtobufWriter()
            .Tag(9, 3).VarintField(1, 5).Tag(9, 4)
            .FloatField(10, 1f).Fixed64Field(11, 2).StringField(12, "skip").VarintField(13, 300)
            .VarintField(1, 42).ToArray();
        var reader = new ProtobufReader(bytes, "test");

        int field;
        WireType wire;
        while (reader.TryReadTag(out field, out wire) && field != 1) reader.Skip(field, wire);
        Assert.Equal(1, field);
        Assert.Equal(42UL, reader.ReadVarint());
    }

    [Theory]
    [InlineData(new byte[] { 0x08, 0x96 }, "truncated varint at byte 1")]
    [InlineData(new byte[] { 0x12, 0x07, 0x74, 0x65 }, "length-delimited field of 7 bytes, but only 2 remain in its message at byte 1")]
    [InlineData(new byte[] { 0x00, 0x01 }, "field number 0 in a tag at byte 0")]
    [InlineData(new byte[] { 0x08, 0x01, 0x0E }, "unknown wire type 6 (field 1) at byte 2")]
    [InlineData(new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }, "varint longer than 10 bytes at byte 1")]
    [InlineData(new byte[] { 0x0D, 0x00, 0x00 }, "truncated fixed32 at byte 1")]
    [InlineData(new byte[] { 0x4B, 0x08, 0x01 }, "group 9 is not closed at byte 1")]
    public void CorruptInput_ThrowsInvalidData_NamingTheSourceAndOffset(byte[] bytes, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => SkipAll(bytes));

        Assert.Equal($"'corrupt.bin' is not a valid SentencePiece model: {expected}", error.Message);
    }

    private static void SkipAll(byte[] bytes)
    {
        var reader = new ProtobufReader(bytes, "corrupt.bin");
        while (reader.TryReadTag(out int field, out var wire)) reader.Skip(field, wire);
    }
}
