using System.Text;

namespace EncDec.Text.Training;

/// <summary>
/// Cuts the text of special pieces ("&lt;unk&gt;", "&lt;s&gt;", "&lt;/s&gt;", byte pieces) out of normalised
/// training text, leaving a tab where each was, as SentencePiece's trainer does with its meta-piece
/// <c>PrefixMatcher::GlobalReplace</c>: no learned piece may then contain or cross them.
/// </summary>
internal sealed class MetaPieceMatcher(IReadOnlyList<string> metaPieces)
{
    private readonly byte[][] pieces = [.. metaPieces.Select(Encoding.UTF8.GetBytes).Where(p => p.Length > 0).OrderByDescending(p => p.Length)];
    private readonly bool[] firstBytes = FirstBytes(metaPieces);

    /// <summary>The code points of UTF-8 <paramref name="text"/>, the longest special piece at each position replaced by a tab.</summary>
    public int[] CutOut(ReadOnlySpan<byte> text)
    {
        var result = new List<int>(text.Length);
        while (!text.IsEmpty)
        {
            int matched = MatchAt(text);
            if (matched > 0)
            {
                result.Add(PieceValidator.Boundary);
                text = text[matched..];
                continue;
            }
            int c = SentencePieceUtf8.Decode(text, out int length);
            result.Add(c);
            text = text[length..];
        }
        return [.. result];
    }

    private int MatchAt(ReadOnlySpan<byte> text)
    {
        if (!firstBytes[text[0]]) return 0;
        foreach (var piece in pieces)
            if (text.StartsWith(piece)) return piece.Length;
        return 0;
    }

    private static bool[] FirstBytes(IReadOnlyList<string> metaPieces)
    {
        var first = new bool[256];
        foreach (string piece in metaPieces)
            if (piece.Length > 0) first[Encoding.UTF8.GetBytes(piece)[0]] = true;
        return first;
    }
}
