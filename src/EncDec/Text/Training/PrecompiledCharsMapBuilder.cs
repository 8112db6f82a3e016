using System.Buffers.Binary;
using System.Text;

namespace EncDec.Text.Training;

/// <summary>
/// Compiles a normalisation rule (a map from character sequences to their replacements) into the
/// <c>precompiled_charsmap</c> blob of a model's normaliser, as SentencePiece's <c>Builder::CompileCharsMap</c>
/// does: a little-endian uint32 giving the trie's size in bytes, the Darts-clone trie from each source's UTF-8
/// bytes to the offset of its replacement, and the replacements, each ended by NUL, distinct ones stored once.
/// </summary>
internal static class PrecompiledCharsMapBuilder
{
    /// <summary>The blob for <paramref name="rules"/>; an empty replacement deletes its source.</summary>
    /// <exception cref="ArgumentException">A source is empty or contains NUL, or a replacement contains NUL.</exception>
    public static byte[] Build(IReadOnlyDictionary<string, string> rules)
    {
        if (rules.Count == 0) throw new ArgumentException("a rule needs at least one mapping", nameof(rules));
        var offsets = new Dictionary<string, int>(StringComparer.Ordinal);
        var strings = new MemoryStream();
        foreach (string replacement in rules.Values.Distinct().Order(StringComparer.Ordinal))
        {
            if (replacement.Contains('\0')) throw new ArgumentException("a replacement contains NUL", nameof(rules));
            offsets[replacement] = (int)strings.Length;
            strings.Write(Encoding.UTF8.GetBytes(replacement));
            strings.WriteByte(0);
        }
        var units = DoubleArrayBuilder.Build(rules.Select(r => (Encoding.UTF8.GetBytes(r.Key), offsets[r.Value])));

        var blob = new byte[4 + 4 * units.Length + strings.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(blob, (uint)(4 * units.Length));
        for (int i = 0; i < units.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4 + 4 * i), units[i]);
        strings.ToArray().CopyTo(blob, 4 + 4 * units.Length);
        return blob;
    }
}
