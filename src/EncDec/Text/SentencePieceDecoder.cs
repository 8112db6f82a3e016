using System.Text;

namespace EncDec.Text;

/// <summary>
/// Turns ids back into text as SentencePiece 0.1.97's <c>SentencePieceProcessor::Decode</c>: pieces are joined with
/// "▁" read as a space, control pieces vanish, the unknown piece becomes the unknown surface (" ⁇ "), runs of
/// byte pieces are reassembled into UTF-8, and while the text is still empty a piece loses one leading "▁" (the
/// dummy prefix).
/// </summary>
internal sealed class SentencePieceDecoder(
    SentencePieceVocabulary vocabulary, SentencePieceModelProto model, SentencePieceNormalizer? denormalizer)
{
    private readonly byte[] unknownSurface = Encoding.UTF8.GetBytes(model.TrainerSpec.UnknownSurface);
    private readonly bool stripLeadingSpace =
        model.NormalizerSpec.AddDummyPrefix || model.NormalizerSpec.RemoveExtraWhitespaces;

    /// <summary>The text of <paramref name="ids"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var text = new List<byte>();
        var pendingBytes = new List<byte>();
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)vocabulary.Count)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"id outside the vocabulary of {vocabulary.Count} pieces");
            var type = vocabulary.Type(id);
            if (type == SentencePieceType.Byte)
            {
                pendingBytes.Add((byte)SentencePieceVocabulary.PieceToByte(vocabulary[id].Piece));
                continue;
            }
            FlushBytes(pendingBytes, text);
            AppendPiece(id, type, text);
        }
        FlushBytes(pendingBytes, text);

        var bytes = text.ToArray();
        if (denormalizer is not null) bytes = denormalizer.Normalize(bytes);
        return Encoding.UTF8.GetString(bytes);
    }

    private void AppendPiece(int id, SentencePieceType type, List<byte> text)
    {
        if (type == SentencePieceType.Control) return;
        if (type == SentencePieceType.Unknown)
        {
            // Decoding ids, the piece is always the unknown piece itself, which stands for the unknown surface.
            text.AddRange(unknownSurface);
            return;
        }
        var piece = vocabulary.Utf8(id);
        var space = SentencePieceUtf8.SpaceSymbol;
        if (text.Count == 0 && stripLeadingSpace && piece.StartsWith(space)) piece = piece[space.Length..];
        while (!piece.IsEmpty)
        {
            if (piece.StartsWith(space))
            {
                text.Add((byte)' ');
                piece = piece[space.Length..];
            }
            else
            {
                text.Add(piece[0]);
                piece = piece[1..];
            }
        }
    }

    // Byte pieces are read as UTF-8, each malformed byte giving one U+FFFD (string_util::IsValidDecodeUTF8, under
    // which a well-formed U+FFFD is one character, as spm_decode confirms).
    private static void FlushBytes(List<byte> pending, List<byte> text)
    {
        var bytes = pending.ToArray().AsSpan();
        while (!bytes.IsEmpty)
        {
            if (!SentencePieceUtf8.IsValidAtStart(bytes, out int length))
            {
                text.AddRange(SentencePieceUtf8.ReplacementUtf8);
                bytes = bytes[1..];
            }
            else
            {
                text.AddRange(bytes[..length]);
                bytes = bytes[length..];
            }
        }
        pending.Clear();
    }
}
