using System.Text;

namespace EncDec.Text;

/// <summary>
/// A SentencePiece tokenizer read from a <c>.model</c> file: normalises text, splits it into vocabulary pieces with
/// the model's unigram or BPE algorithm, and decodes ids back to text, giving the same pieces and ids as
/// SentencePiece 0.1.97's <c>spm_encode</c> / <c>spm_decode</c>.
/// </summary>
/// <example><code>
/// var spm = SentencePieceProcessor.Load("spiece.model");
/// int[] ids = spm.Encode("A dog runs.");          // [71, 1782, 3154, 5]  (T5)
/// string text = spm.Decode(ids);                 // "A dog runs."
/// </code></example>
/// <remarks>
/// After segmentation, as <c>SentencePieceProcessor::Encode</c> does: a run of unknown pieces becomes one unknown
/// piece whose text is the run, and with byte fallback an unknown piece becomes its UTF-8 bytes as
/// <c>&lt;0xXX&gt;</c> pieces. Sampling, n-best and the WORD and CHAR model types are not supported.
/// Instances are immutable and safe to share between threads.
/// </remarks>
public sealed class SentencePieceProcessor : ITokenizer
{
    private readonly SentencePieceVocabulary vocabulary;
    private readonly SentencePieceNormalizer normalizer;
    private readonly ISegmenter segmenter;
    private readonly SentencePieceDecoder decoder;

    // With byte fallback, the id of the piece <0xXX> of each byte; null without.
    private readonly int[]? byteIds;

    // Scratch reused by the encoding calls of a thread (instances are shared between threads).
    [ThreadStatic] private static byte[]? t_normalized;
    [ThreadStatic] private static List<int>? t_ids;

    private SentencePieceProcessor(SentencePieceModelProto model, string source)
    {
        if (model.TrainerSpec.ModelType is not (SentencePieceModelType.Unigram or SentencePieceModelType.Bpe))
            throw new NotSupportedException($"'{source}': model type {model.TrainerSpec.ModelType} is not supported (only Unigram and Bpe)");
        Model = model;
        vocabulary = new SentencePieceVocabulary(model.Pieces);
        normalizer = new SentencePieceNormalizer(model.NormalizerSpec, model.TrainerSpec.TreatWhitespaceAsSuffix, vocabulary, source);
        segmenter = model.TrainerSpec.ModelType == SentencePieceModelType.Unigram
            ? new UnigramSegmenter(vocabulary)
            : new BpeSegmenter(vocabulary);
        var denormalizer = model.DenormalizerSpec is { PrecompiledCharsMap.IsEmpty: false } spec
            ? new SentencePieceNormalizer(spec, treatWhitespaceAsSuffix: false, userDefined: null, source)
            : null;
        decoder = new SentencePieceDecoder(vocabulary, model, denormalizer);
        UnknownId = SpecialId(model.TrainerSpec.UnknownPiece, SentencePieceType.Unknown);
        BosId = SpecialId(model.TrainerSpec.BosPiece, SentencePieceType.Control);
        EosId = SpecialId(model.TrainerSpec.EosPiece, SentencePieceType.Control);
        PadId = SpecialId(model.TrainerSpec.PadPiece, SentencePieceType.Control);
        if (model.TrainerSpec.ByteFallback)
        {
            byteIds = new int[256];
            for (int b = 0; b < 256; b++)
                byteIds[b] = vocabulary.PieceToId(Encoding.ASCII.GetBytes(SentencePieceVocabulary.ByteToPiece((byte)b)));
        }
    }

    /// <summary>Reads a SentencePiece model file.</summary>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt or not a SentencePiece model (the message
    /// names the file and the byte offset).</exception>
    /// <exception cref="NotSupportedException">The model is of type WORD or CHAR.</exception>
    public static SentencePieceProcessor Load(string path) => FromBytes(File.ReadAllBytes(path), path);

    /// <summary>Reads a serialized model; <paramref name="source"/> names it in error messages.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid SentencePiece model.</exception>
    /// <exception cref="NotSupportedException">The model is of type WORD or CHAR.</exception>
    public static SentencePieceProcessor FromBytes(ReadOnlySpan<byte> model, string source = "<memory>") =>
        new(SentencePieceModelParser.Parse(model, source), source);

    /// <summary>The parsed model file.</summary>
    public SentencePieceModelProto Model { get; }

    /// <summary>The number of pieces; ids run from 0 to this minus one.</summary>
    public int VocabularySize => vocabulary.Count;

    /// <summary>The id of the unknown piece (-1 if <c>unk_piece</c> does not name it).</summary>
    public int UnknownId { get; }

    /// <summary>The id of the beginning-of-sentence control piece, or -1 when the model has none.</summary>
    public int BosId { get; }

    /// <summary>The id of the end-of-sentence control piece, or -1 when the model has none.</summary>
    public int EosId { get; }

    /// <summary>The id of the padding control piece, or -1 when the model has none.</summary>
    public int PadId { get; }

    /// <summary>The id of <paramref name="piece"/>, or <see cref="UnknownId"/> when it is not in the vocabulary.</summary>
    public int PieceToId(string piece) => vocabulary.PieceToId(Encoding.UTF8.GetBytes(piece));

    /// <summary>The piece of <paramref name="id"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is outside the vocabulary.</exception>
    public string IdToPiece(int id) => Entry(id).Piece;

    /// <summary>The score of <paramref name="id"/>.</summary>
    public float GetScore(int id) => Entry(id).Score;

    /// <summary>The type of <paramref name="id"/>.</summary>
    public SentencePieceType GetPieceType(int id) => Entry(id).Type;

    /// <summary>The ids of <paramref name="text"/> (no BOS or EOS is added).</summary>
    public int[] Encode(string text) => EncodeUtf8(Encoding.UTF8.GetBytes(text));

    /// <summary>The pieces of <paramref name="text"/>; an unknown piece is the text it covers, not "&lt;unk&gt;".</summary>
    public string[] EncodeToPieces(string text) => EncodeUtf8ToPieces(Encoding.UTF8.GetBytes(text));

    /// <summary>The ids of UTF-8 text; malformed bytes are read as U+FFFD, one per byte, as SentencePiece does.</summary>
    public int[] EncodeUtf8(ReadOnlySpan<byte> text)
    {
        var ids = t_ids ??= [];
        ids.Clear();
        EncodeUtf8(text, ids);
        return [.. ids];
    }

    /// <summary>The pieces of UTF-8 text (see <see cref="EncodeUtf8(ReadOnlySpan{byte})"/>).</summary>
    public string[] EncodeUtf8ToPieces(ReadOnlySpan<byte> text)
    {
        var pieces = new List<string>();
        var normalized = Normalized(text);
        bool previousUnknown = false;
        foreach (var (start, length, id) in segmenter.Split(normalized))
        {
            var piece = normalized.Slice(start, length);
            bool unknown = vocabulary.Type(id) == SentencePieceType.Unknown;
            if (unknown && Model.TrainerSpec.ByteFallback)
            {
                foreach (byte b in piece) pieces.Add(SentencePieceVocabulary.ByteToPiece(b));
            }
            else if (unknown && previousUnknown)
            {
                // Merged so that a decoder can copy the unknown text; the run is still unknown, since no known
                // piece contains an unknown character.
                pieces[^1] += Encoding.UTF8.GetString(piece);
            }
            else
            {
                pieces.Add(Encoding.UTF8.GetString(piece));
            }
            previousUnknown = unknown;
        }
        return [.. pieces];
    }

    /// <summary>
    /// Appends the ids of UTF-8 text to <paramref name="ids"/>, as <see cref="EncodeUtf8(ReadOnlySpan{byte})"/> gives
    /// them but without making an array or a piece string: the form for encoding many lines (<c>encdec tokenize</c>).
    /// </summary>
    internal void EncodeUtf8(ReadOnlySpan<byte> text, List<int> ids)
    {
        var normalized = Normalized(text);
        bool previousUnknown = false;
        foreach (var (start, length, id) in segmenter.Split(normalized))
        {
            bool unknown = id == vocabulary.UnknownId;
            if (unknown && byteIds is not null)
            {
                foreach (byte b in normalized.Slice(start, length)) ids.Add(byteIds[b]);
            }
            else if (!(unknown && previousUnknown))
            {
                ids.Add(id);   // a run of unknown pieces is one piece with the unknown id (see EncodeUtf8ToPieces)
            }
            previousUnknown = unknown;
        }
    }

    /// <summary>The text of <paramref name="ids"/>: "▁" read as a space, control pieces dropped, byte pieces
    /// reassembled into characters, the unknown piece written as the model's unknown surface (" ⁇ ").</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside the vocabulary.</exception>
    public string Decode(ReadOnlySpan<int> ids) => decoder.Decode(ids);

    /// <summary>The normalised form of <paramref name="text"/> that segmentation sees ("▁" for spaces).</summary>
    public string Normalize(string text) => Encoding.UTF8.GetString(normalizer.Normalize(Encoding.UTF8.GetBytes(text)));

    // The normalised text in this thread's reusable buffer, valid until the next call on the thread.
    private ReadOnlySpan<byte> Normalized(ReadOnlySpan<byte> text)
    {
        var buffer = t_normalized ?? [];
        int length = normalizer.Normalize(text, ref buffer).Length;
        t_normalized = buffer;
        return buffer.AsSpan(0, length);
    }

    private int SpecialId(string piece, SentencePieceType type)
    {
        int id = PieceToId(piece);
        return vocabulary.Type(id) == type ? id : -1;
    }

    private SentencePieceEntry Entry(int id) =>
        (uint)id < (uint)vocabulary.Count
            ? vocabulary[id]
            : throw new ArgumentOutOfRangeException(nameof(id), id, $"id outside the vocabulary of {vocabulary.Count} pieces");
}
