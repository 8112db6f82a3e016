using System.Globalization;

namespace EncDec.Cli.Commands;

/// <summary>
/// The text of a batch of output lines, built in one growable char array and written with one call, so that
/// formatting a token costs no string.
/// </summary>
internal sealed class LineOutputBuffer
{
    private char[] chars = new char[1 << 14];

    /// <summary>The number of chars written.</summary>
    public int Length { get; private set; }

    /// <summary>The chars written so far.</summary>
    public ReadOnlySpan<char> Written => chars.AsSpan(0, Length);

    /// <summary>Forgets the text, keeping the array.</summary>
    public void Clear() => Length = 0;

    /// <summary>Forgets the text after the first <paramref name="length"/> chars (what a failed line had appended).</summary>
    public void Truncate(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)length, (uint)Length, nameof(length));
        Length = length;
    }

    /// <summary>Appends one char.</summary>
    public void Append(char c)
    {
        if (Length == chars.Length) Grow(1);
        chars[Length++] = c;
    }

    /// <summary>Appends chars.</summary>
    public void Append(ReadOnlySpan<char> text)
    {
        if (chars.Length - Length < text.Length) Grow(text.Length);
        text.CopyTo(chars.AsSpan(Length));
        Length += text.Length;
    }

    /// <summary>Appends a non-negative or negative integer in invariant decimal form.</summary>
    public void Append(int value)
    {
        if (chars.Length - Length < 11) Grow(11);
        value.TryFormat(chars.AsSpan(Length), out int written, default, CultureInfo.InvariantCulture);
        Length += written;
    }

    private void Grow(int needed) => Array.Resize(ref chars, Math.Max(chars.Length * 2, Length + needed));
}
