using System.Text;
using EncDec.Text;
using EncDec.Text.Training;

namespace EncDec.Tests.Text.Training;

/// <summary>
/// The double-array builder: what it builds, <see cref="DoubleArrayTrie"/> (Darts-clone's reader) finds again, with
/// every prefix match and value; bytes that lead nowhere, NUL included, match nothing; bad keys are refused.
/// </summary>
public class DoubleArrayBuilderTests
{
    private static (byte[] Key, int Value) Entry(string key, int value) => (Encoding.UTF8.GetBytes(key), value);

    [Fact]
    public void Lookups_FindEveryKeyAndItsValue()
    {
        (byte[], int)[] keys = [Entry("a", 1), Entry("ab", 2), Entry("abc", 3), Entry("b", 4), Entry("日本", 5), Entry("日", 6), Entry("\u00FF", 7)];
        var trie = new DoubleArrayTrie(DoubleArrayBuilder.Build(keys));

        foreach (var (key, value) in keys)
        {
            Assert.True(trie.TryLongestPrefix(key, out int length, out int found));
            Assert.Equal((key.Length, value), (length, found));
        }
        Assert.Equal(new[] { (1, 1), (2, 2), (3, 3) }, trie.CommonPrefixSearch("abcd"u8));
        Assert.True(trie.TryLongestPrefix("abx"u8, out int partial, out int partialValue));
        Assert.Equal((2, 2), (partial, partialValue));
        Assert.False(trie.TryLongestPrefix("c"u8, out _, out _));
        Assert.False(trie.TryLongestPrefix("\0a"u8, out _, out _));
        Assert.Empty(trie.CommonPrefixSearch("\0\0\0"u8));
    }

    [Fact]
    public void ManyKeysWithSharedEndings_AreAllFound_InASharedTrie()
    {
        // 2,000 keys ending in one of 4 suffixes with values by suffix: the DAWG stores each ending once.
        var keys = Enumerable.Range(0, 2000).Select(i => Entry($"{i:x4}-{"wxyz"[i % 4]}", i % 4)).ToArray();
        var units = DoubleArrayBuilder.Build(keys);
        var trie = new DoubleArrayTrie(units);

        Assert.All(keys, k => Assert.True(trie.TryLongestPrefix(k.Key, out int l, out int v) && l == k.Key.Length && v == k.Value));
        Assert.True(units.Length < 2000 * 6, $"{units.Length} units");
        Assert.All(Enumerable.Range(0, 256).Select(b => (byte)b).Where(b => !"0123456789abcdef"u8.Contains(b)),
            b => Assert.False(trie.TryLongestPrefix([b], out _, out _)));
    }

    [Fact]
    public void BadKeys_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => DoubleArrayBuilder.Build([Entry("", 1)]));
        Assert.Throws<ArgumentException>(() => DoubleArrayBuilder.Build([Entry("a\0b", 1)]));
        Assert.Throws<ArgumentException>(() => DoubleArrayBuilder.Build([Entry("a", 1), Entry("a", 2)]));
        Assert.Throws<ArgumentException>(() => DoubleArrayBuilder.Build([Entry("a", -1)]));
    }
}
