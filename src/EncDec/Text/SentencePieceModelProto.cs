namespace EncDec.Text;

/// <summary>One vocabulary entry of a SentencePiece model (<c>ModelProto.SentencePiece</c>); its id is its index.</summary>
/// <param name="Piece">The piece text, with U+2581 "▁" standing for a space.</param>
/// <param name="Score">The log probability (unigram) or merge priority (BPE); larger is better.</param>
/// <param name="Type">What the piece is used for.</param>
public readonly record struct SentencePieceEntry(string Piece, float Score, SentencePieceType Type);

/// <summary>
/// The fields of <c>TrainerSpec</c> that affect encoding and decoding, with the defaults of
/// sentencepiece_model.proto for fields a file leaves out.
/// </summary>
public sealed record SentencePieceTrainerSpec
{
    /// <summary>Field 3: the segmentation algorithm.</summary>
    public SentencePieceModelType ModelType { get; init; } = SentencePieceModelType.Unigram;

    /// <summary>Field 4: the vocabulary size asked of the trainer.</summary>
    public int VocabularySize { get; init; } = 8000;

    /// <summary>Field 24: the space marker goes at the end of a word rather than the start.</summary>
    public bool TreatWhitespaceAsSuffix { get; init; }

    /// <summary>Field 25: digits were split into single characters when training.</summary>
    public bool SplitDigits { get; init; }

    /// <summary>Field 35: characters outside the vocabulary are encoded as UTF-8 byte pieces.</summary>
    public bool ByteFallback { get; init; }

    /// <summary>Field 40: the id the trainer gave the unknown piece.</summary>
    public int UnknownId { get; init; }

    /// <summary>Field 41: the id of the beginning-of-sentence piece, or -1.</summary>
    public int BosId { get; init; } = 1;

    /// <summary>Field 42: the id of the end-of-sentence piece, or -1.</summary>
    public int EosId { get; init; } = 2;

    /// <summary>Field 43: the id of the padding piece, or -1.</summary>
    public int PadId { get; init; } = -1;

    /// <summary>Field 44: the text an unknown piece decodes to.</summary>
    public string UnknownSurface { get; init; } = " \u2047 ";

    /// <summary>Field 45: the unknown piece.</summary>
    public string UnknownPiece { get; init; } = "<unk>";

    /// <summary>Field 46: the beginning-of-sentence piece.</summary>
    public string BosPiece { get; init; } = "<s>";

    /// <summary>Field 47: the end-of-sentence piece.</summary>
    public string EosPiece { get; init; } = "</s>";

    /// <summary>Field 48: the padding piece.</summary>
    public string PadPiece { get; init; } = "<pad>";
}

/// <summary>
/// <c>NormalizerSpec</c>: how text is normalised before segmentation, with the defaults of
/// sentencepiece_model.proto for fields a file leaves out.
/// </summary>
public sealed record SentencePieceNormalizerSpec
{
    /// <summary>Field 1: the rule's name, e.g. <c>nmt_nfkc</c> or <c>identity</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>
    /// Field 2: the compiled rule, a Darts-clone double-array trie from UTF-8 prefixes to replacements
    /// (empty for no character mapping).
    /// </summary>
    public ReadOnlyMemory<byte> PrecompiledCharsMap { get; init; }

    /// <summary>Field 3: a space is put before the text, so a first word looks like any other.</summary>
    public bool AddDummyPrefix { get; init; } = true;

    /// <summary>Field 4: leading and trailing spaces are dropped, and runs of spaces become one.</summary>
    public bool RemoveExtraWhitespaces { get; init; } = true;

    /// <summary>Field 5: spaces are written as U+2581 "▁".</summary>
    public bool EscapeWhitespaces { get; init; } = true;

    /// <summary>Where <see cref="PrecompiledCharsMap"/> starts in the model file, for error messages.</summary>
    internal long PrecompiledCharsMapOffset { get; init; }
}

/// <summary>The contents of a SentencePiece <c>.model</c> file (<c>ModelProto</c>), as far as encoding needs them.</summary>
/// <param name="Pieces">Field 1: the vocabulary; a piece's id is its index.</param>
/// <param name="TrainerSpec">Field 2 (defaults when absent).</param>
/// <param name="NormalizerSpec">Field 3 (defaults when absent).</param>
/// <param name="DenormalizerSpec">Field 5: the rule applied to decoded text, or null.</param>
public sealed record SentencePieceModelProto(
    IReadOnlyList<SentencePieceEntry> Pieces,
    SentencePieceTrainerSpec TrainerSpec,
    SentencePieceNormalizerSpec NormalizerSpec,
    SentencePieceNormalizerSpec? DenormalizerSpec)
{
    /// <summary>
    /// Reads a model file and checks its vocabulary as SentencePiece does (no empty or repeated piece, one unknown
    /// piece, byte pieces only with byte fallback, and then all 256).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is truncated, corrupt or not a SentencePiece model.</exception>
    public static SentencePieceModelProto Load(string path) =>
        SentencePieceModelParser.Parse(File.ReadAllBytes(path), path);
}
