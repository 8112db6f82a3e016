using EncDec.Text;

namespace EncDec.Tests.Text;

/// <summary>
/// <see cref="PieceTrie"/>, the double array over the vocabulary, against a plain dictionary of the same keys: every
/// key is found, nothing else is, and prefix walks agree, for keys that share long prefixes and use every byte.
/// </summary>
public class PieceTrieTests
{
    private static (byte[] Key, int Id)[] RandomKeys(int count, int seed)
    {
        var random = new Random(seed);
        var keys = new Dictionary<string, byte[]>();
        while (keys.Count < count)
        {
            // Few distinct bytes near the root, so that keys share prefixes; any byte deeper down.
            var key = new byte[random.Next(1, 12)];
            for (int i = 0; i < key.Length; i++) key[i] = (byte)(i < 2 ? random.Next(4) * 64 : random.Next(256));
            keys.TryAdd(Convert.ToHexString(key), key);
        }
        return [.. keys.Values.Select((key, id) => (key, id * 3 + 1))];
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(300, 2)]
    [InlineData(20_000, 3)]
    public void Find_GivesTheIdOfEveryKey_AndMinusOneForOtherStrings(int count, int seed)
    {
        var pieces = RandomKeys(count, seed);
        var trie = new PieceTrie(pieces);
        var byKey = pieces.ToDictionary(p => Convert.ToHexString(p.Key), p => p.Id);

        Assert.All(pieces, p => Assert.Equal(p.Id, trie.Find(p.Key)));
        foreach (var (key, _) in pieces.Take(500))
        {
            foreach (var probe in new[] { key[..^1], [.. key, 0], [.. key, 255] })
                Assert.Equal(byKey.GetValueOrDefault(Convert.ToHexString(probe), -1), trie.Find(probe));
        }
    }

    [Fact]
    public void Walks_AgreeWithTheKeys_ByteByByte()
    {
        var pieces = RandomKeys(5_000, 4);
        var trie = new PieceTrie(pieces);
        var byKey = pieces.ToDictionary(p => Convert.ToHexString(p.Key), p => p.Id);
        var prefixes = pieces.SelectMany(p => Enumerable.Range(1, p.Key.Length).Select(n => Convert.ToHexString(p.Key[..n]))).ToHashSet();
        var random = new Random(5);

        for (int n = 0; n < 2_000; n++)
        {
            // A key followed by noise: the walk finds each key that is a prefix, and stops where no key goes on.
            byte[] text = [.. pieces[random.Next(pieces.Length)].Key, .. Enumerable.Range(0, 4).Select(_ => (byte)random.Next(256))];
            int node = PieceTrie.Root, longest = 0;
            for (int end = 1; end <= text.Length; end++)
            {
                bool hasPrefix = prefixes.Contains(Convert.ToHexString(text[..end]));
                Assert.Equal(hasPrefix, trie.TryStep(ref node, text[end - 1]));
                if (!hasPrefix) break;
                int expected = byKey.GetValueOrDefault(Convert.ToHexString(text[..end]), -1);
                Assert.Equal(expected, trie.IdAt(node));
                if (expected >= 0) longest = end;
            }
            Assert.Equal(longest, trie.LongestPrefixLength(text));
        }
    }

    [Fact]
    public void EmptyTrie_FindsNothing()
    {
        var trie = new PieceTrie([]);
        int node = PieceTrie.Root;

        Assert.True(trie.IsEmpty);
        Assert.Equal(-1, trie.Find("a"u8));
        Assert.False(trie.TryStep(ref node, (byte)'a'));
        Assert.Equal(0, trie.LongestPrefixLength("abc"u8));
    }
}
