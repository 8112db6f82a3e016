namespace EncDec.Text;

/// <summary>
/// A subword tokenizer as models see it: text to ids and pieces, and back. Implemented by
/// <see cref="SentencePieceProcessor"/> (SentencePiece <c>.model</c> files) and by the byte-level BPE
/// tokenizer read from Hugging Face <c>tokenizer.json</c> or <c>vocab.json</c> + <c>merges.txt</c>.
/// </summary>
public interface ITokenizer
{
    /// <summary>Number of ids, special tokens included.</summary>
    int VocabularySize { get; }

    /// <summary>The ids of <paramref name="text"/>.</summary>
    int[] Encode(string text);

    /// <summary>The pieces (vocabulary strings) of <paramref name="text"/>, one per id of <see cref="Encode"/>.</summary>
    string[] EncodeToPieces(string text);

    /// <summary>The text of <paramref name="ids"/>.</summary>
    string Decode(ReadOnlySpan<int> ids);

    /// <summary>The id of <paramref name="piece"/>; for a piece not in the vocabulary, the unknown token's id
    /// (as SentencePiece does), or -1 when the tokenizer has no unknown token (byte-level BPE).</summary>
    int PieceToId(string piece);

    /// <summary>The piece of <paramref name="id"/>; throws <see cref="ArgumentOutOfRangeException"/> naming the id and the vocabulary size when out of range.</summary>
    string IdToPiece(int id);
}
