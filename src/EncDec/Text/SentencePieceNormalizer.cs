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

    // For each ASCII byte, when NormalizePrefix would return it as itself, so that the loop can handle it directly
    // (most text is mostly such bytes): Never (some rule or a user-defined symbol may match), Always (no rule starts
    // with it), or BeforeAscii (rules start with it, such as "e" + U+0301 -> "é", but none is the byte alone and none
    // goes on with an ASCII byte, so none matches when the next byte is ASCII or there is none).
    private readonly PlainWhen[] plainAscii = new PlainWhen[128];

    private enum PlainWhen : byte { Never, Always, BeforeAscii }

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
        if (blob.IsEmpty)
        {
            FindPlainAscii();
            return;
        }
        // Normalizer::DecodePrecompiledCharsMap, which also rejects a blob of 4 bytes or fewer.
        long at = spec.PrecompiledCharsMapOffset;
        if (blob.Length <= 4) throw Corrupt($"precompiled_charsmap of {blob.Length} bytes is too short", at);
        uint trieSize = BinaryPrimitives.ReadUInt32LittleEndian(blob.Span);
        if (trieSize >= blob.Length) throw Corrupt($"precompiled_charsmap's trie size {trieSize} exceeds its {blob.Length} bytes", at);
        if (trieSize > blob.Length - 4 || trieSize % 4 != 0)
            throw Corrupt($"precompiled_charsmap's trie size {trieSize} is not a whole number of units within its {blob.Length} bytes", at);
        charsMap = DoubleArrayTrie.FromBytes(blob.Span.Slice(4, (int)trieSize));
        replacements = blob[(4 + (int)trieSize)..];
        FindPlainAscii();
    }

    private void FindPlainAscii()
    {
        if (userDefined is not null) return;
        Span<byte> pair = stackalloc byte[2];
        for (int b = 0; b < 128; b++)
        {
            pair[0] = (byte)b;
            if (charsMap is null || !charsMap.HasKeyStartingWith(pair[..1]))
            {
                plainAscii[b] = PlainWhen.Always;
                continue;
            }
            if (charsMap.TryLongestPrefix(pair[..1], out _, out _)) continue;    // the byte alone has a rule
            bool asciiNext = false;
            for (int c = 0; c < 128 && !asciiNext; c++)
            {
                pair[1] = (byte)c;
                asciiNext = charsMap.HasKeyStartingWith(pair);
            }
            if (!asciiNext) plainAscii[b] = PlainWhen.BeforeAscii;
        }
    }

    /// <summary>Normalises UTF-8 <paramref name="input"/>; the result is UTF-8 (empty for blank input).</summary>
    public byte[] Normalize(ReadOnlySpan<byte> input)
    {
        byte[] buffer = [];
        return Normalize(input, ref buffer).ToArray();
    }

    /// <summary>
    /// <see cref="Normalize(ReadOnlySpan{byte})"/> written into <paramref name="buffer"/>, which is replaced by a
    /// larger array when too small, so that a caller encoding many lines reuses one array.
    /// </summary>
    /// <returns>The normalised text, a prefix of <paramref name="buffer"/>.</returns>
    public ReadOnlySpan<byte> Normalize(ReadOnlySpan<byte> input, ref byte[] buffer)
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

        // Room for the usual case, every character replaced by at most three bytes (a space by "▁"), and the dummy space.
        if (buffer.Length < input.Length * 3 + 3) buffer = new byte[input.Length * 3 + 3];
        var output = new ByteBuffer(buffer);
        if (!treatWhitespaceAsSuffix && spec.AddDummyPrefix) AppendSpace(ref output);
        bool isPreviousSpace = removeExtra;
        while (!input.IsEmpty)
        {
            int plain = AppendPlainAscii(input, ref output, ref isPreviousSpace, removeExtra);
            if (plain > 0)
            {
                input = input[plain..];
                continue;
            }
            int consumed = NormalizePrefix(input, out var piece);
            // A replacement's leading spaces are dropped after a space: runs of spaces become one.
            while (isPreviousSpace && !piece.IsEmpty && piece[0] == (byte)' ') piece = piece[1..];
            if (!piece.IsEmpty)
            {
                AppendEscaped(ref output, piece);
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
        buffer = output.Array;
        return output.Written;
    }

    // The replacement with each space written as "▁" when spaces are escaped, copied in runs between spaces.
    private void AppendEscaped(ref ByteBuffer output, ReadOnlySpan<byte> piece)
    {
        if (!spec.EscapeWhitespaces)
        {
            output.Append(piece);
            return;
        }
        int space;
        while ((space = piece.IndexOf((byte)' ')) >= 0)
        {
            output.Append(piece[..space]);
            output.Append(SentencePieceUtf8.SpaceSymbol);
            piece = piece[(space + 1)..];
        }
        output.Append(piece);
    }

    /// <summary>
    /// The loop below for the leading run of plain ASCII bytes, each its own replacement: a space is dropped after a
    /// space (with <c>remove_extra_whitespaces</c>) or written escaped, other bytes are copied in runs.
    /// </summary>
    /// <returns>The bytes consumed (0 when the input does not start with a plain byte).</returns>
    private int AppendPlainAscii(ReadOnlySpan<byte> input, ref ByteBuffer output, ref bool isPreviousSpace, bool removeExtra)
    {
        int i = 0;
        while (IsPlainAt(input, i))
        {
            if (input[i] == (byte)' ')
            {
                if (!isPreviousSpace) AppendSpace(ref output);
                isPreviousSpace = removeExtra;
                i++;
                continue;
            }
            int start = i;
            do i++; while (IsPlainAt(input, i) && input[i] != (byte)' ');
            output.Append(input[start..i]);
            isPreviousSpace = false;
        }
        return i;
    }

    private bool IsPlainAt(ReadOnlySpan<byte> input, int i)
    {
        if (i >= input.Length || input[i] >= 128) return false;
        var when = plainAscii[input[i]];
        return when == PlainWhen.Always || (when == PlainWhen.BeforeAscii && (i + 1 == input.Length || input[i + 1] < 128));
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
    private struct ByteBuffer(byte[] bytes)
    {
        private int length;

        public readonly byte[] Array => bytes;

        public readonly ReadOnlySpan<byte> Written => bytes.AsSpan(0, length);

        public void Append(byte b)
        {
            if (length == bytes.Length) System.Array.Resize(ref bytes, bytes.Length * 2);
            bytes[length++] = b;
        }

        public void Append(ReadOnlySpan<byte> span)
        {
            if (bytes.Length - length < span.Length) System.Array.Resize(ref bytes, Math.Max(bytes.Length * 2, length + span.Length));
            span.CopyTo(bytes.AsSpan(length));
            length += span.Length;
        }

        public void Shrink(int count) => length -= count;
    }
}
