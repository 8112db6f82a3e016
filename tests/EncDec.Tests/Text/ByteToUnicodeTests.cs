using EncDec.Text;

namespace EncDec.Tests.Text;

/// <summary>GPT-2's <c>bytes_to_unicode</c> table, against values printed by openai/gpt-2's <c>encoder.py</c>.</summary>
public class ByteToUnicodeTests
{
    [Theory]
    [InlineData(0x00, 'Ā')]     // U+0100: the first unprintable byte takes the first character past 255
    [InlineData(0x0A, 'Ċ')]     // newline
    [InlineData(0x20, 'Ġ')]     // space, U+0120
    [InlineData(0x21, '!')]
    [InlineData(0x41, 'A')]
    [InlineData(0x7E, '~')]
    [InlineData(0x7F, 'ġ')]     // DEL, U+0121
    [InlineData(0xA0, 'ł')]     // NBSP, U+0142
    [InlineData(0xA1, '¡')]
    [InlineData(0xAD, 'Ń')]     // soft hyphen, U+0143, the last of the 68 shifted bytes
    [InlineData(0xC3, 'Ã')]
    [InlineData(0xFF, 'ÿ')]
    public void Byte_MapsToGpt2sCharacter(int value, char expected)
    {
        Assert.Equal(expected, ByteToUnicode.ToChar((byte)value));
        Assert.True(ByteToUnicode.TryGetByte(expected, out byte back));
        Assert.Equal(value, back);
    }

    [Fact]
    public void Table_IsABijectionOnto256Characters()
    {
        var chars = Enumerable.Range(0, 256).Select(b => ByteToUnicode.ToChar((byte)b)).ToList();
        Assert.Equal(256, chars.Distinct().Count());
        Assert.All(chars, c => Assert.InRange(c, '!', 'Ń'));
        Assert.False(ByteToUnicode.TryGetByte(' ', out _));
        Assert.False(ByteToUnicode.TryGetByte('Ŕ', out _));
        Assert.False(ByteToUnicode.TryGetByte('€', out _));
    }

    [Fact]
    public void Encode_WritesOneCharacterPerByte() =>
        Assert.Equal("ĠhÃ©Ċ", ByteToUnicode.Encode(" h\u00E9\n"u8));
}
