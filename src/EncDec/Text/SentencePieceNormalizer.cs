using System.Buffers.Binary;

namespace EncDec.Text;

/// <summary>
/// SentencePiece's text normaliser (normalizer.cc, <c>Normalizer::Normalize</c>) on UTF-8 bytes: each step takes the
/// longest prefix that the precompiled rule maps (or one character, copied), spaces are trimmed and collapsed,
/// a dummy space is put in front, and spaces are written as U+2581 "▁".
/// </summary>
/// <remarks>
/// <para>The precompiled rule (<c>precompiled_charsmap</c>) is: a little-endian uint32 giving the trie's size in
/// bytes, the Darts-clone trie (<see cref="DoubleArrayTrie"/>) whose values are offsets into the rest, and the
/// rest: the replacement strings, each ended by NUL. NFKC-like rules such as <c>nmt_nfkc</c> are compiled into
/// it, so no Unicode tables are needed here.</para>
/// <para>User-defined symbols are copied unnormalised, as in SentencePiece, where the processor hands the
/// model's prefix matcher to the normaliser.</para>
/// </remarks>
internal sealed class SentencePieceNormalizer
{
    private readonly DoubleArrayTrie? charsMap;
    private readonly ReadOnlyMemory<byte> replacements;
    private readonly SentencePieceVocabulary? userDefined;
    private readonly SentencePieceNormalizerSpec spec;
    private readonly bool treatWhitespaceAsSuffix;
    private readonly string source;

    /// <summary>A normaliser following <paramref name="spec"/>, read from the model file <paramref name="source"/>.</summary>
    /// <param name="spec">The normaliser (or denormaliser) spec.</param>
    /// <param name="treatWhitespaceAsSuffix">Put the dummy space at the end instead of the start.</param>
    /// <param name="userDefined">The vocabulary whose user-defined symbols are kept as they are, or null.</param>
    /// <param name="source">The model file, for error messages.</param>
    /// <exception cref="InvalidDataException">The precompiled rule is malformed.</exception>
    public SentencePieceNormalizer(SentencePieceNormalizerSpec spec, bool treatWhitespaceAsSuffix,
        SentencePieceVocabulary? userDefined, string source)
    {
        this.spec = spec;
        this.treatWhitespaceAsSuffix = treatWhitespaceAsSuffix;
        this.userDefined = userDefined is { HasUserDefined: true } ? userDefined : null;
        this.source = source;
        var blob = spec.PrecompiledCharsMap;
        if (blob.IsEmpty) return;
        // Normalizer::DecodePrecompiledCharsMap, which also rejects a blob of 4 bytes or fewer.
        long at = spec.PrecompiledCharsMapOffset;
        if (blob.Length <= 4) throw Corrupt($"precompiled_charsmap of {blob.Length} bytes is too short", at);
        uint trieSize = BinaryPrimitives.ReadUInt32LittleEndian(blob.Span);
        if (trieSize >= blob.Length) throw Corrupt($"precompiled_charsmap's trie size {trieSize} exceeds its {blob.Length} bytes", at);
        if (trieSize > blob.Length - 4 || trieSize % 4 != 0)
            throw Corrupt($"precompiled_charsmap's trie size {trieSize} is not a whole number of units within its {blob.Length} bytes", at);
        charsMap = DoubleArrayTrie.FromBytes(blob.Span.Slice(4, (int)trieSize));
        replacements = blob[(4 + (int)trieSize)..];
    }

    /// <summary>Normalises UTF-8 <paramref name="input"/>; the result is UTF-8 (empty for blank input).</summary>
    public byte[] Normalize(ReadOnlySpan<byte> input)
    {
        bool removeExtra = spec.RemoveExtraWhitespaces;
        if (removeExtra)
        {
            // Leading spaces: whatever the rule maps to exactly one space.
            while (!input.IsEmpty)
            {
                int consumed = NormalizePrefix(input, out var replacement);
                if (replacement.Length != 1 || replacement[0] != (byte)' ') break;
                input = input[consumed..];
            }
        }
        if (input.IsEmpty) return [];

        var output = new ByteBuffer(input.Length * 3 + 3);
        if (!treatWhitespaceAsSuffix && spec.AddDummyPrefix) AppendSpace(ref output);
        bool isPreviousSpace = removeExtra;
        while (!input.IsEmpty)
        {
            int consumed = NormalizePrefix(input, out var piece);
            // A replacement's leading spaces are dropped after a space: runs of spaces become one.
            while (isPreviousSpace && !piece.IsEmpty && piece[0] == (byte)' ') piece = piece[1..];
            if (!piece.IsEmpty)
            {
                foreach (byte b in piece)
                {
                    if (spec.EscapeWhitespaces && b == (byte)' ') output.Append(SentencePieceUtf8.SpaceSymbol);
                    else output.Append(b);
                }
                isPreviousSpace = piece[^1] == (byte)' ';
            }
            input = input[consumed..];
            if (!removeExtra) isPreviousSpace = false;
        }

        if (removeExtra)
        {
            ReadOnlySpan<byte> space = spec.EscapeWhitespaces ? SentencePieceUtf8.SpaceSymbol : " "u8;
            while (output.Written.EndsWith(space)) output.Shrink(space.Length);
        }
        if (treatWhitespaceAsSuffix && spec.AddDummyPrefix) AppendSpace(ref output);
        return output.Written.ToArray();
    }

    /// <summary>
    /// <c>Normalizer::NormalizePrefix</c>: the replacement for the start of <paramref name="input"/>; returns how many
    /// bytes it consumes. A user-defined symbol is kept; otherwise the longest rule wins; otherwise one character is
    /// copied, or a malformed byte becomes U+FFFD.
    /// </summary>
    private int NormalizePrefix(ReadOnlySpan<byte> input, out ReadOnlySpan<byte> replacement)
    {
        if (userDefined is not null)
        {
            int length = userDefined.MatchUserDefined(input, out bool found);
            replacement = input[..length];
            if (found) return length;
        }
        if (charsMap is not null && charsMap.TryLongestPrefix(input, out int matched, out int value))
        {
            replacement = Replacement(value);
            return matched;
        }
        if (!SentencePieceUtf8.IsValidAtStart(input, out int charLength))
        {
            replacement = SentencePieceUtf8.ReplacementUtf8;
            return 1;
        }
        replacement = input[..charLength];
        return charLength;
    }

    // The replacement starting at `value` in the strings after the trie, ended by NUL (or by the end of the blob,
    // where C++ would read on past it).
    private ReadOnlySpan<byte> Replacement(int value)
    {
        var strings = replacements.Span;
        if (value >= strings.Length)
            throw Corrupt($"precompiled_charsmap's trie points to replacement {value} of {strings.Length} bytes",
                spec.PrecompiledCharsMapOffset);
        var rest = strings[value..];
        int end = rest.IndexOf((byte)0);
        return end < 0 ? rest : rest[..end];
    }

    private void AppendSpace(ref ByteBuffer output)
    {
        if (spec.EscapeWhitespaces) output.Append(SentencePieceUtf8.SpaceSymbol);
        else output.Append((byte)' ');
    }

    private InvalidDataException Corrupt(string reason, long offset) => ProtobufReader.CorruptAt(source, reason, offset);

    /// <summary>A growable byte array that can also drop bytes from its end.</summary>
    private struct ByteBuffer(int capacity)
    {
        private byte[] bytes = new byte[capacity];
        private int length;

        public readonly ReadOnlySpan<byte> Written => bytes.AsSpan(0, length);

        public void Append(byte b)
        {
            if (length == bytes.Length) Array.Resize(ref bytes, bytes.Length * 2);
            bytes[length++] = b;
        }

        public void Append(ReadOnlySpan<byte> span)
        {
            foreach (byte b in span) Append(b);
        }

        public void Shrink(int count) => length -= count;
    }
}
