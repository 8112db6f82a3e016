using EncDec.Data;
using EncDec.Models;

namespace EncDec.Tests.Data;

/// <summary>
/// Synthetic corpora for the batcher tests: sentences are space-separated integer ids (so the "tokenizer" is a parse
/// and every id in a batch can be checked against its text), with sentence lengths drawn from a realistic
/// distribution.
/// </summary>
internal static class BatchingData
{
    /// <summary>Pad 0, Start 1, End 2, Unknown 3; content ids start at 4.</summary>
    public static readonly SpecialIds Ids = new(Pad: 0, Start: 1, End: 2, Unknown: 3);

    /// <summary>The ids of a sentence of space-separated integers.</summary>
    public static int[] Encode(string text) =>
        text.Length == 0 ? [] : Array.ConvertAll(text.Split(' '), int.Parse);

    /// <summary>
    /// <paramref name="count"/> pairs whose source lengths follow a log-normal distribution (median 12 tokens, long
    /// tail, as subword sentences of news or caption data do) and whose target is 0.8–1.3 times as long. Pair i's
    /// first token is 4 + i, so pairs are told apart by their ids.
    /// </summary>
    public static List<(string Source, string Target)> RealisticPairs(int count, int seed = 7)
    {
        var random = new Random(seed);
        var pairs = new List<(string, string)>(count);
        for (int i = 0; i < count; i++)
        {
            double normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            int source = Math.Clamp((int)Math.Round(Math.Exp(Math.Log(12) + 0.6 * normal)), 1, 200);
            int target = Math.Max(1, (int)Math.Round(source * (0.8 + 0.5 * random.NextDouble())));
            pairs.Add((Sentence(4 + i, source, random), Sentence(4 + i, target, random)));
        }
        return pairs;
    }

    /// <summary>A batcher over <paramref name="pairs"/> with the integer "tokenizer", End appended to sources.</summary>
    public static TokenBatcher Batcher(IEnumerable<(string Source, string Target)> pairs, BatchingOptions options) =>
        new(ParallelCorpus.FromPairs(pairs), Encode, Encode, Ids, appendSourceEnd: true, options);

    /// <summary>The identity of a batch: its pairs' lines in batch order, for comparing epochs.</summary>
    public static long[] Lines(Batch batch) => batch.Pairs.Select(p => p.Line).ToArray();

    private static string Sentence(int first, int length, Random random) =>
        string.Join(' ', Enumerable.Range(0, length).Select(t => t == 0 ? first : random.Next(4, 1000)));
}
