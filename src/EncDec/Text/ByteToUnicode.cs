namespace EncDec.Text;

/// <summary>
/// GPT-2's reversible byte-to-character table (<c>bytes_to_unicode</c> in openai/gpt-2 <c>encoder.py</c>, the same
/// as <c>bytes_char</c> in Hugging Face tokenizers' <c>byte_level.rs</c>): the printable bytes <c>!</c>..<c>~</c>,
/// <c>¡</c>..<c>¬</c> and <c>®</c>..<c>ÿ</c> stand for themselves, and the other 68 bytes (controls, space, DEL,
/// NBSP, soft hyphen) take U+0100, U+0101, ... in byte order, so that every byte is one visible character and a
/// byte-level BPE vocabulary is a set of ordinary strings (space is "Ġ", U+0120; newline "Ċ", U+010A).
/// </summary>
public static class ByteToUnicode
{
    private static readonly char[] ByteToChar = BuildTable();
    private static readonly short[] CharToByte = BuildInverse(ByteToChar);

    /// <summary>The character that stands for <paramref name="value"/>.</summary>
    public static char ToChar(byte value) => ByteToChar[value];

    /// <summary>The byte that <paramref name="symbol"/> stands for, or false when it stands for none.</summary>
    public static bool TryGetByte(char symbol, out byte value)
    {
        int b = symbol < CharToByte.Length ? CharToByte[symbol] : -1;
        value = (byte)b;
        return b >= 0;
    }

    /// <summary>The byte-level string of <paramref name="bytes"/>: one character per byte.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes) =>
        string.Create(bytes.Length, bytes, static (chars, source) =>
        {
            for (int i = 0; i < chars.Length; i++) chars[i] = ByteToChar[source[i]];
        });

    private static char[] BuildTable()
    {
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }

    private static short[] BuildInverse(char[] table)
    {
        var inverse = new short[table.Max() + 1];
        Array.Fill(inverse, (short)-1);
        for (int b = 0; b < table.Length; b++) inverse[table[b]] = (short)b;
        return inverse;
    }
}
