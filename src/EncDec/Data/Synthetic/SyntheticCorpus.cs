using EncDec.Tensors;

namespace EncDec.Data.Synthetic;

/// <summary>Deterministic corpora drawn from an <see cref="ISyntheticTask"/>, and their line-aligned files.</summary>
public static class SyntheticCorpus
{
    // Draws allowed per requested held-out pair before the task is judged too small to supply distinct sources.
    private const int HeldOutDrawsPerPair = 100;
    private const int MinimumDrawBudget = 10_000;

    /// <summary><paramref name="count"/> pairs from a generator seeded with <paramref name="seed"/>: the same arguments always give the same list.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static IReadOnlyList<SyntheticPair> Generate(ISyntheticTask task, int count, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new RandomGenerator(seed);
        var pairs = new SyntheticPair[count];
        for (int i = 0; i < count; i++) pairs[i] = task.Next(random);
        return pairs;
    }

    /// <summary>
    /// Train, dev and test splits (see <see cref="SyntheticSplits"/> for what is guaranteed). Each split draws from its
    /// own generator derived from <paramref name="seed"/>, so dev and test do not change when only the training size does.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    /// <exception cref="InvalidOperationException">The task cannot supply that many distinct held-out sources, or
    /// (almost) every source it draws is held out.</exception>
    public static SyntheticSplits GenerateSplits(ISyntheticTask task, int train, int dev, int test, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(train);
        ArgumentOutOfRangeException.ThrowIfNegative(dev);
        ArgumentOutOfRangeException.ThrowIfNegative(test);
        var heldOut = new HashSet<string>(StringComparer.Ordinal);
        var devPairs = DrawDistinct(task, "dev", dev, StreamFor(seed, 1), heldOut);
        var testPairs = DrawDistinct(task, "test", test, StreamFor(seed, 2), heldOut);
        var trainPairs = DrawAvoiding(task, train, StreamFor(seed, 0), heldOut);
        return new SyntheticSplits(trainPairs, devPairs, testPairs);
    }

    /// <summary>
    /// Writes <c>{name}.src</c> and <c>{name}.tgt</c> into <paramref name="folder"/> (created if missing), one pair per
    /// line, UTF-8 without a byte-order mark, '\n' line ends, each file atomically.
    /// </summary>
    /// <returns>The paths written: the source file, then the target file.</returns>
    public static (string Source, string Target) Write(IReadOnlyList<SyntheticPair> pairs, string folder, string name)
    {
        Directory.CreateDirectory(folder);
        string source = Path.Combine(folder, name + ".src");
        string target = Path.Combine(folder, name + ".tgt");
        AtomicFile.WriteText(source, writer => { foreach (var pair in pairs) writer.WriteLine(pair.Source); });
        AtomicFile.WriteText(target, writer => { foreach (var pair in pairs) writer.WriteLine(pair.Target); });
        return (source, target);
    }

    private static RandomGenerator StreamFor(ulong seed, ulong split)
    {
        ulong state = seed + split * 0x632BE59BD9B4E019UL;   // distinct odd offsets keep the three streams apart
        return new RandomGenerator(RandomGenerator.SplitMix64(ref state));
    }

    private static List<SyntheticPair> DrawDistinct(ISyntheticTask task, string split, int count, RandomGenerator random, HashSet<string> heldOut)
    {
        var pairs = new List<SyntheticPair>(count);
        long budget = Math.Max(MinimumDrawBudget, (long)count * HeldOutDrawsPerPair);
        for (long draws = 0; pairs.Count < count; draws++)
        {
            if (draws == budget)
                throw new InvalidOperationException(
                    $"task '{task.Name}' gave only {pairs.Count} new distinct sources for the {split} split in {budget} draws " +
                    $"({count} asked for, {heldOut.Count} held out in all); ask for fewer held-out pairs");
            var pair = task.Next(random);
            if (heldOut.Add(pair.Source)) pairs.Add(pair);
        }
        return pairs;
    }

    private static SyntheticPair[] DrawAvoiding(ISyntheticTask task, int count, RandomGenerator random, HashSet<string> heldOut)
    {
        var pairs = new SyntheticPair[count];
        int rejectedInARow = 0;
        for (int i = 0; i < count;)
        {
            var pair = task.Next(random);
            if (!heldOut.Contains(pair.Source))
            {
                pairs[i++] = pair;
                rejectedInARow = 0;
            }
            else if (++rejectedInARow == MinimumDrawBudget)
            {
                throw new InvalidOperationException(
                    $"task '{task.Name}': {MinimumDrawBudget} draws in a row were dev or test sources ({heldOut.Count} held out); " +
                    "the held-out splits cover nearly every source the task can produce");
            }
        }
        return pairs;
    }
}
