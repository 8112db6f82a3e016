using System.Text;
using EncDec.Tensors;

namespace EncDec.Text.Training;

/// <summary>
/// The training sentences as SentencePiece's <c>TrainerInterface::LoadSentences</c> prepares them: lines read
/// (optionally a random sample), normalised, special-piece text cut out, the alphabet chosen by character coverage,
/// and every character outside it replaced by the unknown marker U+2585.
/// </summary>
internal sealed class TrainingCorpus
{
    private TrainingCorpus(List<int[]> sentences, List<(int Char, long Count)> alphabet, CorpusStatistics statistics)
    {
        Sentences = sentences;
        Alphabet = alphabet;
        Statistics = statistics;
    }

    /// <summary>Normalised sentences as code points ("▁" for spaces), each occurring once.</summary>
    public List<int[]> Sentences { get; }

    /// <summary>The required characters with their counts, most frequent first (ties: lower code point first).</summary>
    public List<(int Char, long Count)> Alphabet { get; }

    /// <summary>What was read and skipped.</summary>
    public CorpusStatistics Statistics { get; }

    /// <summary>Reads, samples and normalises the lines of <paramref name="files"/>, and chooses the alphabet.</summary>
    /// <param name="files">Plain or gzip text files, one sentence a line; their lines are pooled.</param>
    /// <param name="options">Coverage, sampling, line length and threads.</param>
    /// <param name="normalizer">The normaliser the model will use.</param>
    /// <param name="metaPieces">Special pieces whose text is cut out of the sentences.</param>
    /// <exception cref="SubwordTrainingException">No usable line, or the alphabet does not fit the vocabulary.</exception>
    public static TrainingCorpus Load(IReadOnlyList<string> files, SubwordTrainingOptions options,
        SentencePieceNormalizer normalizer, IReadOnlyList<string> metaPieces)
    {
        var (lines, statistics) = ReadLines(files, options);
        var sentences = new int[lines.Count][];
        var matcher = new MetaPieceMatcher(metaPieces);
        Parallel.For(0, lines.Count, new ParallelOptions { MaxDegreeOfParallelism = options.Threads },
            i => sentences[i] = matcher.CutOut(normalizer.Normalize(lines[i])));
        var kept = sentences.Where(s => s.Length > 0).ToList();
        if (kept.Count == 0)
            throw new SubwordTrainingException($"no usable line in {string.Join(", ", files.Select(f => $"'{f}'"))}: "
                + $"{statistics.LinesRead} lines read, all empty, blank or skipped");

        var alphabet = ChooseAlphabet(kept, options.CharacterCoverage, out double coverage);
        if (alphabet.Count + options.MetaPieceCount > options.VocabularySize)
            throw new SubwordTrainingException(
                $"vocabulary size {options.VocabularySize} is smaller than the {alphabet.Count} characters needed for "
                + $"{options.CharacterCoverage} coverage plus {options.MetaPieceCount} special pieces; "
                + "increase the size or lower the character coverage");
        var required = alphabet.Select(a => a.Char).ToHashSet();
        foreach (var sentence in kept)
        {
            for (int i = 0; i < sentence.Length; i++)
                if (!required.Contains(sentence[i])) sentence[i] = PieceValidator.UnknownSymbol;
        }
        return new TrainingCorpus(kept, alphabet, statistics with { Sentences = kept.Count, Coverage = coverage });
    }

    private static (List<byte[]> Lines, CorpusStatistics Statistics) ReadLines(IReadOnlyList<string> files, SubwordTrainingOptions options)
    {
        var lines = new List<byte[]>();
        var random = new RandomGenerator(options.Seed);
        long read = 0, tooLong = 0, reserved = 0, candidates = 0;
        foreach (string file in files)
        {
            foreach (var (line, _) in CorpusLineReader.ReadLines(file))
            {
                read++;
                if (line.Length == 0) continue;
                if (line.Length > options.MaxSentenceLength)
                {
                    tooLong++;
                    continue;
                }
                // spm_train skips a line holding U+2585, its own marker for unknown characters.
                if (line.AsSpan().IndexOf("\u2585"u8) >= 0)
                {
                    reserved++;
                    continue;
                }
                Select(lines, line, options.InputSentenceSize, ++candidates, random);
            }
        }
        return (lines, new CorpusStatistics(read, tooLong, reserved, 0, 0));
    }

    // Reservoir sampling (Vitter's algorithm R) of InputSentenceSize lines, as spm_train's shuffle_input_sentence:
    // the n-th candidate replaces a random kept line with probability size / n.
    private static void Select(List<byte[]> lines, byte[] line, int sampleSize, long candidates, RandomGenerator random)
    {
        if (sampleSize == 0 || lines.Count < sampleSize)
        {
            lines.Add(line);
            return;
        }
        long slot = (long)(random.NextDouble() * candidates);
        if (slot < lines.Count) lines[(int)slot] = line;
    }

    /// <summary>
    /// The characters that reach <paramref name="characterCoverage"/> of all occurrences, most frequent first, as
    /// spm_train chooses them (its coverage is a float, compared before each character is added). The tab left by
    /// a cut-out special piece counts towards the total but never joins the alphabet, as there.
    /// </summary>
    private static List<(int Char, long Count)> ChooseAlphabet(List<int[]> sentences, double characterCoverage, out double coverage)
    {
        var counts = new Dictionary<int, long>();
        long total = 0;
        foreach (var sentence in sentences)
        {
            foreach (int c in sentence)
            {
                if (c == 0) continue;                         // NUL is never a piece (nor counted, as in spm_train)
                counts[c] = counts.GetValueOrDefault(c) + 1;
                total++;
            }
        }
        var alphabet = new List<(int Char, long Count)>();
        long accumulated = 0;
        float threshold = (float)characterCoverage;
        foreach (var (c, count) in counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key))
        {
            if ((float)(1.0 * accumulated / total) >= threshold) break;
            accumulated += count;
            if (c == PieceValidator.Boundary) continue;          // a cut-out special piece, never a piece itself
            alphabet.Add((c, count));
        }
        coverage = 1.0 * accumulated / total;
        return alphabet;
    }
}

/// <summary>What <see cref="TrainingCorpus"/> read.</summary>
/// <param name="LinesRead">Lines in all input files.</param>
/// <param name="TooLong">Lines skipped for exceeding the maximum sentence length.</param>
/// <param name="Reserved">Lines skipped for holding U+2585, the trainer's unknown marker.</param>
/// <param name="Sentences">Sentences trained on (after sampling, and without those empty once normalised).</param>
/// <param name="Coverage">The share of character occurrences the alphabet covers.</param>
public sealed record CorpusStatistics(long LinesRead, long TooLong, long Reserved, int Sentences, double Coverage);
