using System.Globalization;
using System.Text;
using EncDec.Evaluation;

namespace EncDec.Tests.Evaluation;

/// <summary>
/// Corpus BLEU and chrF of four WMT22 German-English systems against reference A, compared with the official
/// SacreBLEU scores published with them (shared/data/metrics/wmt22-de-en/scores.tsv, from
/// github wmt-conference/wmt22-news-systems; metrics <c>bleu-A</c> and <c>chrf-A</c>).
/// </summary>
public class SacreBleuParityTests
{
    /// <summary>The folder under shared/data with the test set, the outputs and the official scores.</summary>
    public const string DataFolder = "metrics/wmt22-de-en";

    /// <summary>The systems whose outputs are in <see cref="DataFolder"/>.</summary>
    public static readonly string[] Systems = ["Lan-Bridge", "PROMT", "LT22", "Online-A"];

    // Asked for: 1e-4 (BLEU) and 1e-3 (chrF). The transcription reproduces the official values to the last bit,
    // so a much tighter bound guards against a change that drifts while still passing the looser one.
    private const double Tolerance = 1e-9;

    [SharedDataFact(DataFolder)]
    public void Bleu_MatchesTheOfficialSacreBleuScores_ForEverySystem() =>
        AssertMatchesOfficial("bleu-A", (hypotheses, reference) => Bleu.CorpusScore(hypotheses, [reference]).Score);

    [SharedDataFact(DataFolder)]
    public void Chrf_MatchesTheOfficialSacreBleuScores_ForEverySystem() =>
        AssertMatchesOfficial("chrf-A", (hypotheses, reference) => Chrf.CorpusScore(hypotheses, [reference]).Score);

    /// <summary>The lines of a shared data file, split at '\n' as SacreBLEU reads them.</summary>
    public static string[] ReadLines(string fileName)
    {
        string text = File.ReadAllText(Path.Combine(SharedDataFactAttribute.Require(DataFolder), fileName), new UTF8Encoding(false, true));
        var lines = text.Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    /// <summary>The official score of <paramref name="system"/> for <paramref name="metric"/> (e.g. <c>bleu-A</c>).</summary>
    public static double OfficialScore(string system, string metric)
    {
        // Columns: pair, system, id, is_constrained, metric, score.
        foreach (string line in ReadLines("scores.tsv").Skip(1))
        {
            var columns = line.Split('\t');
            if (columns[1] == system && columns[4] == metric) return double.Parse(columns[5], CultureInfo.InvariantCulture);
        }
        throw new InvalidOperationException($"scores.tsv has no {metric} score for {system}");
    }

    private static void AssertMatchesOfficial(string metric, Func<string[], string[], double> score)
    {
        var reference = ReadLines("generaltest2022.de-en.ref.A.en");
        var table = new StringBuilder($"{"system",-12} {"official",20} {"EncDec",20} {"difference",12}\n");
        bool allMatch = true;
        foreach (string system in Systems)
        {
            double official = OfficialScore(system, metric);
            double ours = score(ReadLines($"generaltest2022.de-en.hyp.{system}.en"), reference);
            table.AppendLine(CultureInfo.InvariantCulture, $"{system,-12} {official,20:R} {ours,20:R} {ours - official,12:E2}");
            allMatch &= Math.Abs(ours - official) <= Tolerance;
        }
        Assert.True(allMatch, $"{metric} differs from SacreBLEU's official scores:\n{table}");
    }
}
