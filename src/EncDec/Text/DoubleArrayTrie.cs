using System.Buffers.Binary;

namespace EncDec.Text;

/// <summary>
/// A read-only Darts-clone double-array trie (third_party/darts_clone/darts.h in SentencePiece), the form of a
/// model's precompiled normalisation rule. Keys are byte strings; each key carries a non-negative value.
/// </summary>
/// <remarks>
/// <para>Each 32-bit unit packs: bits 0-7 the label (the byte leading to this node; bit 31 is also part of the label,
/// so a value unit never matches a byte), bit 8 <c>has_leaf</c>, bits 10-31 the offset to the children (shifted
/// left by 8 more when bit 9 is set), and for a value unit, bits 0-30 the value. The children of node <c>i</c>
/// are at <c>i ^ offset(i) ^ byte</c>; the value of a key ending at <c>i</c> is in the unit at <c>i ^ offset(i)</c>.</para>
/// <para>The C++ code does not check indices, trusting the trie; here an index outside the array counts as a
/// mismatch, so a corrupt trie gives wrong matches at worst, never an out-of-range read.</para>
/// </remarks>
internal sealed class DoubleArrayTrie
{
    private readonly uint[] units;

    /// <summary>A trie over the given units (used by tests to build small tries by hand).</summary>
    public DoubleArrayTrie(uint[] units) => this.units = units;

    /// <summary>Reads little-endian units; <paramref name="bytes"/> must be a whole number of 4-byte units.</summary>
    public static DoubleArrayTrie FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length % 4 != 0) throw new ArgumentException($"{bytes.Length} bytes is not a whole number of units", nameof(bytes));
        var units = new uint[bytes.Length / 4];
        for (int i = 0; i < units.Length; i++) units[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(4 * i)..]);
        return new DoubleArrayTrie(units);
    }

    /// <summary>The number of units.</summary>
    public int UnitCount => units.Length;

    /// <summary>Packs a node unit: <paramref name="offset"/> must fit 21 bits, or be a multiple of 256 below 2^29.</summary>
    public static uint NodeUnit(byte label, uint offset, bool hasLeaf)
    {
        uint packed = offset < (1u << 21) ? offset << 10 : ((offset >> 8) << 10) | (1u << 9);
        return packed | (hasLeaf ? 1u << 8 : 0) | label;
    }

    /// <summary>Packs a value unit holding <paramref name="value"/> (below 2^31).</summary>
    public static uint ValueUnit(int value) => (1u << 31) | (uint)value;

    /// <summary>
    /// <c>commonPrefixSearch</c> reduced to what both callers use: the longest key that is a prefix of
    /// <paramref name="text"/>, as its length and value; false when no key is.
    /// </summary>
    public bool TryLongestPrefix(ReadOnlySpan<byte> text, out int length, out int value)
    {
        length = 0;
        value = 0;
        if (units.Length == 0) return false;
        uint node = Offset(units[0]);
        for (int i = 0; i < text.Length; i++)
        {
            node ^= text[i];
            if (node >= (uint)units.Length) return length > 0;
            uint unit = units[node];
            if (Label(unit) != text[i]) return length > 0;
            node ^= Offset(unit);
            if (HasLeaf(unit))
            {
                if (node >= (uint)units.Length) return length > 0;
                length = i + 1;
                value = Value(units[node]);
            }
        }
        return length > 0;
    }

    /// <summary>Whether some key starts with <paramref name="prefix"/> (the path exists; Darts keeps no dead paths).</summary>
    public bool HasKeyStartingWith(ReadOnlySpan<byte> prefix)
    {
        if (units.Length == 0) return false;
        uint node = Offset(units[0]);
        foreach (byte label in prefix)
        {
            node ^= label;
            if (node >= (uint)units.Length || Label(units[node]) != label) return false;
            node ^= Offset(units[node]);
        }
        return true;
    }

    /// <summary>All keys that are prefixes of <paramref name="text"/>, shortest first, as (length, value).</summary>
    public List<(int Length, int Value)> CommonPrefixSearch(ReadOnlySpan<byte> text)
    {
        var results = new List<(int, int)>();
        if (units.Length == 0) return results;
        uint node = Offset(units[0]);
        for (int i = 0; i < text.Length; i++)
        {
            node ^= text[i];
            if (node >= (uint)units.Length) break;
            uint unit = units[node];
            if (Label(unit) != text[i]) break;
            node ^= Offset(unit);
            if (HasLeaf(unit))
            {
                if (node >= (uint)units.Length) break;
                results.Add((i + 1, Value(units[node])));
            }
        }
        return results;
    }

    private static bool HasLeaf(uint unit) => ((unit >> 8) & 1) == 1;

    private static int Value(uint unit) => (int)(unit & 0x7FFFFFFF);

    private static uint Label(uint unit) => unit & 0x800000FF;

    private static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);
}
