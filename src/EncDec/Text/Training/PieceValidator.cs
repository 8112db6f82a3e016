namespace EncDec.Text.Training;

/// <summary>
/// Which character sequences may become pieces: SentencePiece's <c>TrainerInterface::IsValidSentencePiece</c> with
/// spm_train's defaults (split by whitespace, by Unicode script and by number; "▁" only at the start).
/// </summary>
/// <remarks>
/// A piece is 1 to <c>maxLength</c> characters, never contains the unknown marker U+2585, a tab (the boundary left
/// where a special piece's text was), a space or NUL, has "▁" only as its first character, and keeps to one
/// Unicode script: Hiragana, Katakana and the prolonged sound mark count as Han, combining marks take the script
/// before them, and digits count as Common. With split digits, a digit is a piece on its own.
/// </remarks>
internal sealed class PieceValidator(int maxLength, bool splitDigits)
{
    /// <summary>U+2581 "▁", the escaped space that starts a word.</summary>
    public const int SpaceSymbol = 0x2581;

    /// <summary>U+2585, which stands for every character outside the alphabet during training.</summary>
    public const int UnknownSymbol = 0x2585;

    /// <summary>The tab that replaces a special piece's text (<c>kUPPBoundaryChar</c>).</summary>
    public const int Boundary = '\t';

    private const int AnyScript = -1;

    /// <summary>The longest piece, in characters.</summary>
    public int MaxLength => maxLength;

    /// <summary>Whether <paramref name="piece"/> (code points) may be a piece.</summary>
    public bool IsValid(ReadOnlySpan<int> piece)
    {
        if (piece.IsEmpty || piece.Length > maxLength) return false;
        int previous = AnyScript;
        for (int pos = 0; pos < piece.Length; pos++)
        {
            int c = piece[pos];
            if (c is UnknownSymbol or 0 or Boundary or ' ' || !IsValidCodePoint(c)) return false;
            if (c == SpaceSymbol)
            {
                if (pos > 0) return false;
                continue;
            }
            int script = ScriptOf(c, previous);
            if (splitDigits && IsDecimalDigit(c) && piece.Length > 1) return false;
            if (script != AnyScript && previous != AnyScript && previous != script) return false;
            previous = script;
        }
        return true;
    }

    private static int ScriptOf(int c, int previous)
    {
        int script = UnicodeScript.Of(c);
        if (script is UnicodeScript.Hiragana or UnicodeScript.Katakana || c == 0x30FC) return UnicodeScript.Han;
        return script == UnicodeScript.Inherited ? previous : script;
    }

    // is_unicode_decimal_number: ASCII and fullwidth digits only.
    private static bool IsDecimalDigit(int c) => c is (>= '0' and <= '9') or (>= 0xFF10 and <= 0xFF19);

    private static bool IsValidCodePoint(int c) => c is (>= 0 and < 0xD800) or (>= 0xE000 and <= 0x10FFFF);
}
