namespace EncDec.Text;

/// <summary>
/// SentencePiece's own UTF-8 helpers (util.h / util.cc, <c>string_util</c>), whose treatment of malformed input
/// the tokenizer must share to give the same pieces: a character's length is read from its lead byte alone, and a
/// malformed sequence is one byte long and decodes to U+FFFD.
/// </summary>
internal static class SentencePieceUtf8
{
    /// <summary>U+FFFD, which SentencePiece also returns as its decoding error value (<c>kUnicodeError</c>).</summary>
    public const int ReplacementCharacter = 0xFFFD;

    /// <summary>U+FFFD in UTF-8.</summary>
    public static ReadOnlySpan<byte> ReplacementUtf8 => [0xEF, 0xBF, 0xBD];

    /// <summary>U+2581 "▁" in UTF-8, the escaped space.</summary>
    public static ReadOnlySpan<byte> SpaceSymbol => [0xE2, 0x96, 0x81];

    // string_util::OneCharLen: the length a lead byte announces, indexed by its high nibble (1 for trail bytes).
    private static ReadOnlySpan<byte> LengthByHighNibble => [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4];

    /// <summary>The length of the character starting at <paramref name="text"/>[0], clipped to the text.</summary>
    public static int CharLength(ReadOnlySpan<byte> text) => Math.Min(LengthByHighNibble[text[0] >> 4], text.Length);

    /// <summary>
    /// <c>string_util::DecodeUTF8</c>: the code point at the start of <paramref name="text"/> and its length, or
    /// U+FFFD and length 1 for a malformed, overlong, surrogate or truncated sequence.
    /// </summary>
    public static int Decode(ReadOnlySpan<byte> text, out int length)
    {
        int b0 = text[0];
        length = 1;
        if (b0 < 0x80) return b0;
        if (text.Length >= 2 && (b0 & 0xE0) == 0xC0)
        {
            int cp = ((b0 & 0x1F) << 6) | (text[1] & 0x3F);
            if (IsTrail(text[1]) && cp >= 0x80 && IsValidCodePoint(cp)) return Accept(cp, 2, out length);
        }
        else if (text.Length >= 3 && (b0 & 0xF0) == 0xE0)
        {
            int cp = ((b0 & 0x0F) << 12) | ((text[1] & 0x3F) << 6) | (text[2] & 0x3F);
            if (IsTrail(text[1]) && IsTrail(text[2]) && cp >= 0x800 && IsValidCodePoint(cp)) return Accept(cp, 3, out length);
        }
        else if (text.Length >= 4 && (b0 & 0xF8) == 0xF0)
        {
            int cp = ((b0 & 0x07) << 18) | ((text[1] & 0x3F) << 12) | ((text[2] & 0x3F) << 6) | (text[3] & 0x3F);
            if (IsTrail(text[1]) && IsTrail(text[2]) && IsTrail(text[3]) && cp >= 0x10000 && IsValidCodePoint(cp))
                return Accept(cp, 4, out length);
        }
        return ReplacementCharacter;
    }

    /// <summary>
    /// <c>string_util::IsValidDecodeUTF8</c>: whether the text starts with a well-formed character (a literal U+FFFD,
    /// three bytes long, counts as well-formed), and its length.
    /// </summary>
    public static bool IsValidAtStart(ReadOnlySpan<byte> text, out int length) =>
        Decode(text, out length) != ReplacementCharacter || length == 3;

    private static int Accept(int codePoint, int byteCount, out int length)
    {
        length = byteCount;
        return codePoint;
    }

    private static bool IsTrail(byte b) => (b & 0xC0) == 0x80;

    private static bool IsValidCodePoint(int cp) => cp < 0xD800 || (cp >= 0xE000 && cp <= 0x10FFFF);
}
