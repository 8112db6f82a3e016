namespace EncDec.Text;

/// <summary>
/// Parses a serialized <c>ModelProto</c> (sentencepiece_model.proto) and checks its vocabulary as SentencePiece's
/// <c>ModelInterface::InitializePieces</c> does: no empty or repeated piece, exactly one unknown piece, byte pieces
/// only with byte fallback and then all 256 of them. Unlike SentencePiece, it also requires the trainer and
/// normaliser specs, so that a file cut short between two messages is not taken for a smaller model.
/// </summary>
/// <remarks>
/// Field numbers are those of sentencepiece_model.proto; fields not listed here (training options, self-test data,
/// extensions) are skipped. As in proto2, an enum value the schema does not know leaves the field at its default.
/// </remarks>
internal static class SentencePieceModelParser
{
    /// <summary>Parses <paramref name="file"/>, naming it <paramref name="source"/> in error messages.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid SentencePiece model.</exception>
    public static SentencePieceModelProto Parse(ReadOnlySpan<byte> file, string source)
    {
        var reader = new ProtobufReader(file, source);
        var pieces = new List<SentencePieceEntry>();
        var pieceOffsets = new List<int>();
        SentencePieceTrainerSpec? trainer = null;
        SentencePieceNormalizerSpec? normalizer = null;
        SentencePieceNormalizerSpec? denormalizer = null;
        while (true)
        {
            int at = reader.Position;
            if (!reader.TryReadTag(out int field, out var wire)) break;
            switch (field)
            {
                case 1:
                    reader.Expect(field, wire, WireType.LengthDelimited, at);
                    pieceOffsets.Add(at);
                    pieces.Add(ParsePiece(reader.ReadMessage()));
                    break;
                case 2:
                    reader.Expect(field, wire, WireType.LengthDelimited, at);
                    trainer = ParseTrainerSpec(reader.ReadMessage());
                    break;
                case 3 or 5:
                    reader.Expect(field, wire, WireType.LengthDelimited, at);
                    var spec = ParseNormalizerSpec(reader.ReadMessage());
                    if (field == 3) normalizer = spec;
                    else denormalizer = spec;
                    break;
                default:
                    reader.Skip(field, wire);
                    break;
            }
        }
        if (pieces.Count == 0)
            throw ProtobufReader.CorruptAt(source, $"no vocabulary pieces (field 1) in {file.Length} bytes", file.Length);
        // spm_train always writes both specs, after the pieces; a file cut at a piece boundary lacks them.
        if (trainer is null || normalizer is null)
            throw ProtobufReader.CorruptAt(source,
                $"no {(trainer is null ? "trainer_spec (field 2)" : "normalizer_spec (field 3)")}: the file is cut short or not a SentencePiece model",
                file.Length);
        CheckPieces(pieces, pieceOffsets, trainer, source);
        return new SentencePieceModelProto(pieces, trainer, normalizer, denormalizer);
    }

    private static SentencePieceEntry ParsePiece(ProtobufReader reader)
    {
        string piece = "";
        float score = 0;
        var type = SentencePieceType.Normal;
        while (true)
        {
            int at = reader.Position;
            if (!reader.TryReadTag(out int field, out var wire)) break;
            switch (field)
            {
                case 1: reader.Expect(field, wire, WireType.LengthDelimited, at); piece = reader.ReadString(); break;
                case 2: reader.Expect(field, wire, WireType.Fixed32, at); score = reader.ReadFloat(); break;
                case 3:
                    reader.Expect(field, wire, WireType.Varint, at);
                    int value = reader.ReadInt32();
                    if (Enum.IsDefined((SentencePieceType)value)) type = (SentencePieceType)value;
                    break;
                default: reader.Skip(field, wire); break;
            }
        }
        return new SentencePieceEntry(piece, score, type);
    }

    private static SentencePieceTrainerSpec ParseTrainerSpec(ProtobufReader reader)
    {
        var spec = new SentencePieceTrainerSpec();
        while (true)
        {
            int at = reader.Position;
            if (!reader.TryReadTag(out int field, out var wire)) break;
            WireType expected = field is >= 44 and <= 48 ? WireType.LengthDelimited : WireType.Varint;
            bool known = field is 3 or 4 or 24 or 25 or 35 or (>= 40 and <= 48);
            if (!known)
            {
                reader.Skip(field, wire);
                continue;
            }
            reader.Expect(field, wire, expected, at);
            spec = field switch
            {
                3 => WithModelType(spec, reader.ReadInt32()),
                4 => spec with { VocabularySize = reader.ReadInt32() },
                24 => spec with { TreatWhitespaceAsSuffix = reader.ReadBool() },
                25 => spec with { SplitDigits = reader.ReadBool() },
                35 => spec with { ByteFallback = reader.ReadBool() },
                40 => spec with { UnknownId = reader.ReadInt32() },
                41 => spec with { BosId = reader.ReadInt32() },
                42 => spec with { EosId = reader.ReadInt32() },
                43 => spec with { PadId = reader.ReadInt32() },
                44 => spec with { UnknownSurface = reader.ReadString() },
                45 => spec with { UnknownPiece = reader.ReadString() },
                46 => spec with { BosPiece = reader.ReadString() },
                47 => spec with { EosPiece = reader.ReadString() },
                _ => spec with { PadPiece = reader.ReadString() },
            };
        }
        return spec;
    }

    private static SentencePieceTrainerSpec WithModelType(SentencePieceTrainerSpec spec, int value) =>
        Enum.IsDefined((SentencePieceModelType)value) ? spec with { ModelType = (SentencePieceModelType)value } : spec;

    private static SentencePieceNormalizerSpec ParseNormalizerSpec(ProtobufReader reader)
    {
        var spec = new SentencePieceNormalizerSpec();
        while (true)
        {
            int at = reader.Position;
            if (!reader.TryReadTag(out int field, out var wire)) break;
            if (field is < 1 or > 5)
            {
                reader.Skip(field, wire);
                continue;
            }
            reader.Expect(field, wire, field <= 2 ? WireType.LengthDelimited : WireType.Varint, at);
            switch (field)
            {
                case 1: spec = spec with { Name = reader.ReadString() }; break;
                case 2:
                    var bytes = reader.ReadBytes();
                    spec = spec with { PrecompiledCharsMap = bytes.ToArray(), PrecompiledCharsMapOffset = reader.Position - bytes.Length };
                    break;
                case 3: spec = spec with { AddDummyPrefix = reader.ReadBool() }; break;
                case 4: spec = spec with { RemoveExtraWhitespaces = reader.ReadBool() }; break;
                default: spec = spec with { EscapeWhitespaces = reader.ReadBool() }; break;
            }
        }
        return spec;
    }

    private static void CheckPieces(List<SentencePieceEntry> pieces, List<int> offsets, SentencePieceTrainerSpec trainer,
        string source)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var bytesFound = new bool[256];
        int unknownId = -1;
        for (int id = 0; id < pieces.Count; id++)
        {
            var (piece, _, type) = pieces[id];
            string Where() => $"piece {id} '{piece}'";     // only formatted for an error
            if (piece.Length == 0) throw ProtobufReader.CorruptAt(source, $"piece {id} is empty", offsets[id]);
            if (!seen.Add(piece)) throw ProtobufReader.CorruptAt(source, $"{Where()} is defined twice", offsets[id]);
            if (type == SentencePieceType.Unknown)
            {
                if (unknownId >= 0)
                    throw ProtobufReader.CorruptAt(source, $"{Where()} is a second unknown piece (the first is {unknownId})", offsets[id]);
                unknownId = id;
            }
            if (type == SentencePieceType.Byte)
            {
                if (!trainer.ByteFallback)
                    throw ProtobufReader.CorruptAt(source, $"{Where()} is a byte piece but byte_fallback is off", offsets[id]);
                int value = SentencePieceVocabulary.PieceToByte(piece);
                if (value < 0) throw ProtobufReader.CorruptAt(source, $"{Where()} is not a byte piece <0xXX>", offsets[id]);
                bytesFound[value] = true;
            }
        }
        if (unknownId < 0) throw ProtobufReader.CorruptAt(source, "no piece has type UNKNOWN", 0);
        if (trainer.ByteFallback && Array.IndexOf(bytesFound, false) is int missing and >= 0)
            throw ProtobufReader.CorruptAt(source, $"byte_fallback is on but there is no byte piece <0x{missing:X2}>", 0);
    }
}
