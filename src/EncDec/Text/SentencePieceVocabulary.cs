using System.Globalization;
using System.Text;

namespace EncDec.Text;

/// <summary>
/// The pieces of a model with the lookups SentencePiece's <c>ModelInterface</c> builds from them: piece to id
/// (control, unknown and byte pieces first, then the rest), the trie of pieces that segmentation may produce, and
/// the matcher of user-defined symbols.
/// </summary>
internal sealed class SentencePieceVocabulary
{
    private readonly SentencePieceEntry[] entries;
    private readonly byte[][] utf8;
    private readonly PieceTrie reserved;
    private readonly PieceTrie userDefined;

    /// <summary>Builds the lookups; <paramref name="entries"/> must have passed <see cref="SentencePieceModelParser"/>'s checks.</summary>
    public SentencePieceVocabulary(IReadOnlyList<SentencePieceEntry> entries)
    {
        // Plain loops rather than LINQ: this runs once per process in encdec tokenize, where compiling LINQ's
        // iterators over a value type cost more start-up time than the loops themselves take.
        int count = entries.Count;
        this.entries = new SentencePieceEntry[count];
        utf8 = new byte[count][];
        // InitializePieces: NORMAL, USER_DEFINED and UNUSED pieces go to pieces_, the others to reserved_id_map_.
        var segmentable = new List<(byte[] Key, int Id)>(count);
        var reservedPieces = new List<(byte[] Key, int Id)>();
        var userDefinedPieces = new List<(byte[] Key, int Id)>();
        UnknownId = -1;
        MinScore = float.MaxValue;
        MaxScore = MinPositiveNormalFloat;
        for (int id = 0; id < count; id++)
        {
            var entry = this.entries[id] = entries[id];
            byte[] key = utf8[id] = Encoding.UTF8.GetBytes(entry.Piece);
            (IsSegmentable(entry.Type) ? segmentable : reservedPieces).Add((key, id));
            if (entry.Type == SentencePieceType.UserDefined) userDefinedPieces.Add((key, id));
            if (entry.Type == SentencePieceType.Unknown && UnknownId < 0) UnknownId = id;
            if (entry.Type != SentencePieceType.Normal) continue;
            MinScore = Math.Min(MinScore, entry.Score);
            MaxScore = Math.Max(MaxScore, entry.Score);
        }
        Segmentable = new PieceTrie(segmentable);
        reserved = new PieceTrie(reservedPieces);
        userDefined = new PieceTrie(userDefinedPieces);
    }

    // unigram::Model starts max_score_ at C's FLT_MIN, the smallest positive normal float, not at -FLT_MAX; with the
    // negative scores of a unigram model it stays there, and user-defined pieces score about -0.1 per piece.
    private const float MinPositiveNormalFloat = 1.17549435E-38f;

    /// <summary>The number of pieces.</summary>
    public int Count => entries.Length;

    /// <summary>The id of the one piece of type <see cref="SentencePieceType.Unknown"/>.</summary>
    public int UnknownId { get; }

    /// <summary>The smallest score of a normal piece (<c>min_score_</c>).</summary>
    public float MinScore { get; }

    /// <summary>The largest score of a normal piece, at least FLT_MIN (<c>max_score_</c>).</summary>
    public float MaxScore { get; }

    /// <summary>The pieces segmentation may produce: normal, user-defined and unused ones (<c>pieces_</c>).</summary>
    public PieceTrie Segmentable { get; }

    /// <summary>Whether the model defines user-defined symbols.</summary>
    public bool HasUserDefined => !userDefined.IsEmpty;

    /// <summary>The entry of <paramref name="id"/>.</summary>
    public SentencePieceEntry this[int id] => entries[id];

    /// <summary>The piece of <paramref name="id"/> in UTF-8.</summary>
    public ReadOnlySpan<byte> Utf8(int id) => utf8[id];

    /// <summary>The type of <paramref name="id"/>.</summary>
    public SentencePieceType Type(int id) => entries[id].Type;

    /// <summary>
    /// <c>ModelInterface::PieceToId</c>: reserved pieces (control, unknown, byte) first, then the others; the
    /// unknown id when the piece is not in the vocabulary.
    /// </summary>
    public int PieceToId(ReadOnlySpan<byte> piece)
    {
        int id = reserved.Find(piece);
        if (id < 0) id = Segmentable.Find(piece);
        return id < 0 ? UnknownId : id;
    }

    /// <summary>
    /// <c>PrefixMatcher::PrefixMatch</c> over the user-defined symbols: the length of the longest one that starts
    /// <paramref name="text"/> (found), or else the length of its first character (not found).
    /// </summary>
    public int MatchUserDefined(ReadOnlySpan<byte> text, out bool found)
    {
        int length = userDefined.IsEmpty ? 0 : userDefined.LongestPrefixLength(text);
        found = length > 0;
        return found ? length : SentencePieceUtf8.CharLength(text);
    }

    /// <summary>The byte a piece <c>&lt;0xXX&gt;</c> (upper-case hex, as SentencePiece writes it) stands for, or -1.</summary>
    public static int PieceToByte(string piece) =>
        piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal) && piece[5] == '>'
        && piece[3..5].All(c => char.IsAsciiDigit(c) || c is >= 'A' and <= 'F')
            ? int.Parse(piece.AsSpan(3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
            : -1;

    /// <summary>The piece <c>&lt;0xXX&gt;</c> of a byte (<c>ByteToPiece</c>).</summary>
    public static string ByteToPiece(byte value) => $"<0x{value:X2}>";

    private static bool IsSegmentable(SentencePieceType type) =>
        type is SentencePieceType.Normal or SentencePieceType.UserDefined or SentencePieceType.Unused;
}
