using System.Buffers.Binary;
using EncDec.Text;

namespace EncDec.Tests.Text;

/// <summary>
/// <see cref="DoubleArrayTrie"/> on tries laid out by hand with Darts-clone's unit format (darts.h,
/// <c>DoubleArrayUnit</c>): a node's children sit at <c>index ^ offset ^ byte</c>, its value at <c>index ^ offset</c>.
/// </summary>
public class DoubleArrayTrieTests
{
    /// <summary>
    /// The keys {first: firstValue, first+second: secondValue} in 128 units. The root (unit 0) has offset 0, so
    /// <c>first</c> is at unit <c>first</c>; that node has offset 1 and a leaf, so its value is at
    /// <c>first ^ 1</c> and <c>second</c> at <c>first ^ 1 ^ second</c>, whose value is at that index ^ 1.
    /// </summary>
    internal static uint[] TwoKeyUnits(byte first, byte second, int firstValue, int secondValue)
    {
        var units = new uint[128];
        int secondIndex = first ^ 1 ^ second;
        units[first] = DoubleArrayTrie.NodeUnit(first, 1, hasLeaf: true);
        units[first ^ 1] = DoubleArrayTrie.ValueUnit(firstValue);
        units[secondIndex] = DoubleArrayTrie.NodeUnit(second, 1, hasLeaf: true);
        units[secondIndex ^ 1] = DoubleArrayTrie.ValueUnit(secondValue);
        Assert.Equal(4, units.Count(u => u != 0));   // no two of them landed on the same unit
        Assert.Equal(0u, units[0]);                   // nor on the root
        return units;
    }

    /// <summary>A precompiled charsmap: trie size (uint32 LE), the units, then NUL-ended replacement strings.</summary>
    internal static byte[] CharsMap(uint[] units, byte[] replacements)
    {
        var blob = new byte[4 + (4 * units.Length) + replacements.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(blob, (uint)(4 * units.Length));
        for (int i = 0; i < units.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4 + (4 * i)), units[i]);
        replacements.CopyTo(blob, 4 + (4 * units.Length));
        return blob;
    }

    [Fact]
    public void Units_PackAsDartsClone()
    {
        // label 'a' (0x61) | has_leaf (bit 8) | offset 1 << 10; a value unit has bit 31 set.
        Assert.Equal(0x561u, DoubleArrayTrie.NodeUnit((byte)'a', 1, hasLeaf: true));
        Assert.Equal(0x80000005u, DoubleArrayTrie.ValueUnit(5));
        // An offset of 2^22 needs bit 9: stored as (offset >> 8) << 10.
        Assert.Equal((0x4000u << 10) | 0x200u | 0x61u, DoubleArrayTrie.NodeUnit((byte)'a', 1u << 22, hasLeaf: false));
    }

    [Theory]
    [InlineData("abc", 2, 7)]
    [InlineData("ab", 2, 7)]
    [InlineData("a", 1, 5)]
    [InlineData("ac", 1, 5)]
    public void LongestPrefix_IsTheLongestKeyThatStartsTheText(string text, int length, int value)
    {
        var trie = new DoubleArrayTrie(TwoKeyUnits((byte)'a', (byte)'b', 5, 7));

        Assert.True(trie.TryLongestPrefix(System.Text.Encoding.ASCII.GetBytes(text), out int matched, out int found));
        Assert.Equal((length, value), (matched, found));
    }

    [Theory]
    [InlineData("b")]
    [InlineData("")]
    [InlineData("ba")]
    public void LongestPrefix_IsNone_WhenNoKeyStartsTheText(string text)
    {
        var trie = new DoubleArrayTrie(TwoKeyUnits((byte)'a', (byte)'b', 5, 7));

        Assert.False(trie.TryLongestPrefix(System.Text.Encoding.ASCII.GetBytes(text), out _, out _));
    }

    [Fact]
    public void CommonPrefixSearch_ListsEveryKeyThatStartsTheText_ShortestFirst()
    {
        var trie = new DoubleArrayTrie(TwoKeyUnits((byte)'a', (byte)'b', 5, 7));

        Assert.Equal([(1, 5), (2, 7)], trie.CommonPrefixSearch("abz"u8));
    }

    [Fact]
    public void FromBytes_ReadsLittleEndianUnits()
    {
        var units = TwoKeyUnits((byte)'x', (byte)'z', 3, 4);
        var bytes = CharsMap(units, [])[4..];

        var trie = DoubleArrayTrie.FromBytes(bytes);

        Assert.Equal(128, trie.UnitCount);
        Assert.True(trie.TryLongestPrefix("xz"u8, out int length, out int value));
        Assert.Equal((2, 4), (length, value));
    }

    [Fact]
    public void IndicesOutsideTheArray_AreMismatches_NotCrashes()
    {
        // The root's offset points far beyond the two units; a child's leaf offset points past the end too.
        var farRoot = new DoubleArrayTrie([DoubleArrayTrie.NodeUnit(0, 1u << 20, hasLeaf: false), 0]);
        var units = new uint[128];
        units['a'] = DoubleArrayTrie.NodeUnit((byte)'a', 1000, hasLeaf: true);
        var farLeaf = new DoubleArrayTrie(units);

        Assert.False(farRoot.TryLongestPrefix("a"u8, out _, out _));
        Assert.False(farLeaf.TryLongestPrefix("a"u8, out _, out _));
        Assert.Empty(farLeaf.CommonPrefixSearch("a"u8));
    }
}
