using System.Runtime.InteropServices;
using System.Text;

namespace EncDec.Text.Training;

/// <summary>
/// Compares code-point arrays by content: equality and hashing for dictionaries, and the order of their UTF-8
/// bytes (which is code-point order) for the ties SentencePiece breaks by comparing <c>std::string</c>s.
/// </summary>
internal sealed class CodePoints : IEqualityComparer<int[]>, IComparer<int[]>, IAlternateEqualityComparer<ReadOnlySpan<int>, int[]>
{
    /// <summary>The one instance.</summary>
    public static readonly CodePoints Comparer = new();

    /// <inheritdoc/>
    public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

    /// <inheritdoc/>
    public int GetHashCode(int[] obj) => GetHashCode(obj.AsSpan());

    /// <inheritdoc/>
    public bool Equals(ReadOnlySpan<int> alternate, int[] other) => alternate.SequenceEqual(other);

    /// <inheritdoc/>
    public int GetHashCode(ReadOnlySpan<int> alternate)
    {
        var hash = new HashCode();
        hash.AddBytes(MemoryMarshal.AsBytes(alternate));
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public int[] Create(ReadOnlySpan<int> alternate) => alternate.ToArray();

    /// <inheritdoc/>
    public int Compare(int[]? x, int[]? y) => x.AsSpan().SequenceCompareTo(y);

    /// <summary>The text of <paramref name="codePoints"/>.</summary>
    public static string ToText(ReadOnlySpan<int> codePoints)
    {
        var text = new StringBuilder(codePoints.Length);
        foreach (int c in codePoints) text.Append(char.ConvertFromUtf32(c));
        return text.ToString();
    }
}
