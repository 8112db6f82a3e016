using EncDec.Data;

namespace EncDec.Text;

/// <summary>
/// Serializes a <see cref="SentencePieceModelProto"/> as a SentencePiece <c>.model</c> file (<c>ModelProto</c> of
/// sentencepiece_model.proto) that <see cref="SentencePieceProcessor"/> and SentencePiece's own tools
/// (<c>spm_encode</c>, the Python <c>SentencePieceProcessor</c>) load.
/// </summary>
/// <remarks>
/// Written: every piece (text, score, and its type unless NORMAL, as <c>spm_train</c> leaves the default out), the
/// trainer fields that encoding and decoding read (model type, vocabulary size, whitespace and digit options, byte
/// fallback, the special pieces and their ids), the normaliser, and the denormaliser when there is one. Training
/// options that no encoder reads (coverage, input files, thread count) are not kept.
/// </remarks>
public static class SentencePieceModelWriter
{
    /// <summary>The serialized model.</summary>
    /// <exception cref="ArgumentException">The model has no pieces.</exception>
    public static byte[] Serialize(SentencePieceModelProto model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Pieces.Count == 0) throw new ArgumentException("a model needs at least one piece", nameof(model));
        var proto = new ProtobufWireWriter();
        foreach (var entry in model.Pieces)
        {
            var piece = new ProtobufWireWriter().String(1, entry.Piece).Float(2, entry.Score);
            if (entry.Type != SentencePieceType.Normal) piece.Varint(3, (int)entry.Type);
            proto.Message(1, piece);
        }
        proto.Message(2, TrainerSpec(model.TrainerSpec));
        proto.Message(3, NormalizerSpec(model.NormalizerSpec));
        if (model.DenormalizerSpec is { } denormalizer) proto.Message(5, NormalizerSpec(denormalizer));
        return proto.ToArray();
    }

    /// <summary>
    /// Writes the model to <paramref name="path"/> atomically: to a temporary file beside it, then moved over it, so
    /// a reader never sees a half-written model and a failed write leaves any previous file as it was.
    /// </summary>
    public static void Save(SentencePieceModelProto model, string path)
    {
        AtomicFile.WriteBytes(path, Serialize(model));
    }

    private static ProtobufWireWriter TrainerSpec(SentencePieceTrainerSpec spec) => new ProtobufWireWriter()
        .Varint(3, (int)spec.ModelType)
        .Varint(4, spec.VocabularySize)
        .Bool(24, spec.TreatWhitespaceAsSuffix)
        .Bool(25, spec.SplitDigits)
        .Bool(35, spec.ByteFallback)
        .Varint(40, spec.UnknownId)
        .Varint(41, spec.BosId)
        .Varint(42, spec.EosId)
        .Varint(43, spec.PadId)
        .String(44, spec.UnknownSurface)
        .String(45, spec.UnknownPiece)
        .String(46, spec.BosPiece)
        .String(47, spec.EosPiece)
        .String(48, spec.PadPiece);

    private static ProtobufWireWriter NormalizerSpec(SentencePieceNormalizerSpec spec)
    {
        var writer = new ProtobufWireWriter().String(1, spec.Name);
        if (!spec.PrecompiledCharsMap.IsEmpty) writer.Bytes(2, spec.PrecompiledCharsMap.Span);
        return writer
            .Bool(3, spec.AddDummyPrefix)
            .Bool(4, spec.RemoveExtraWhitespaces)
            .Bool(5, spec.EscapeWhitespaces);
    }
}
