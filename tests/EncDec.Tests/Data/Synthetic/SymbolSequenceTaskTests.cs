using EncDec.Data.Synthetic;
using EncDec.Tensors;

namespace EncDec.Tests.Data.Synthetic;

public sealed class SymbolSequenceTaskTests
{
    private static SyntheticPair[] Draw(SymbolSequenceTask task, int count = 500)
    {
        var random = new RandomGenerator(3);
        return [.. Enumerable.Range(0, count).Select(_ => task.Next(random))];
    }

    [Fact]
    public void Copy_TargetIsSource() =>
        Assert.All(Draw(new SymbolSequenceTask(SymbolTransform.Copy)), pair => Assert.Equal(pair.Source, pair.Target));

    [Fact]
    public void Reverse_TargetIsSourceBackwards() =>
        Assert.All(Draw(new SymbolSequenceTask(SymbolTransform.Reverse)),
            pair => Assert.Equal(pair.Source.Split(' ').Reverse(), pair.Target.Split(' ')));

    [Fact]
    public void Sort_TargetIsSortedPermutation_InAlphabetOrderNotStringOrder()
    {
        var task = new SymbolSequenceTask(SymbolTransform.Sort, new SymbolTaskConfig(AlphabetSize: 30));
        var order = task.Symbols.Select((symbol, index) => (symbol, index)).ToDictionary(p => p.symbol, p => p.index);
        foreach (var pair in Draw(task))
        {
            var source = pair.Source.Split(' ');
            var target = pair.Target.Split(' ');
            Assert.Equal(source.Order(), target.Order());                          // a permutation
            Assert.Equal(source.OrderBy(s => order[s]), target);                  // s2 before s10
        }
    }

    [Fact]
    public void Defaults_AreTwentyLetters_AndLengths5To20()
    {
        var pairs = Draw(new SymbolSequenceTask(SymbolTransform.Copy), 2000);
        var lengths = pairs.Select(p => p.Source.Split(' ').Length).ToArray();
        Assert.Equal((5, 20), (lengths.Min(), lengths.Max()));
        var symbols = pairs.SelectMany(p => p.Source.Split(' ')).Distinct().Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => ((char)('a' + i)).ToString()), symbols);
    }

    [Fact]
    public void LargeAlphabets_UseNumberedSymbols() =>
        Assert.Equal(["s0", "s1", "s39"], new SymbolSequenceTask(SymbolTransform.Copy, new SymbolTaskConfig(40)).Symbols.Where((_, i) => i is 0 or 1 or 39));

    [Theory]
    [InlineData(1, 5, 20, "alphabet_size")]
    [InlineData(20, 0, 20, "min_length")]
    [InlineData(20, 6, 5, "max_length")]
    public void InvalidConfig_NamesTheField(int alphabet, int min, int max, string field) =>
        Assert.Contains(field, Assert.Throws<ArgumentException>(() => new SymbolSequenceTask(SymbolTransform.Copy, new SymbolTaskConfig(alphabet, min, max))).Message);
}
