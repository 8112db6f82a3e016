using EncDec.Data.Synthetic;

namespace EncDec.Tests.Data.Synthetic;

public sealed class SyntheticCorpusTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("encdec-synth-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Tasks_AreListedByName()
    {
        Assert.Equal(["en-fr", "reverse", "sort", "copy", "dates"], SyntheticTasks.Names);
        Assert.All(SyntheticTasks.Names, name => Assert.Equal(name, SyntheticTasks.Get(name).Name));
    }

    [Fact]
    public void UnknownTask_ListsTheTasks() =>
        Assert.Contains("en-fr, reverse, sort, copy, dates", Assert.Throws<ArgumentException>(() => SyntheticTasks.Get("de-en")).Message);

    [Fact]
    public void Splits_HoldOutDevAndTestSources()
    {
        var splits = SyntheticCorpus.GenerateSplits(SyntheticTasks.Get("reverse"), train: 3000, dev: 300, test: 300, seed: 1);
        Assert.Equal((3000, 300, 300), (splits.Train.Count, splits.Dev.Count, splits.Test.Count));
        var dev = splits.Dev.Select(p => p.Source).ToHashSet();
        var test = splits.Test.Select(p => p.Source).ToHashSet();
        Assert.Equal(300, dev.Count);
        Assert.Equal(300, test.Count);
        Assert.Empty(dev.Intersect(test));
        Assert.DoesNotContain(splits.Train, p => dev.Contains(p.Source) || test.Contains(p.Source));
    }

    [Fact]
    public void Splits_HoldOutEvenWhenSourcesRepeatOften()
    {
        // Copy over 2 symbols of length 5 has 32 sources: train would meet the held-out ones constantly.
        var task = new SymbolSequenceTask(SymbolTransform.Copy, new SymbolTaskConfig(2, 5, 5));
        var splits = SyntheticCorpus.GenerateSplits(task, train: 500, dev: 10, test: 10, seed: 3);
        var heldOut = splits.Dev.Concat(splits.Test).Select(p => p.Source).ToHashSet();
        Assert.Equal(20, heldOut.Count);
        Assert.DoesNotContain(splits.Train, p => heldOut.Contains(p.Source));
    }

    [Fact]
    public void Splits_TooManyHeldOut_FailsClearly()
    {
        var task = new SymbolSequenceTask(SymbolTransform.Copy, new SymbolTaskConfig(2, 3, 3));   // 8 sources
        var error = Assert.Throws<InvalidOperationException>(() => SyntheticCorpus.GenerateSplits(task, 10, dev: 6, test: 6, seed: 1));
        Assert.Contains("test split", error.Message);
    }

    [Fact]
    public void Splits_AreDeterministic_AndHeldOutSplitsIgnoreTheTrainingSize()
    {
        var task = SyntheticTasks.Get("en-fr");
        var small = SyntheticCorpus.GenerateSplits(task, 100, 50, 50, seed: 7);
        var again = SyntheticCorpus.GenerateSplits(task, 100, 50, 50, seed: 7);
        var large = SyntheticCorpus.GenerateSplits(task, 400, 50, 50, seed: 7);
        Assert.Equal(small.Train, again.Train);
        Assert.Equal(small.Dev, large.Dev);
        Assert.Equal(small.Test, large.Test);
        Assert.Equal(small.Train, large.Train.Take(100));
        Assert.NotEqual(small.Dev, SyntheticCorpus.GenerateSplits(task, 100, 50, 50, seed: 8).Dev);
    }

    [Fact]
    public void Write_ProducesLineAlignedUtf8Files_WithoutTemporaries()
    {
        var pairs = SyntheticCorpus.Generate(SyntheticTasks.Get("en-fr"), 50, seed: 2);
        var (source, target) = SyntheticCorpus.Write(pairs, Path.Combine(_folder, "out"), "train");
        Assert.Equal(pairs.Select(p => p.Source), File.ReadAllLines(source));
        Assert.Equal(pairs.Select(p => p.Target), File.ReadAllLines(target));
        byte[] bytes = File.ReadAllBytes(target);
        Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB, "no byte-order mark");
        Assert.DoesNotContain((byte)'\r', bytes);
        Assert.Equal(["train.src", "train.tgt"], Directory.GetFiles(Path.Combine(_folder, "out")).Select(Path.GetFileName).Order());
    }
}
